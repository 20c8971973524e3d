"""Django's tutorial app, polls, runs on tinyframe with only its imports renamed.

The app below is the code of Django's tutorial (parts 2 to 5: ``Question``
and ``Choice`` joined by a ForeignKey, the generic ``IndexView``,
``DetailView`` and ``ResultsView``, and the ``vote`` view that counts with
``F()``), as Django's documentation prints it, minus the admin and the
static files of parts 6 and 7, which later chapters add. The ``polls``
fixture writes it into a temporary package with ``from django`` changed to
``from tinyframe``, installs it, and the tests drive it through the test
client as a visitor would: the index, a question's page, a vote, the results.
"""

import datetime
import sys

import pytest

from tinyframe.db import connection
from tinyframe.test import Client
from tinyframe.test.utils import CaptureQueriesContext
from tinyframe.urls import include, path, reverse
from tinyframe.utils import timezone

POLLS = {
    "__init__.py": "",
    "apps.py": '''\
from django.apps import AppConfig


class PollsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "polls"
''',
    "models.py": '''\
import datetime

from django.db import models
from django.utils import timezone


class Question(models.Model):
    question_text = models.CharField(max_length=200)
    pub_date = models.DateTimeField("date published")

    def __str__(self):
        return self.question_text

    def was_published_recently(self):
        now = timezone.now()
        return now - datetime.timedelta(days=1) <= self.pub_date <= now


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE)
    choice_text = models.CharField(max_length=200)
    votes = models.IntegerField(default=0)

    def __str__(self):
        return self.choice_text
''',
    "views.py": '''\
from django.db.models import F
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import generic
from django.utils import timezone

from .models import Choice, Question


class IndexView(generic.ListView):
    template_name = "polls/index.html"
    context_object_name = "latest_question_list"

    def get_queryset(self):
        """
        Return the last five published questions (not including those set to be
        published in the future).
        """
        return Question.objects.filter(pub_date__lte=timezone.now()).order_by("-pub_date")[
            :5
        ]


class DetailView(generic.DetailView):
    model = Question
    template_name = "polls/detail.html"

    def get_queryset(self):
        """
        Excludes any questions that aren't published yet.
        """
        return Question.objects.filter(pub_date__lte=timezone.now())


class ResultsView(generic.DetailView):
    model = Question
    template_name = "polls/results.html"


def vote(request, question_id):
    question = get_object_or_404(Question, pk=question_id)
    try:
        selected_choice = question.choice_set.get(pk=request.POST["choice"])
    except (KeyError, Choice.DoesNotExist):
        # Redisplay the question voting form.
        return render(
            request,
            "polls/detail.html",
            {
                "question": question,
                "error_message": "You didn't select a choice.",
            },
        )
    else:
        selected_choice.votes = F("votes") + 1
        selected_choice.save()
        # Always return an HttpResponseRedirect after successfully dealing
        # with POST data. This prevents data from being handled twice if the
        # user hits the Back button.
        return HttpResponseRedirect(reverse("polls:results", args=(question.id,)))
''',
    "urls.py": '''\
from django.urls import path

from . import views

app_name = "polls"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:pk>/", views.DetailView.as_view(), name="detail"),
    path("<int:pk>/results/", views.ResultsView.as_view(), name="results"),
    path("<int:question_id>/vote/", views.vote, name="vote"),
]
''',
    "templates/polls/index.html": '''\
{% if latest_question_list %}
    <ul>
    {% for question in latest_question_list %}
        <li><a href="{% url 'polls:detail' question.id %}">{{ question.question_text }}</a></li>
    {% endfor %}
    </ul>
{% else %}
    <p>No polls are available.</p>
{% endif %}
''',
    "templates/polls/detail.html": '''\
<form action="{% url 'polls:vote' question.id %}" method="post">
{% csrf_token %}
<fieldset>
    <legend><h1>{{ question.question_text }}</h1></legend>
    {% if error_message %}<p><strong>{{ error_message }}</strong></p>{% endif %}
    {% for choice in question.choice_set.all %}
        <input type="radio" name="choice" id="choice{{ forloop.counter }}" value="{{ choice.id }}">
        <label for="choice{{ forloop.counter }}">{{ choice.choice_text }}</label><br>
    {% endfor %}
</fieldset>
<input type="submit" value="Vote">
</form>
''',
    "templates/polls/results.html": '''\
<h1>{{ question.question_text }}</h1>

<ul>
{% for choice in question.choice_set.all %}
    <li>{{ choice.choice_text }} -- {{ choice.votes }} vote{{ choice.votes|pluralize }}</li>
{% endfor %}
</ul>

<a href="{% url 'polls:detail' question.id %}">Vote again?</a>
''',
}


def renamed(source: str) -> str:
    """The one change the app needs: Django's package name becomes tinyframe's (imports, and one dotted path)."""
    return source.replace("from django", "from tinyframe").replace('"django.db.models.', '"tinyframe.db.models.')


@pytest.fixture(scope="module")
def polls_package(tmp_path_factory):
    """The polls package, written once for this module and importable as ``polls``.

    Once for the module, not per test: a model class stays registered with
    the app registry for the whole run, so importing the app a second time
    would register its models twice.
    """
    folder = tmp_path_factory.mktemp("polls_site")
    for name, source in POLLS.items():
        target = folder / "polls" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(renamed(source))
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(folder))
        yield folder
    for name in [name for name in sys.modules if name == "polls" or name.startswith("polls.")]:
        del sys.modules[name]


