"""Cross-site scripting: hostile values through variables, filters, attributes, includes and tags stay inert text.

Each payload is a known way to run script in a page. Rendered output is parsed
with the standard library's HTML parser, the way a browser tokenizes it: the
payload must produce no tag and no attribute the template did not write
itself. ``|safe`` (and ``{% autoescape off %}``) are the only ways out.
"""

import html
import html.parser
import json

import pytest

from tinyframe.template import Context
from tinyframe.utils.html import escape
from tinyframe.utils.safestring import mark_safe

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "javascript:alert(1)",
    '<a href="javascript:alert(1)">click</a>',
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1)//<</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;script&#x3E;alert(1)",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<img src="x" onerror="&#97;lert(1)">',
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<div style="width: expression(alert(1))">',
    "<!--<script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    '<a href="http://example.com/" onclick="alert(1)">x</a>',
    'http://example.com/"onmouseover="alert(1)',
    "http://example.com/<script>alert(1)</script>",
    "www.example.com/'onclick='alert(1)",
    'mail@example.com"><script>alert(1)</script>',
    "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "{{ secret }}{% load evil %}{# #}",
    '<a href="&#106;avascript:alert(1)">x</a>',
    '\\"><img src=x onerror=alert(1)>',
    "` onmouseover=alert(1) `",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '"\n><script>alert(1)</script>\nline two',
    "<p>one</p>\n\n<p>two</p>",
]


class TagCollector(html.parser.HTMLParser):
    """Record every start tag with its attributes, and all text, as a browser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)

    def unknown_decl(self, data):
        self.comments.append(data)

    def handle_decl(self, decl):
        self.comments.append(decl)


def parse(output: str) -> TagCollector:
    """Tokenize HTML output the way a browser does."""
    collector = TagCollector()
    collector.feed(output)
    collector.close()
    return collector


def assert_only_tags(output: str, allowed: dict, payload: str, template: str) -> None:
    """Fail unless every tag of ``output`` is in ``allowed`` (tag -> allowed attributes), with safe URLs."""
    parsed = parse(output)
    for tag, attributes in parsed.tags:
        assert tag in allowed, (
            f"rendering {template!r} with x={payload!r} produced a <{tag}> tag: {output!r}"
        )
        for name, value in attributes:
            assert name in allowed[tag], (
                f"rendering {template!r} with x={payload!r} produced a {name!r} attribute on <{tag}>: {output!r}"
            )
            if name == "href":
                scheme = (value or "").strip().lower().split(":", 1)[0]
                assert scheme in ("http", "https", "mailto"), (
                    f"rendering {template!r} with x={payload!r} produced a link to {value!r}: {output!r}"
                )
    assert not parsed.comments, f"rendering {template!r} with x={payload!r} produced a comment or declaration: {output!r}"


def test_variable_output_is_text(engine):
    """{{ x }} shows any payload as text: no tag, and the visible text is exactly the payload."""
    template = engine().from_string("<p>{{ x }}</p>")
    for payload in PAYLOADS:
        output = template.render(Context({"x": payload}))
        parsed = parse(output)
        assert parsed.tags == [("p", [])], f"rendering <p>{{{{ x }}}}</p> with x={payload!r} produced tags: {output!r}"
        assert "".join(parsed.text) == payload, (
            f"the text of {output!r} is {''.join(parsed.text)!r}; expected the payload {payload!r} as it was"
        )


@pytest.mark.parametrize("quote", ['"', "'"])
def test_attribute_values_cannot_be_broken_out_of(engine, quote):
    """Inside a quoted attribute, a payload stays the attribute's value: no new attribute, no new tag."""
    source = f"<a title={quote}{{{{ x }}}}{quote} href={quote}/{{{{ x|urlencode }}}}{quote}>link</a>"
    template = engine().from_string(source)
    for payload in PAYLOADS:
        output = template.render(Context({"x": payload}))
        parsed = parse(output)
        assert [tag for tag, _ in parsed.tags] == ["a"], f"rendering {source!r} with x={payload!r} produced {output!r}"
        attributes = dict(parsed.tags[0][1])
        assert set(attributes) == {"title", "href"}, f"rendering {source!r} with x={payload!r} gave attributes {attributes}"
        assert attributes["title"] == payload, f"the title attribute is {attributes['title']!r}; expected {payload!r}"
        assert attributes["href"].startswith("/"), f"the href {attributes['href']!r} escaped its path"


