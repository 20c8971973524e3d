"""A relation's hops (``path_infos``) are made once a field, as Django caches them, and made again when a model changes.

Every query that follows a relation asks for its ``PathInfo`` hops; they
depend only on the two models, so the field keeps them. Adding a field to
either model (a migration, a test changing ``_meta``) forgets them, and the
copy of an abstract parent's key gets hops from its own model.
"""

from tinyframe.apps.registry import Apps
from tinyframe.db import models
from tinyframe.db.models import CASCADE


def meta(registry):
    return type("Meta", (), {"app_label": "paths", "apps": registry})


def models_in(registry):
    class Writer(models.Model):
        name = models.CharField(max_length=20)
        Meta = meta(registry)

    class Label(models.Model):
        Meta = meta(registry)

    class Story(models.Model):
        writer = models.ForeignKey(Writer, CASCADE)
        labels = models.ManyToManyField(Label)
        Meta = meta(registry)

    return Writer, Label, Story


def test_the_hops_are_made_once_a_field():
    Writer, Label, Story = models_in(Apps(installed_apps=None))
    writer = Story._meta.get_field("writer")
    hops = writer.path_infos
    assert writer.path_infos is hops, "the second query along the relation reuses the hops"
    assert [(hop.from_opts, hop.to_opts, hop.target_fields) for hop in hops] == [
        (Story._meta, Writer._meta, (Writer._meta.pk,))
    ]
    assert writer.remote_field.path_infos is writer.remote_field.path_infos
    assert writer.remote_field.path_infos[0].to_opts is Story._meta
    labels = Story._meta.get_field("labels")
    assert labels.path_infos is labels.path_infos and len(labels.path_infos) == 2


def test_a_field_added_to_either_model_forgets_the_hops():
    Writer, Label, Story = models_in(Apps(installed_apps=None))
    writer = Story._meta.get_field("writer")
    before, back = writer.path_infos, writer.reverse_path_infos
    Writer.add_to_class("born", models.IntegerField(null=True))  # the target changed
    assert writer.path_infos is not before and writer.reverse_path_infos is not back
    assert writer.path_infos[0].to_opts is Writer._meta
    again = writer.path_infos
    Story.add_to_class("pages", models.IntegerField(null=True))  # the model holding the key changed
    assert writer.path_infos is not again
    assert list(Story.objects.filter(writer__name="x", pages=1).query.alias_map) == ["paths_story", "paths_writer"]


def test_an_abstract_parent_s_key_is_copied_without_its_hops():
    registry = Apps(installed_apps=None)

    class Writer(models.Model):
        Meta = meta(registry)

    class Base(models.Model):
        writer = models.ForeignKey(Writer, CASCADE, related_name="%(class)s_items")

        class Meta:
            abstract = True
            app_label = "paths"
            apps = registry

    class Poem(Base):
        Meta = meta(registry)

    class Essay(Base):
        Meta = meta(registry)

    assert Poem._meta.get_field("writer").path_infos[0].from_opts is Poem._meta
    assert Essay._meta.get_field("writer").path_infos[0].from_opts is Essay._meta
