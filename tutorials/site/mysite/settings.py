"""Settings of the example site the tutorials build: a blog, grown chapter by chapter."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

# For the example only: a real site reads its key from the environment.
SECRET_KEY = "example-site-not-secret-change-me"
DEBUG = True
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]", "testserver"]

# The site's own code: the blog app (views, URLs, and from chapter 06 its models).
INSTALLED_APPS = ["blog"]

# What every request and response passes through, outermost first (Django's
# order for the middleware tinyframe has so far; chapter 10 adds sessions,
# CSRF, authentication and messages between them).
MIDDLEWARE = [
    "tinyframe.middleware.security.SecurityMiddleware",
    "tinyframe.middleware.common.CommonMiddleware",
    "tinyframe.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The module whose urlpatterns every request's path is resolved against.
ROOT_URLCONF = "mysite.urls"

# Templates: the site's own in templates/ (base.html), and each app's in its
# templates/ folder (blog/templates/blog/...).
TEMPLATES = [
    {
        "BACKEND": "tinyframe.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "tinyframe.template.context_processors.request",
            ],
        },
    },
]

# What runserver serves: the application in mysite/wsgi.py, as production servers do.
WSGI_APPLICATION = "mysite.wsgi.application"

# The embedded SQLite database the ORM chapters (06 onwards) use: the file
# db.sqlite3 next to manage.py, which "manage.py migrate" creates and fills
# with the blog's first posts (blog/migrations). The environment variable
# TINYFRAME_EXAMPLE_DB names another file instead; tests/test_example_site.py
# points it at a temporary one, so that the tests never write into the
# repository. IMMEDIATE transactions take SQLite's write lock when they begin,
# so two writers wait their turn instead of failing with "database is locked".
DATABASES = {
    "default": {
        "ENGINE": "tinyframe.db.backends.sqlite3",
        "NAME": os.environ.get("TINYFRAME_EXAMPLE_DB", BASE_DIR / "db.sqlite3"),
        "OPTIONS": {"transaction_mode": "IMMEDIATE"},
    }
}
