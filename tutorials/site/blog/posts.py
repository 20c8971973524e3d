"""The blog's posts. Until the ORM arrives in chapter 06 they live in a list."""

POSTS = [
    {
        "slug": "hello-wsgi",
        "title": "Hello, WSGI",
        "body": "A web application is a callable that takes an environ and start_response.",
    },
    {
        "slug": "requests-and-responses",
        "title": "Requests & responses",
        "body": "HttpRequest wraps the environ; HttpResponse becomes <status, headers, body>.",
    },
]


def find_post(slug: str) -> dict | None:
    """The post with this slug, or None."""
    return next((post for post in POSTS if post["slug"] == slug), None)
