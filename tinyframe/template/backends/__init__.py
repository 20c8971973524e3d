"""Template backends: how the ``TEMPLATES`` setting plugs an engine into tinyframe.

How it works: each entry of ``TEMPLATES`` names a ``BACKEND`` class, which
``tinyframe.template.engines`` builds with the entry's options. A backend
offers ``get_template(name)`` and ``from_string(source)``, returning
templates whose ``render(context=None, request=None)`` takes a plain dict —
the interface views and ``render_to_string`` use, whatever the engine.
tinyframe has one backend, ``django.DjangoTemplates``, for its own engine.
"""
