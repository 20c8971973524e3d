"""Form renderers: the default one, a form's own, and a project's templates replacing ours."""

import pytest

ERRORS = {"errors": ["<Bad>"], "error_class": "errorlist"}


def test_the_default_renderer_is_made_once_from_form_renderer(forms):
    renderer = forms.renderers.get_default_renderer()
    assert type(renderer) is forms.renderers.DjangoTemplates
    assert forms.renderers.get_default_renderer() is renderer
    assert forms.Form().renderer is renderer


def test_a_renderer_renders_a_template_with_a_dict_escaped_and_stripped(renderer):
    rendered = renderer.render("tinyframe/forms/errors/list/ul.html", ERRORS)
    assert rendered == '<ul class="errorlist"><li>&lt;Bad&gt;</li></ul>'
    assert rendered.__html__() == rendered, "what a renderer returns is safe: it is HTML already"
    assert renderer.render("tinyframe/forms/errors/list/text.txt", ERRORS) == "* &lt;Bad&gt;", (
        "the trailing newline of the template is stripped"
    )


def test_a_renderer_finds_and_compiles_each_template_once(renderer):
    first = renderer.get_template("tinyframe/forms/div.html")
    assert renderer.get_template("tinyframe/forms/div.html") is first


def test_a_missing_template_names_itself(renderer):
    from tinyframe.template import TemplateDoesNotExist

    with pytest.raises(TemplateDoesNotExist) as caught:
        renderer.render("tinyframe/forms/nope.html", {})
    assert "tinyframe/forms/nope.html" in str(caught.value)


def test_the_base_renderer_needs_get_template(forms):
    class Incomplete(forms.renderers.BaseRenderer):
        pass

    with pytest.raises(NotImplementedError) as caught:
        Incomplete().render("x.html", {})
    assert str(caught.value) == "subclasses must implement get_template()"


def test_renderer_template_names_are_djangos_with_tinyframe(forms):
    renderer = forms.renderers.BaseRenderer
    assert renderer.form_template_name == "tinyframe/forms/div.html"
    assert renderer.formset_template_name == "tinyframe/forms/formsets/div.html"
    assert renderer.field_template_name == "tinyframe/forms/field.html"


def test_a_renderer_subclass_switches_every_form_to_another_layout(forms, assert_html):
    class ParagraphRenderer(forms.renderers.DjangoTemplates):
        form_template_name = "tinyframe/forms/p.html"

    class NameForm(forms.Form):
        default_renderer = ParagraphRenderer
        name = forms.CharField()

    expected = '<p><label for="id_name">Name:</label><input type="text" name="name" required id="id_name"></p>'
    assert_html(str(NameForm()), expected, "a form whose default_renderer is a class")
    assert_html(str(NameForm(renderer=ParagraphRenderer())), expected, "a form given a renderer")

    class SharedRendererForm(forms.Form):
        default_renderer = ParagraphRenderer()
        name = forms.CharField()

    assert SharedRendererForm().renderer is SharedRendererForm.default_renderer


@pytest.fixture
def project_templates(tmp_path, use_settings, forms):
    """A project whose TEMPLATES has its own directory first, then the built-in form templates."""
    widgets = tmp_path / "tinyframe" / "forms" / "widgets"
    widgets.mkdir(parents=True)
    (widgets / "text.html").write_text('<input class="project" name="{{ widget.name }}">')
    (tmp_path / "tinyframe" / "forms" / "div.html").write_text(
        "{% for field, errors in fields %}<section>{{ field.label_tag }}{{ field }}</section>{% endfor %}"
    )
    use_settings(
        FORM_RENDERER="tinyframe.forms.renderers.TemplatesSetting",
        TEMPLATES=[
            {
                "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
                "DIRS": [str(tmp_path), str(forms.renderers.TEMPLATES_DIR)],
                "APP_DIRS": False,
                "OPTIONS": {},
            }
        ],
    )


def test_templates_setting_lets_a_project_override_form_and_widget_templates(forms, project_templates):
    class NameForm(forms.Form):
        name = forms.CharField()
        age = forms.IntegerField()

    form = NameForm()
    assert type(form.renderer) is forms.renderers.TemplatesSetting
    assert str(form) == (
        '<section><label for="id_name">Name:</label><input class="project" name="name"></section>'
        '<section><label for="id_age">Age:</label><input type="number" name="age" required id="id_age"></section>'
    ), "the project's div.html and text.html replace ours; the number input is still the built-in one"


def test_the_default_renderer_comes_back_after_the_override(forms, use_settings):
    use_settings(FORM_RENDERER="tinyframe.forms.renderers.TemplatesSetting")
    assert type(forms.renderers.get_default_renderer()) is forms.renderers.TemplatesSetting
    use_settings(FORM_RENDERER="tinyframe.forms.renderers.DjangoTemplates")
    assert type(forms.renderers.get_default_renderer()) is forms.renderers.DjangoTemplates


def test_an_installed_app_can_ship_templates_for_its_widgets(forms, tmp_path, monkeypatch, use_settings):
    package = tmp_path / "h1_widget_app"
    (package / "templates" / "h1_widget_app").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "templates" / "h1_widget_app" / "stars.html").write_text(
        '<span class="stars">{{ widget.value|default:"0" }}</span>'
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    use_settings(INSTALLED_APPS=["h1_widget_app"])

    class StarsWidget(forms.TextInput):
        template_name = "h1_widget_app/stars.html"

    class ReviewForm(forms.Form):
        stars = forms.IntegerField(widget=StarsWidget)

    assert str(ReviewForm(initial={"stars": 4}, renderer=forms.renderers.DjangoTemplates())["stars"]) == (
        '<span class="stars">4</span>'
    )