FILTER_TEMPLATES = [
    ("{{ x|upper }}", {}),
    ("{{ x|lower }}", {}),
    ("{{ x|title }}", {}),
    ("{{ x|capfirst }}", {}),
    ("{{ missing|default:x }}", {}),
    ("{{ x|default:'fallback' }}", {}),
    ("{{ x|default_if_none:'fallback' }}", {}),
    ("{{ items|join:x }}", {}),
    ("{{ list|join:', ' }}", {}),
    ("{{ x|truncatewords:3 }}", {}),
    ("{{ x|truncatechars:12 }}", {}),
    ("{{ x|slice:':20' }}", {}),
    ("{{ list|first }}{{ list|last }}", {}),
    ("{{ x|cut:' ' }}", {}),
    ("{{ x|cut:';' }}", {}),
    ("{{ x|striptags }}", {}),
    ("{{ x|wordwrap:5 }}", {}),
    ("{{ x|make_list }}", {}),
    ("{{ x|center:60 }}", {}),
    ("{{ x|add:x }}", {}),
    ("{{ x|stringformat:'s' }}", {}),
    ("{{ flag|yesno:x }}", {}),
    ("{{ x|addslashes }}", {}),
    ("{{ x|escape }}", {}),
    ("{{ x|force_escape }}", {}),
    ("{{ x|urlencode }}", {}),
    ("{{ x|iriencode }}", {}),
    ("{{ x|slugify }}", {}),
    ("{{ x|linebreaks }}", {"p": (), "br": ()}),
    ("{{ x|linebreaksbr }}", {"br": ()}),
    ("{{ x|linenumbers }}", {}),
    ("{{ x|urlize }}", {"a": ("href", "rel")}),
    ("{{ x|urlizetrunc:10 }}", {"a": ("href", "rel")}),
    ("{{ list|unordered_list }}", {"li": (), "ul": ()}),
    ("{{ x|json_script:'data' }}", {"script": ("id", "type")}),
    ("<script>var s = '{{ x|escapejs }}';</script>", {"script": ()}),
]


def test_filters_keep_payloads_escaped(engine, check_rows):
    """Whatever a filter does to a payload, its output makes no tag or attribute beyond the filter's own."""

    def check(template, allowed):
        compiled = engine().from_string(template)
        for payload in PAYLOADS:
            context = {"x": payload, "items": ["a", "b"], "list": [payload, [payload]], "flag": None}
            output = compiled.render(Context(context))
            assert_only_tags(output, allowed, payload, template)

    check_rows(FILTER_TEMPLATES, check)


def test_script_filters_cannot_end_the_script(engine):
    """escapejs and json_script output never contains '</' or a quote that ends the JavaScript string."""
    template = engine().from_string("{{ x|escapejs }}|{{ x|json_script:'d' }}")
    for payload in PAYLOADS:
        output = template.render(Context({"x": payload}))
        escaped_js, json_part = output.split("|", 1)
        for character in "<>'\"\n":
            assert character not in escaped_js, f"escapejs left {character!r} in {escaped_js!r}"
        body = json_part.removeprefix('<script id="d" type="application/json">').removesuffix("</script>")
        assert "<" not in body and ">" not in body, f"json_script left a raw angle bracket: {json_part!r}"


TAG_TEMPLATES = [
    "{% firstof missing x %}",
    "{% firstof missing x as chosen %}{{ chosen }}",
    "{% cycle x 'b' %}{% cycle x 'b' %}",
    "{% cycle x 'b' as row silent %}{{ row }}",
    "{% with y=x %}{{ y }}{% endwith %}",
    "{% for item in list %}{{ item }}{% endfor %}",
    "{% if x %}{{ x }}{% endif %}",
    "{% spaceless %}<p> {{ x }} </p>{% endspaceless %}",
    "{% autoescape on %}{{ x }}{% endautoescape %}",
    "{% autoescape off %}{{ x|escape }}{% endautoescape %}",
    "{% autoescape off %}{{ x|force_escape }}{% endautoescape %}",
]


