"""Benchmark: one realistic blog page, rendered by tinyframe, Django, Jinja2 and by hand.

Run it by hand (it is not collected as a test)::

    python -m pip install -e '.[bench]'     # Django and Jinja2, to compare with
    python tests/benchmarks/templates.py    # --quick for a fast, rougher run

The page: a base template with blocks, and a child that extends it and loops
over 100 posts with attribute and dict lookups, filters (upper,
truncatewords, date, default), an ``if`` and auto-escaped text full of
``< > & "``. Each engine renders its own spelling of the same templates; the
script first checks that all produce the same HTML (whitespace and the
spelling of entities aside), then times, side by side in one run:

- warm render: the template already loaded and compiled, render it again;
- cold start: a new engine, load both templates, compile, render once.

It prints the median time of each and its ratio to the hand-written
function (the floor: Python string building with ``html.escape``) and to
Jinja2. The targets (issues 4 and 10): warm render at most Jinja2's time,
cold start faster than Jinja2's.
"""

import datetime
import html
import os
import re
import statistics
import sys
import time
import timeit

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)

# --- the data ----------------------------------------------------------------


class Post:
    """A blog post, read through attributes (like a model instance)."""

    def __init__(self, number: int):
        self.slug = f"post-{number}"
        self.title = f"Tips & tricks <part {number}>"
        self.body = " ".join(
            f'word{i} <b>bold</b> & "quoted"' if i % 7 == 0 else f"word{i}" for i in range(60)
        )
        self.author = {"name": f"Author {number % 7} <{number % 7}@example.com>", "bio": "" if number % 3 else "Writes."}
        self.date = datetime.date(2024, 1 + number % 12, 1 + number % 28)
        self.comment_count = number % 4
        self.tags = ["python", "web"] if number % 2 else []


CONTEXT = {
    "site": {"name": "Tiny & Co", "tagline": "Small <frameworks>, big ideas", "year": 2024},
    "posts": [Post(number) for number in range(100)],
}

# --- the templates: Django's language (tinyframe, Django) ------------------------

DJANGO_TEMPLATES = {
    "base.html": """<!doctype html>
<html>
<head><title>{% block title %}{{ site.name }}{% endblock %}</title></head>
<body>
<header><h1>{{ site.name }}</h1><p>{{ site.tagline }}</p></header>
<main>{% block content %}{% endblock %}</main>
<footer>{% block footer %}&copy; {{ site.year }} {{ site.name }}{% endblock %}</footer>
</body>
</html>
""",
    "posts.html": """{% extends "base.html" %}
{% block title %}Posts | {{ block.super }}{% endblock %}
{% block content %}
{% for post in posts %}
<article id="{{ post.slug }}">
  <h2><a href="/posts/{{ post.slug }}/">{{ post.title|upper }}</a></h2>
  <p class="meta">by {{ post.author.name }} on {{ post.date|date:"Y-m-d" }}</p>
  <p class="bio">{{ post.author.bio|default:"No bio yet" }}</p>
  <div>{{ post.body|truncatewords:20 }}</div>
  {% if post.comment_count %}<p>{{ post.comment_count }} comments</p>{% else %}<p>No comments yet</p>{% endif %}
</article>
{% endfor %}
{% endblock %}
""",
}

# --- the same templates in Jinja2 ------------------------------------------------

JINJA_TEMPLATES = {
    "base.html": DJANGO_TEMPLATES["base.html"].replace("{{ site.name }}{% endblock %}", "{{ site.name }}{% endblock %}"),
    "posts.html": """{% extends "base.html" %}
{% block title %}Posts | {{ super() }}{% endblock %}
{% block content %}
{% for post in posts %}
<article id="{{ post.slug }}">
  <h2><a href="/posts/{{ post.slug }}/">{{ post.title|upper }}</a></h2>
  <p class="meta">by {{ post.author.name }} on {{ post.date|ymd }}</p>
  <p class="bio">{{ post.author.bio or "No bio yet" }}</p>
  <div>{{ post.body|truncatewords(20) }}</div>
  {% if post.comment_count %}<p>{{ post.comment_count }} comments</p>{% else %}<p>No comments yet</p>{% endif %}
</article>
{% endfor %}
{% endblock %}
""",
}


def truncatewords(value, count: int) -> str:
    """Django's truncatewords, for Jinja2 and the hand-written page.

    It splits the whole text, as Django's does; tinyframe's filter splits off
    only the words it keeps (``Truncator.words``), a part of its lead here.
    """
    words = str(value).split()
    if len(words) > count:
        return " ".join(words[:count]) + " …"
    return " ".join(words)


# --- the floor: written by hand ------------------------------------------------------


def render_by_hand(context: dict) -> str:
    """The page built with f-strings and html.escape: about as fast as Python can do it."""
    escape = html.escape
    site = context["site"]
    name = escape(site["name"])
    out = [
        "<!doctype html>\n<html>\n<head><title>Posts | ", name, "</title></head>\n<body>\n<header><h1>", name,
        "</h1><p>", escape(site["tagline"]), "</p></header>\n<main>\n",
    ]
    append = out.append
    for post in context["posts"]:
        slug = escape(post.slug)
        author = post.author
        append(
            f'\n<article id="{slug}">\n  <h2><a href="/posts/{slug}/">{escape(post.title.upper())}</a></h2>\n'
            f'  <p class="meta">by {escape(author["name"])} on {post.date.strftime("%Y-%m-%d")}</p>\n'
            f'  <p class="bio">{escape(author["bio"] or "No bio yet")}</p>\n'
            f"  <div>{escape(truncatewords(post.body, 20))}</div>\n  "
        )
        if post.comment_count:
            append(f"<p>{post.comment_count} comments</p>")
        else:
            append("<p>No comments yet</p>")
        append("\n</article>\n")
    out.append(f"\n</main>\n<footer>&copy; {site['year']} {name}</footer>\n</body>\n</html>\n")
    return "".join(out)