@pytest.fixture
def polls(polls_package, use_settings, throwaway_module, tables):
    """The polls app installed under ``/polls/`` (as the tutorial's mysite/urls.py does), with empty tables."""
    use_settings(
        INSTALLED_APPS=["polls"],
        TEMPLATES=[{"BACKEND": "tinyframe.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    )
    # Installed first: include() imports polls.urls, hence polls.models, at once.
    use_settings(ROOT_URLCONF=throwaway_module(urlpatterns=[path("polls/", include("polls.urls"))]))
    from polls.models import Choice, Question

    tables(Question, Choice)
    return Question, Choice


def create_question(question_text: str, days: int):
    """A question published ``days`` from now (negative: in the past), as the tutorial's tests make them."""
    from polls.models import Question

    time = timezone.now() + datetime.timedelta(days=days)
    return Question.objects.create(question_text=question_text, pub_date=time)


def test_only_the_imports_are_renamed():
    changed = [
        line for source in POLLS.values()
        for line, new in zip(source.splitlines(), renamed(source).splitlines()) if line != new
    ]
    assert changed and all(line.startswith("from django") or "django.db.models.BigAutoField" in line
                           for line in changed), changed


def test_the_app_is_installed_with_its_config_and_relation(polls):
    from tinyframe.apps import apps

    Question, Choice = polls
    config = apps.get_app_config("polls")
    assert type(config).__name__ == "PollsConfig" and config.get_model("Choice") is Choice
    field = Choice._meta.get_field("question")
    assert (field.related_model, field.column, field.many_to_one) == (Question, "question_id", True)


def test_index_without_questions(polls):
    response = Client().get(reverse("polls:index"))
    assert response.status_code == 200
    assert "No polls are available." in response.content.decode()
    assert list(response.context["latest_question_list"]) == []


def test_index_lists_the_five_latest_past_questions(polls):
    for days in range(-7, 0):
        create_question(f"Past {-days}?", days=days)
    create_question("Future?", days=30)
    response = Client().get("/polls/")
    questions = response.context["latest_question_list"]
    assert [question.question_text for question in questions] == ["Past 1?", "Past 2?", "Past 3?", "Past 4?",
                                                                     "Past 5?"]
    assert f'<a href="/polls/{questions[0].id}/">Past 1?</a>' in response.content.decode()
    assert [template.name for template in response.templates] == ["polls/index.html"]


def test_detail_shows_the_choices_made_with_choice_set_create(polls):
    question = create_question("What's up?", days=-1)
    question.choice_set.create(choice_text="Not much", votes=0)
    question.choice_set.create(choice_text="The sky", votes=0)
    response = Client().get(reverse("polls:detail", args=(question.id,)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<legend><h1>What&#x27;s up?</h1></legend>" in page
    assert f'<form action="/polls/{question.id}/vote/" method="post">' in page
    assert '<label for="choice1">Not much</label>' in page and '<label for="choice2">The sky</label>' in page
    assert response.context["question"] == response.context["object"] == question


def test_a_future_question_has_no_detail_page(polls):
    future = create_question("Future question.", days=5)
    assert Client().get(reverse("polls:detail", args=(future.id,))).status_code == 404
    assert Client().get("/polls/999/").status_code == 404


def test_voting_counts_with_f_and_redirects_to_the_results(polls):
    question = create_question("Best colour?", days=-1)
    red = question.choice_set.create(choice_text="Red")
    question.choice_set.create(choice_text="Blue")
    client = Client()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/polls/{question.id}/vote/", {"choice": str(red.id)})
    assert (response.status_code, response["Location"]) == (302, f"/polls/{question.id}/results/")
    updates = [query["sql"] for query in queries if query["sql"].startswith("UPDATE")]
    assert len(updates) == 1 and '"votes" = ("polls_choice"."votes" + 1)' in updates[0], updates
    client.post(f"/polls/{question.id}/vote/", {"choice": str(red.id)})
    red.refresh_from_db()
    assert red.votes == 2
    results = client.get(response["Location"]).content.decode()
    assert "<li>Red -- 2 votes</li>" in results and "<li>Blue -- 0 votes</li>" in results
    assert f'<a href="/polls/{question.id}/">Vote again?</a>' in results


def test_voting_without_a_choice_shows_the_form_again(polls):
    question = create_question("Best colour?", days=-1)
    question.choice_set.create(choice_text="Red")
    other = create_question("Other?", days=-1).choice_set.create(choice_text="Not this question's")
    client = Client()
    for data in ({}, {"choice": str(other.id)}):
        response = client.post(f"/polls/{question.id}/vote/", data)
        assert response.status_code == 200
        assert "<p><strong>You didn&#x27;t select a choice.</strong></p>" in response.content.decode(), data
    assert other.question.choice_set.get().votes == 0


def test_voting_on_a_missing_question_is_a_404(polls):
    assert Client().post("/polls/999/vote/", {"choice": "1"}).status_code == 404


def test_was_published_recently(polls):
    Question, _ = polls
    now = timezone.now()
    assert Question(pub_date=now - datetime.timedelta(hours=23)).was_published_recently() is True
    assert Question(pub_date=now - datetime.timedelta(days=1, seconds=1)).was_published_recently() is False
    assert Question(pub_date=now + datetime.timedelta(days=30)).was_published_recently() is False


def test_deleting_a_question_deletes_its_choices(polls):
    Question, Choice = polls
    question = create_question("Going?", days=-1)
    question.choice_set.create(choice_text="Yes")
    create_question("Staying?", days=-1).choice_set.create(choice_text="Yes")
    assert question.delete() == (2, {"polls.Choice": 1, "polls.Question": 1})
    assert [choice.question.question_text for choice in Choice.objects.all()] == ["Staying?"]