def test_tags_escape_the_values_they_output(engine, check_rows):
    """firstof, cycle, with, for, if and spaceless output values escaped, like {{ }}."""

    def check(template):
        compiled = engine().from_string(template)
        for payload in PAYLOADS:
            output = compiled.render(Context({"x": payload, "list": [payload]}))
            assert_only_tags(output, {"p": ()}, payload, template)

    check_rows([(template,) for template in TAG_TEMPLATES], check)


def test_included_templates_escape_too(engine):
    """A template pulled in with {% include %}, with or without 'with', escapes the values it shows."""
    templates = engine({
        "inner.html": '<p title="{{ x }}">{{ x }}</p>',
        "outer.html": "{% include 'inner.html' %}{% include 'inner.html' with x=x|upper %}",
    })
    outer = templates.get_template("outer.html")
    for payload in PAYLOADS:
        output = outer.render(Context({"x": payload}))
        parsed = parse(output)
        assert [tag for tag, _ in parsed.tags] == ["p", "p"], f"rendering outer.html with x={payload!r} gave {output!r}"
        titles = [dict(attributes)["title"] for _, attributes in parsed.tags]
        assert titles == [payload, payload.upper()], f"the included titles are {titles!r}"


def test_safe_is_the_way_out(render):
    """|safe and {% autoescape off %} output the value as it is: only for HTML the site wrote itself."""
    for payload in PAYLOADS[:12]:
        assert render("{{ x|safe }}", {"x": payload}) == payload
        assert render("{% autoescape off %}{{ x }}{% endautoescape %}", {"x": payload}) == payload
        assert render("{{ x }}", {"x": mark_safe(payload)}) == payload


def test_template_syntax_in_values_is_not_interpreted(render):
    """A value holding {{ }} or {% %} is shown as text, never parsed as template code."""
    output = render("{{ x }}", {"x": "{{ secret }}{% now 'Y' %}", "secret": "s3cret"})
    assert output == "{{ secret }}{% now &#x27;Y&#x27; %}", f"got {output!r}"


# --- helpers from tinyframe.utils.html, checked where templates use them -------------------------

FILTER_TEMPLATES_HTML_AWARE = [
    ("{{ x|truncatechars_html:12 }}", {}),
    ("{{ x|truncatewords_html:2 }}", {}),
]


@pytest.mark.parametrize("template, allowed", FILTER_TEMPLATES_HTML_AWARE, ids=[template for template, _ in FILTER_TEMPLATES_HTML_AWARE])
def test_html_truncating_filters_escape_unsafe_values(engine, template, allowed):
    """truncatechars_html and truncatewords_html on a value that is not safe: its tags are shown as text."""
    compiled = engine().from_string(template)
    for payload in PAYLOADS:
        output = compiled.render(Context({"x": payload}))
        assert_only_tags(output, allowed, payload, template)


def sanitized(payload: str, apostrophes: int) -> str:
    """What an HTML sanitizer would keep of a payload (its < > & escaped, quotes left as they are), after some bold quotes."""
    return "<b>" + "'" * apostrophes + "</b>" + html.escape(payload, quote=False)


def visible_length(markup: str) -> int:
    """The number of characters of text in ``markup``, entities decoded."""
    pieces = []
    parser = html.parser.HTMLParser(convert_charrefs=True)
    parser.handle_data = pieces.append
    parser.feed(markup)
    parser.close()
    return len("".join(pieces))


