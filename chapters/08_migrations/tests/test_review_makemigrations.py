"""makemigrations reviewed against Django 5.2: one test per difference found by running the same model histories through both.

Each expected answer is what Django 5.2's ``makemigrations`` wrote or
printed for the same models. The states are built from ``ModelState``
objects where the autodetector alone is concerned.
"""

from tinyframe.db import models
from tinyframe.db.migrations.autodetector import MigrationAutodetector
from tinyframe.db.migrations.graph import MigrationGraph
from tinyframe.db.migrations.questioner import MigrationQuestioner
from tinyframe.db.migrations.state import ModelState, ProjectState


class AnswersYes(MigrationQuestioner):
    """Says yes to every rename."""

    def ask_rename(self, model_name, old_name, new_name, field_instance):
        return True

    def ask_rename_model(self, old_model_state, new_model_state):
        return True


def model(app_label, name, *fields, **options):
    return ModelState(app_label, name, [("id", models.AutoField(primary_key=True)), *fields], options=options or None)


def changes(before, after, leaves, questioner=None) -> dict:
    """``changes()`` between two lists of model states, after a graph holding ``leaves``."""
    states = []
    for model_states in (before, after):
        project_state = ProjectState()
        for model_state in model_states:
            project_state.add_model(model_state)
        states.append(project_state)
    graph = MigrationGraph()
    for leaf in leaves:
        graph.add_node(leaf, None)
    return MigrationAutodetector(*states, questioner or AnswersYes()).changes(graph)


def test_renaming_a_model_depends_on_the_apps_whose_foreign_keys_point_at_it():
    before = [
        model("alpha", "Post"),
        model("beta", "Link", ("post", models.ForeignKey("alpha.Post", models.CASCADE))),
    ]
    after = [
        model("alpha", "Article"),
        model("beta", "Link", ("post", models.ForeignKey("alpha.Article", models.CASCADE))),
    ]
    result = changes(before, after, [("alpha", "0001_initial"), ("beta", "0001_initial")])
    [migration] = result["alpha"]
    assert migration.name == "0002_rename_post_article"
    # Django 5.2: dependencies = [('alpha', '0001_initial'), ('beta', '0001_initial')]
    assert sorted(migration.dependencies) == [("alpha", "0001_initial"), ("beta", "0001_initial")], (
        f"the RenameModel rewrites beta.Link's foreign key, so it needs beta's migration: {migration.dependencies}"
    )
    assert "beta" not in result