# --- the engines ---------------------------------------------------------------


def tinyframe_engine():
    """``(cold, warm)``: make an engine and render once; render a loaded template again."""
    from tinyframe.template import Context, Engine

    def cold():
        engine = Engine(loaders=[("tinyframe.template.loaders.locmem.Loader", DJANGO_TEMPLATES)])
        return engine.get_template("posts.html").render(Context(CONTEXT))

    engine = Engine(loaders=[("tinyframe.template.loaders.cached.Loader", [("tinyframe.template.loaders.locmem.Loader", DJANGO_TEMPLATES)])])
    template = engine.get_template("posts.html")
    return cold, lambda: template.render(Context(CONTEXT))


def django_engine():
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(USE_TZ=False)
        django.setup()
    from django.template import Context, Engine

    def cold():
        engine = Engine(loaders=[("django.template.loaders.locmem.Loader", DJANGO_TEMPLATES)])
        return engine.get_template("posts.html").render(Context(CONTEXT))

    engine = Engine(loaders=[("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", DJANGO_TEMPLATES)])])
    template = engine.get_template("posts.html")
    return cold, lambda: template.render(Context(CONTEXT))


def jinja2_engine():
    import jinja2

    def make():
        environment = jinja2.Environment(loader=jinja2.DictLoader(JINJA_TEMPLATES), autoescape=True)
        environment.filters["truncatewords"] = truncatewords
        environment.filters["ymd"] = lambda value: value.strftime("%Y-%m-%d")
        return environment

    def cold():
        return make().get_template("posts.html").render(CONTEXT)

    template = make().get_template("posts.html")
    return cold, lambda: template.render(CONTEXT)


# --- measuring ---------------------------------------------------------------------


def normalize(page: str) -> str:
    """The page with runs of whitespace made one space and entities spelled Django's way."""
    page = page.replace("&#39;", "&#x27;").replace("&#34;", "&quot;")
    return re.sub(r"\s+", " ", page).strip()


def median_seconds(functions: dict, repeat: int, number: int) -> dict:
    """``{name: median time of one call}``, over ``repeat`` batches of ``number`` calls each.

    The contenders take turns, batch by batch, so a slow moment of the
    machine slows them all alike rather than one of them.
    """
    times = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            times[name].append(timeit.timeit(function, number=number) / number)
    return {name: statistics.median(batches) for name, batches in times.items()}


def main() -> None:
    quick = "--quick" in sys.argv
    contenders = {"by hand (floor)": (None, lambda: render_by_hand(CONTEXT))}
    for name, factory in (("tinyframe", tinyframe_engine), ("Jinja2", jinja2_engine), ("Django", django_engine)):
        try:
            contenders[name] = factory()
        except ImportError:
            print(f"({name} is not installed: skipped. python -m pip install -e '.[bench]')")

    expected = normalize(render_by_hand(CONTEXT))
    for name, (cold, warm) in contenders.items():
        for label, function in (("warm", warm), ("cold", cold)):
            if function is not None and normalize(function()) != expected:
                got = normalize(function())
                at = next(i for i, (a, b) in enumerate(zip(got + "\0", expected + "\0")) if a != b)
                raise SystemExit(
                    f"{name} ({label}) renders different HTML from the hand-written page at character {at}:\n"
                    f"  {name}: ...{got[max(at - 60, 0):at + 60]}...\n  by hand: ...{expected[max(at - 60, 0):at + 60]}..."
                )
    print(f"All {len(contenders)} render the same page ({len(expected):,} characters, 100 posts).\n")

    repeat, warm_number, cold_number = (7, 10, 3) if quick else (31, 20, 5)
    warm_times = median_seconds({name: warm for name, (_, warm) in contenders.items()}, repeat, warm_number)
    cold_times = median_seconds({name: cold for name, (cold, _) in contenders.items() if cold}, repeat, cold_number)

    floor = warm_times["by hand (floor)"]
    jinja = warm_times.get("Jinja2")
    print(f"{'warm render':<18}{'median':>12}{'x floor':>10}{'x Jinja2':>10}")
    for name, seconds in warm_times.items():
        versus_jinja = f"{seconds / jinja:>9.2f}x" if jinja else f"{'-':>10}"
        print(f"{name:<18}{seconds * 1e6:>10.0f}us{seconds / floor:>9.2f}x{versus_jinja}")
    jinja_cold = cold_times.get("Jinja2")
    print(f"\n{'cold start':<18}{'median':>12}{'x Jinja2':>10}")
    for name, seconds in cold_times.items():
        versus_jinja = f"{seconds / jinja_cold:>9.2f}x" if jinja_cold else f"{'-':>10}"
        print(f"{name:<18}{seconds * 1e3:>10.2f}ms{versus_jinja}")
    if "Django" in warm_times:
        print(f"\ntinyframe renders {warm_times['Django'] / warm_times['tinyframe']:.1f}x faster than Django's engine (warm).")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"({time.perf_counter() - start:.1f}s)")
