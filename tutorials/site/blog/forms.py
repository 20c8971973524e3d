"""The blog's forms: what a visitor may submit, and how it is checked.

From chapter 09 a post's page ends with a form for a comment. ``CommentForm``
is a ModelForm: its fields come from the ``Comment`` model (``name`` a
CharField of at most 100 characters, ``body`` a TextField shown as a
textarea), so the limits the database has are the ones the form checks, and
``form.save(commit=False)`` gives back a ``Comment`` ready for its post.
``Meta.fields`` names the two fields a visitor fills in: the post comes from
the URL and ``created`` from the clock, never from the request.
"""

from tinyframe import forms

from blog.models import Comment


class CommentForm(forms.ModelForm):
    """A reader's comment: a name and the text, both required; blank-only text counts as empty."""

    class Meta:
        model = Comment
        fields = ["name", "body"]
        labels = {"name": "Your name", "body": "Comment"}
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
# >>> 10_auth


class SignedInCommentForm(CommentForm):
    """A signed-in reader's comment (chapter 10): the text only; the view takes the name from the account.

    Without a name field a posted ``name`` is ignored, so nobody comments
    in another's name.
    """

    class Meta(CommentForm.Meta):
        fields = ["body"]
# <<< 10_auth
