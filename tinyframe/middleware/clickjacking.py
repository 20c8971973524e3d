"""XFrameOptionsMiddleware: forbid other sites to show this one in a frame.

How it works: clickjacking puts a site in an invisible frame over a decoy
page, so a visitor's click lands on a button of the framed site. The
``X-Frame-Options`` header tells the browser to refuse: ``DENY`` (no frame at
all) or ``SAMEORIGIN`` (only frames of this site). ``process_response`` sets it
from ``settings.X_FRAME_OPTIONS`` unless the view set its own, or opted out
with ``tinyframe.views.decorators.clickjacking.xframe_options_exempt``.
"""

from tinyframe.conf import settings
from tinyframe.utils.deprecation import MiddlewareMixin


class XFrameOptionsMiddleware(MiddlewareMixin):
    """Set ``X-Frame-Options`` on every response that has none and is not exempt."""

    def process_response(self, request, response):
        """Add ``X-Frame-Options: <get_xframe_options_value()>`` to the response, and return it.

        Leave the response alone when it already has the header (a view or a
        decorator chose) or when ``response.xframe_options_exempt`` is true.
        """
        if response.get("X-Frame-Options") is not None:
            return response
        if getattr(response, "xframe_options_exempt", False):
            return response
        response.headers["X-Frame-Options"] = self.get_xframe_options_value(request, response)
        return response

    def get_xframe_options_value(self, request, response) -> str:
        """The header's value: ``settings.X_FRAME_OPTIONS`` in upper case. Override to decide per request."""
        return settings.X_FRAME_OPTIONS.upper()
