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
# >>> 10_auth
# From chapter 10, Django's contributed apps come first: sessions (a visitor
# remembered from one request to the next), auth (users with hashed passwords,
# sign-in and sign-out) and messages (a note shown once, on the next page).
# Their migrations make their tables, as the blog's make its own.
INSTALLED_APPS = ["tinyframe.contrib.sessions", "tinyframe.contrib.auth", "tinyframe.contrib.messages",
                  *INSTALLED_APPS]
# <<< 10_auth
# >>> 11_admin
# From chapter 11 the admin comes first, as Django lists it: at start-up it
# imports each app's admin module (blog/admin.py registers posts, authors
# and tags), and its migration makes the table of its history (LogEntry).
INSTALLED_APPS = ["tinyframe.contrib.admin", *INSTALLED_APPS]
# <<< 11_admin

# What every request and response passes through, outermost first (Django's
# order for the middleware tinyframe has so far; chapter 10 adds sessions,
# CSRF, authentication and messages between them).
MIDDLEWARE = [
    "tinyframe.middleware.security.SecurityMiddleware",
    # >>> 10_auth
    "tinyframe.contrib.sessions.middleware.SessionMiddleware",
    # <<< 10_auth
    "tinyframe.middleware.common.CommonMiddleware",
    # >>> 10_auth
    "tinyframe.middleware.csrf.CsrfViewMiddleware",
    "tinyframe.contrib.auth.middleware.AuthenticationMiddleware",
    "tinyframe.contrib.messages.middleware.MessageMiddleware",
    # <<< 10_auth
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
                # >>> 10_auth
                # {{ user }} and {{ perms }}, and {{ messages }}, in every template
                # (chapter 10; {{ csrf_token }} is always there).
                "tinyframe.contrib.auth.context_processors.auth",
                "tinyframe.contrib.messages.context_processors.messages",
                # <<< 10_auth
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
# >>> 10_auth

# Users (chapter 10). Visitors sign up at /accounts/signup/ and sign in at
# /accounts/login/ (LOGIN_URL's default, where login_required sends the
# anonymous); signing in or out leads back to the front page.
LOGIN_REDIRECT_URL = "blog:index"
LOGOUT_REDIRECT_URL = "blog:index"

# The checks a new password must pass, Django's four: not too like the
# username or email, at least eight characters, not one of the thousand most
# common passwords, not only digits. Passwords are stored hashed with PBKDF2
# (PASSWORD_HASHERS' default), never as typed.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "tinyframe.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "tinyframe.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "tinyframe.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "tinyframe.contrib.auth.password_validation.NumericPasswordValidator"},
]
# <<< 10_auth
