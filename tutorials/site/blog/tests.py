"""The blog's own tests: ``python -m tinyframe test blog --pythonpath tutorials/site --settings mysite.settings``.

(Or ``python manage.py test`` inside ``tutorials/site``, once tinyframe is
installed with ``pip install -e .``.) The test runner builds a test database
by running the blog's migrations, so these tests start from what a new site
has: the tables of ``0001`` and ``0002`` and the posts ``0003`` adds. Each
test runs inside a transaction that is rolled back, so no test sees another's
changes.
"""

import importlib
import types

from tinyframe.apps import apps
from tinyframe.db import connection
from tinyframe.test import TestCase
# >>> 10_auth
from tinyframe.contrib.auth import get_user_model
# <<< 10_auth

from blog.models import Author, Comment, Post, Tag
from blog.posts import find_post

# A module name cannot start with a digit in an import statement; importlib can.
initial_posts = importlib.import_module("blog.migrations.0003_initial_posts")


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in (Post, Author, Tag, Comment)} | {
        "tags of posts": Post.tags.through.objects.count(),
    }


class MigratedDatabaseTests(TestCase):
    def test_the_data_migration_added_the_first_posts(self):
        self.assertEqual(counts(), {"Post": 6, "Author": 2, "Tag": 5, "Comment": 4, "tags of posts": 10})
        self.assertEqual(Post.objects.first().slug, "one-page-at-a-time")

    def test_each_post_has_its_author_and_tags(self):
        post = find_post("authors-tags-and-comments")
        self.assertEqual(post.author.name, "Grace Hopper")
        self.assertEqual([tag.name for tag in post.tags.all()], ["ORM", "Relations"])

    def test_an_unknown_slug_finds_nothing(self):
        self.assertIsNone(find_post("no-such-post"))


class DataMigrationTests(TestCase):
    """``0003_initial_posts`` run again, and backwards: what ``migrate`` would do on a database that has the posts."""

    schema_editor = types.SimpleNamespace(connection=connection)

    def test_running_it_again_adds_nothing_and_changes_nothing(self):
        Post.objects.filter(slug="hello-wsgi").update(title="Edited since")
        before = counts()
        initial_posts.add_initial_posts(apps, self.schema_editor)
        self.assertEqual(counts(), before)
        self.assertEqual(Post.objects.get(slug="hello-wsgi").title, "Edited since")

    def test_it_fills_in_what_is_missing(self):
        Post.objects.get(slug="posts-in-sqlite").comments.all().delete()
        Post.objects.filter(slug="hello-wsgi").delete()
        Post.objects.update(author=None)
        initial_posts.add_initial_posts(apps, self.schema_editor)
        self.assertEqual(counts(), {"Post": 6, "Author": 2, "Tag": 5, "Comment": 4, "tags of posts": 10})
        self.assertFalse(Post.objects.filter(author=None).exists())

    def test_backwards_removes_the_sample_data_and_keeps_the_rest(self):
        mine = Post.objects.create(slug="mine", title="Mine", body="Kept.", author=Author.objects.get(slug="ada"))
        initial_posts.remove_initial_posts(apps, self.schema_editor)
        self.assertEqual(counts(), {"Post": 1, "Author": 0, "Tag": 0, "Comment": 0, "tags of posts": 0})
        mine.refresh_from_db()
        self.assertIsNone(mine.author)
        initial_posts.add_initial_posts(apps, self.schema_editor)
        self.assertEqual(Post.objects.count(), 7)


class PageTests(TestCase):
    def test_the_front_page_lists_the_four_newest_posts(self):
        response = self.client.get("/")
        self.assertContains(response, '<a href="/posts/one-page-at-a-time/">One page at a time</a>', html=True)
        self.assertNotContains(response, "Hello, WSGI")

    def test_a_post_page_shows_its_comments(self):
        response = self.client.get("/posts/posts-in-sqlite/")
        self.assertContains(response, "Rows in, objects out.")
        self.assertContains(response, "<h2>2 comments</h2>", html=True)
# >>> 09_forms


