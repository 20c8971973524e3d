"""SuccessMessageMixin: a form view that says "Saved." on the page it redirects to.

How it works: mixed in before ``FormView``, ``CreateView`` or
``UpdateView``, its ``form_valid`` lets the view do its work (save, redirect)
and then adds ``get_success_message(form.cleaned_data)`` as a SUCCESS
message. The message is ``success_message`` %-formatted with the cleaned data,
so ``"%(title)s was created"`` names the object::

    class BookCreate(SuccessMessageMixin, CreateView):
        model = Book
        fields = ["title"]
        success_message = "%(title)s was created"
"""

from tinyframe.contrib import messages


class SuccessMessageMixin:
    """Add a success message once a form view's form is valid (no message when ``success_message`` is empty)."""

    success_message = ""

    def form_valid(self, form):
        """Do the view's own ``form_valid``, then add the success message if there is one."""
        response = super().form_valid(form)
        success_message = self.get_success_message(form.cleaned_data)
        if success_message:
            messages.success(self.request, success_message)
        return response

    def get_success_message(self, cleaned_data) -> str:
        """``success_message % cleaned_data``; override to use the saved object (``self.object``)."""
        return self.success_message % cleaned_data