@pytest.mark.parametrize("kind", ["truncatechars_html", "truncatewords_html"])
def test_html_truncating_filters_never_unescape_safe_text(engine, kind):
    """Sanitized HTML marked safe stays inert through the HTML-aware truncation, above all at the exact length of its text.

    Django 5.2's truncatechars_html writes the last piece of text unescaped when
    it fills the limit exactly (and the output so far is as long as the input's:
    raw quotes, escaped on the way out, make up for the entities), so
    "&lt;img ...&gt;" can come out as a live <img>.
    """
    template = engine().from_string(f"{{{{ x|{kind}:n }}}}")
    for payload in PAYLOADS:
        for apostrophes in range(12):
            value = sanitized(payload, apostrophes)
            text_length = visible_length(value)
            for length in (text_length - 1, text_length, text_length + 1):
                output = template.render(Context({"x": mark_safe(value), "n": length}))
                assert_only_tags(output, {"b": ()}, value, f"{{{{ x|{kind}:{length} }}}}")


@pytest.mark.parametrize("template", ["{{ x|urlize }}", "{{ x|urlizetrunc:15 }}"])
def test_urlize_on_safe_text_adds_only_links(engine, template):
    """urlize on text already escaped and marked safe: the only new tags are <a href="http...">, never "&amp;amp;"."""
    compiled = engine().from_string(template)
    for payload in PAYLOADS:
        text = escape(payload)
        output = compiled.render(Context({"x": mark_safe(text)}))
        assert_only_tags(output, {"a": ("href", "rel")}, text, template)
        assert "&amp;amp;" not in output or "&amp;amp;" in text, f"urlize double-escaped {text!r}: {output!r}"


def test_urlize_escapes_the_href_and_the_text_once(render):
    """Django's urlize01/02: an unsafe value is escaped once in the link text; a safe one's entities are decoded for the href."""
    got = render("{{ a|urlize }} {{ b|urlize }}", {"a": "http://example.com/?x=&y=", "b": mark_safe("http://example.com?x=&amp;y=")})
    assert got == (
        '<a href="http://example.com/?x=&amp;y=" rel="nofollow">http://example.com/?x=&amp;y=</a> '
        '<a href="http://example.com?x=&amp;y=" rel="nofollow">http://example.com?x=&amp;y=</a>'
    ), f"got {got!r}"
    got = render(
        "{% autoescape off %}{{ a|urlize }} {{ b|urlize }}{% endautoescape %}",
        {"a": "http://example.com/?x=&y=", "b": mark_safe("http://example.com?x=&amp;y=&lt;2&gt;")},
    )
    assert got == (
        '<a href="http://example.com/?x=&amp;y=" rel="nofollow">http://example.com/?x=&y=</a> '
        '<a href="http://example.com?x=&amp;y=%3C2%3E" rel="nofollow">http://example.com?x=&amp;y=&lt;2&gt;</a>'
    ), f"got {got!r}"


def test_urlize_links_only_valid_email_addresses_in_a_page(render):
    """Through the filter, "foo@bar" or "a@b.c" stay text; a real address becomes a mailto: link without rel."""
    got = render("{{ x|urlize }}", {"x": "foo@bar a@b.c ada@example.com"})
    assert got == 'foo@bar a@b.c <a href="mailto:ada@example.com">ada@example.com</a>', f"got {got!r}"


def test_csrf_token_value_is_escaped(render):
    """{% csrf_token %} builds its <input> with format_html: a hostile token stays inside the value attribute."""
    for payload in PAYLOADS:
        output = render("{% csrf_token %}", {"csrf_token": payload})
        parsed = parse(output)
        assert [tag for tag, _ in parsed.tags] == ["input"], f"{{% csrf_token %}} with {payload!r} gave {output!r}"
        assert dict(parsed.tags[0][1])["value"] == payload, f"the token came out as {dict(parsed.tags[0][1])['value']!r}"


def test_json_script_payload_cannot_end_the_script_element(render):
    """{{ x|json_script:"id" }}: the value's "</script>" stays inside the JSON string, which decodes back to it."""
    for payload in PAYLOADS:
        output = render('{{ x|json_script:"data" }}', {"x": {"title": payload}})
        parsed = parse(output)
        assert [tag for tag, _ in parsed.tags] == ["script"], f"json_script of {payload!r} gave {output!r}"
        assert json.loads("".join(parsed.text)) == {"title": payload}, f"the JSON of {output!r} does not decode back"