class CommentFormTests(TestCase):
    """The comment form under each post (chapter 09): stored when valid, shown again with its errors when not."""

    url = "/posts/hello-wsgi/"

    def test_the_post_page_shows_an_empty_comment_form(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<input type="text" name="name" maxlength="100" required id="id_name">',
                            html=True)
        self.assertContains(response, '<textarea name="body" cols="40" rows="5" required id="id_body"></textarea>',
                            html=True)
        self.assertFalse(response.context["form"].is_bound)

    def test_a_valid_comment_is_stored_under_its_post_and_the_visitor_sent_back(self):
        response = self.client.post(self.url, {"name": " Barbara ", "body": "Just a function, yes."})
        self.assertRedirects(response, self.url)
        comment = Comment.objects.get(name="Barbara")
        self.assertEqual((comment.post.slug, comment.body), ("hello-wsgi", "Just a function, yes."))
        self.assertContains(self.client.get(self.url), "<h2>2 comments</h2>", html=True)

    def test_an_invalid_comment_stores_nothing_and_shows_the_errors_by_their_fields(self):
        response = self.client.post(self.url, {"name": "", "body": "Kept <b>as typed</b>"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Comment.objects.count(), 4)
        self.assertEqual(response.context["form"].errors, {"name": ["This field is required."]})
        self.assertContains(response, '<ul class="errorlist" id="id_name_error"><li>This field is required.</li></ul>',
                            html=True)
        self.assertContains(response, "Kept &lt;b&gt;as typed&lt;/b&gt;</textarea>")
        self.assertNotContains(response, "<b>as typed</b>")

    def test_the_form_takes_only_a_name_and_a_body(self):
        other = Post.objects.get(slug="posts-in-sqlite")
        self.client.post(self.url, {"name": "Eve", "body": "Hi", "post": str(other.pk), "created": "2000-01-01"})
        comment = Comment.objects.get(name="Eve")
        self.assertEqual(comment.post.slug, "hello-wsgi", "the post comes from the URL, never from the form")
        self.assertGreater(comment.created.year, 2000)
# <<< 09_forms
# >>> 10_auth


# From chapter 10 only signed-in visitors comment, under their username (the
# form has only the text): chapter 09's comment tests give way to these.
del CommentFormTests


class SignedInCommentTests(TestCase):
    """The comment form is for signed-in visitors; the comment's name is the account's username."""

    url = "/posts/hello-wsgi/"

    def setUp(self):
        # No password (an unusable one): force_login signs in without hashing one.
        self.user = get_user_model().objects.create_user("barbara")
        self.client.force_login(self.user)

    def test_the_form_has_only_the_text_and_says_who_is_commenting(self):
        response = self.client.get(self.url)
        self.assertContains(response, "<p>Commenting as <strong>barbara</strong>.</p>", html=True)
        self.assertContains(response, '<textarea name="body" cols="40" rows="5" required id="id_body"></textarea>',
                            html=True)
        self.assertNotContains(response, 'name="name"')
        self.assertContains(response, 'name="csrfmiddlewaretoken"', count=2)  # the comment and sign-out forms

    def test_a_comment_is_stored_under_the_username_whatever_name_is_posted(self):
        response = self.client.post(self.url, {"name": "Someone Else", "body": "Just a function, yes."})
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
        comment = Comment.objects.get(body="Just a function, yes.")
        self.assertEqual((comment.name, comment.post.slug), ("barbara", "hello-wsgi"))
        page = self.client.get(self.url)
        self.assertContains(page, '<li class="success">Thank you: your comment is posted.</li>', html=True)
        self.assertNotContains(self.client.get(self.url), "Thank you", msg_prefix="a message is shown once")

    def test_an_invalid_comment_stores_nothing_and_shows_its_error(self):
        response = self.client.post(self.url, {"body": "   "})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Comment.objects.count(), 4)
        self.assertEqual(response.context["form"].errors, {"body": ["This field is required."]})

    def test_an_anonymous_visitor_is_asked_to_sign_in_and_cannot_post(self):
        self.client.logout()
        response = self.client.get(self.url)
        self.assertContains(response, "to comment.")
        self.assertNotContains(response, '<textarea name="body"')
        response = self.client.post(self.url, {"name": "Eve", "body": "Hi"})
        self.assertRedirects(response, "/accounts/login/?next=/posts/hello-wsgi/", fetch_redirect_response=False)
        self.assertEqual(Comment.objects.count(), 4)


class AccountTests(TestCase):
    """Signing up, in and out (chapter 10): the pages, the header, and the redirects."""

    def test_the_header_offers_to_sign_in_or_up_and_then_says_who_is_signed_in(self):
        response = self.client.get("/posts/hello-wsgi/")
        self.assertContains(response, '<a href="/accounts/login/?next=/posts/hello-wsgi/">Sign in</a>', html=True)
        self.client.force_login(get_user_model().objects.create_user("ada"))
        response = self.client.get("/")
        self.assertContains(response, "Signed in as <strong>ada</strong>")
        self.assertContains(response, '<button type="submit">Sign out</button>', html=True)

    def test_signing_up_makes_a_user_signs_them_in_and_greets_them(self):
        response = self.client.post("/accounts/signup/", {"username": "grace", "password1": "cobol-compiler-1959",
                                                          "password2": "cobol-compiler-1959"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        user = get_user_model().objects.get(username="grace")
        self.assertTrue(user.check_password("cobol-compiler-1959"))
        self.assertNotIn("cobol", user.password)
        page = self.client.get("/")
        self.assertContains(page, "Signed in as <strong>grace</strong>")
        self.assertContains(page, "Welcome, grace! Your account is ready, and you are signed in.")

    def test_a_weak_password_or_a_taken_username_is_refused_with_its_reason(self):
        get_user_model().objects.create_user("ada")
        response = self.client.post("/accounts/signup/", {"username": "ADA", "password1": "12345678",
                                                          "password2": "12345678"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "A user with that username already exists.")
        self.assertContains(response, "This password is too common.")
        self.assertContains(response, "This password is entirely numeric.")
        self.assertEqual(get_user_model().objects.count(), 1)

    def test_signing_in_and_out_lead_back_to_the_front_page(self):
        get_user_model().objects.create_user("ada", password="analytical-engine-1843")
        response = self.client.post("/accounts/login/", {"username": "ada", "password": "analytical-engine-1843"})
        self.assertRedirects(response, "/")
        self.assertEqual(self.client.get("/").context["user"].get_username(), "ada")
        self.assertRedirects(self.client.post("/accounts/logout/"), "/")
        self.assertFalse(self.client.get("/").context["user"].is_authenticated)

    def test_signing_out_by_get_is_refused(self):
        self.client.force_login(get_user_model().objects.create_user("ada"))
        self.assertEqual(self.client.get("/accounts/logout/").status_code, 405)
        self.assertTrue(self.client.get("/").context["user"].is_authenticated)
# <<< 10_auth
