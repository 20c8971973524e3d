"""The default value of every setting tinyframe reads, with Django's names and defaults.

A project's settings override these; a setting the project does not name falls
back to the value here. Later chapters add their defaults to this module.
"""

# Show detailed error pages. Never on in production: they reveal source and settings.
DEBUG = False

# Host names this site may serve. Requests for any other Host get a 400, which
# stops cache poisoning and password-reset links pointing at an attacker's host.
# While DEBUG is on and this is empty, localhost names are allowed.
ALLOWED_HOSTS = []

# The key that signs cookies and tokens. Keep it secret; a project must set it.
SECRET_KEY = ""

# Older keys still accepted when checking signatures, so a key can be rotated
# without logging everybody out.
SECRET_KEY_FALLBACKS = []

# The charset of responses, and of request bodies that do not name one.
DEFAULT_CHARSET = "utf-8"

# The largest request body (in bytes) read into memory before answering 413,
# and the most fields a query string or form body may have. None turns a limit off.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2621440  # 2.5 MB
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 100

# Uploaded files up to this size stay in memory; larger ones go to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2621440  # 2.5 MB

# Trust the X-Forwarded-Host / X-Forwarded-Port headers of a proxy in front.
USE_X_FORWARDED_HOST = False
USE_X_FORWARDED_PORT = False

# The URL prefix the site is served under, when the server does not say it
# right in SCRIPT_NAME (a proxy that strips the prefix, say). None: trust
# SCRIPT_NAME. Set, it becomes every request's SCRIPT_NAME, so request.path
# and the URLs reverse() builds carry it.
FORCE_SCRIPT_NAME = None

# A (header, value) pair that tells a proxied request arrived over HTTPS, such
# as ("HTTP_X_FORWARDED_PROTO", "https"). Only set it behind a proxy that sets
# the header itself, or clients can claim to be secure.
SECURE_PROXY_SSL_HEADER = None

# The dotted path of the WSGI application that runserver serves; None means the
# default, tinyframe.core.wsgi.get_wsgi_application().
WSGI_APPLICATION = None

# The signer used by signed cookies.
SIGNING_BACKEND = "tinyframe.core.signing.TimestampSigner"

# The project's packages, as dotted names.
INSTALLED_APPS = []
# >>> 02_urls

# The dotted path of the root URLconf: the module whose ``urlpatterns`` every
# request's path is resolved against (and whose handler404/500... override the
# error pages). None: the project has no URLs yet, and every path shows the
# welcome page.
ROOT_URLCONF = None
# <<< 02_urls
# >>> 03_templates

# How the date and time filters show a value when given no format (and what
# the names "DATE_FORMAT", "SHORT_DATE_FORMAT"... stand for when given one):
# format characters of tinyframe.utils.dateformat, with Django's defaults.
DATE_FORMAT = "N j, Y"
DATETIME_FORMAT = "N j, Y, P"
TIME_FORMAT = "P"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y P"
# <<< 03_templates
# >>> 03_templates

# The template engines, one dict per engine: BACKEND, DIRS, APP_DIRS and OPTIONS
# (see tinyframe.template.backends.django). Empty: the project renders no templates.
TEMPLATES = []

# The addresses whose requests see {{ debug }} (the debug context processor) while DEBUG is on.
INTERNAL_IPS = []
# <<< 03_templates
# >>> 05_middleware

# The middleware every request and response passes through, as dotted paths:
# the first is outermost (it sees the request first and the response last).
MIDDLEWARE = []

# CommonMiddleware: redirect /about to /about/ when only the latter has a view;
# redirect example.com to www.example.com; refuse clients whose User-Agent
# matches one of these compiled regular expressions with a 403.
APPEND_SLASH = True
PREPEND_WWW = False
DISALLOWED_USER_AGENTS = []

# SecurityMiddleware. HSTS (on HTTPS responses only): browsers remember for this
# many seconds to use HTTPS only; 0 sends no header. Start small: a mistake is
# remembered for as long.
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
# X-Content-Type-Options: nosniff, so browsers never run an upload as a script.
SECURE_CONTENT_TYPE_NOSNIFF = True
# Referrer-Policy and Cross-Origin-Opener-Policy; None sends no header.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Redirect plain HTTP requests to HTTPS (to SECURE_SSL_HOST, if set), except
# paths matching a regular expression of SECURE_REDIRECT_EXEMPT.
SECURE_SSL_REDIRECT = False
SECURE_SSL_HOST = None
SECURE_REDIRECT_EXEMPT = []

# XFrameOptionsMiddleware: whether other sites may show this one in a frame
# ("DENY" or "SAMEORIGIN"), against clickjacking.
X_FRAME_OPTIONS = "DENY"
# <<< 05_middleware
# >>> 06_orm

# The databases, by alias; "default" is the one used unless code names another.
# Each is a dict: ENGINE (the backend's dotted path), NAME (for SQLite, a file
# path, or ":memory:" for a database that lives as long as the process), and
# optionally OPTIONS ({"timeout": 20, "transaction_mode": "IMMEDIATE",
# "init_command": "..."}), AUTOCOMMIT, CONN_MAX_AGE.
DATABASES = {}

# The primary key a model gets when none of its fields says primary_key=True.
DEFAULT_AUTO_FIELD = "tinyframe.db.models.AutoField"

# Store and compute datetimes as aware values in UTC, shown in TIME_ZONE; off,
# datetimes are naive values in TIME_ZONE. USE_TZ = True is Django's default
# since 5.0; TIME_ZONE is what Django's startproject writes (Django's own
# fallback, "America/Chicago", surprises everyone outside Chicago).
USE_TZ = True
TIME_ZONE = "UTC"
# <<< 06_orm
# >>> 08_migrations

# Where each app's migrations live, by app label, when not in "<app>.migrations":
# {"blog": "blog.db_migrations"}; None as the value means the app has none.
MIGRATION_MODULES = {}
# <<< 08_migrations
# >>> 09_forms

# The class that renders forms and widgets (tinyframe.forms.renderers): the
# default uses tinyframe's own form templates, with the project's templates
# ("TemplatesSetting") as the alternative that lets a project override them.
FORM_RENDERER = "tinyframe.forms.renderers.DjangoTemplates"

# The formats date, time and datetime form fields accept, tried in order
# (strptime codes, Django's defaults). ISO 8601 is always accepted as well.
DATE_INPUT_FORMATS = [
    "%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%b %d %Y", "%b %d, %Y", "%d %b %Y", "%d %b, %Y", "%B %d %Y",
    "%B %d, %Y", "%d %B %Y", "%d %B, %Y",
]  # fmt: skip
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M:%S.%f", "%H:%M"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S.%f",
    "%m/%d/%Y %H:%M", "%m/%d/%y %H:%M:%S", "%m/%d/%y %H:%M:%S.%f", "%m/%d/%y %H:%M",
]  # fmt: skip
# <<< 09_forms
# >>> 10_auth

# Sessions (tinyframe.contrib.sessions): where they are stored, how their data
# is written, and the cookie that carries the session key. The cookie lasts two
# weeks, is not readable from JavaScript, and is sent on top-level navigation
# from other sites only (SameSite=Lax).
SESSION_ENGINE = "tinyframe.contrib.sessions.backends.db"
SESSION_SERIALIZER = "tinyframe.contrib.sessions.serializers.JSONSerializer"
SESSION_CACHE_ALIAS = "default"
SESSION_COOKIE_NAME = "sessionid"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 7 * 2  # two weeks, in seconds
SESSION_COOKIE_DOMAIN = None
SESSION_COOKIE_SECURE = False
SESSION_COOKIE_PATH = "/"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = False

# CSRF protection (tinyframe.middleware.csrf): the cookie holding each
# visitor's secret (or the session, with CSRF_USE_SESSIONS), the header
# JavaScript sends the token in, the origins trusted besides the site's own,
# and the view that answers a refused request with a 403.
CSRF_FAILURE_VIEW = "tinyframe.views.csrf.csrf_failure"
CSRF_COOKIE_NAME = "csrftoken"
CSRF_COOKIE_AGE = 60 * 60 * 24 * 7 * 52  # a year, in seconds
CSRF_COOKIE_DOMAIN = None
CSRF_COOKIE_PATH = "/"
CSRF_COOKIE_SECURE = False
CSRF_COOKIE_HTTPONLY = False
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_HEADER_NAME = "HTTP_X_CSRFTOKEN"
CSRF_TRUSTED_ORIGINS = []
CSRF_USE_SESSIONS = False

# Messages (tinyframe.contrib.messages): where a message waits for the next
# page. MESSAGE_LEVEL and MESSAGE_TAGS, as in Django, have their defaults in
# tinyframe.contrib.messages.constants rather than here.
MESSAGE_STORAGE = "tinyframe.contrib.messages.storage.fallback.FallbackStorage"

# Users (tinyframe.contrib.auth): the user model, the backends that check
# credentials (tried in order), where login_required sends the anonymous and
# where a login or logout leads, the password hashers (the first one hashes
# new passwords; the others still verify old hashes), and the validators a new
# password must pass (none by default, as in Django; a project lists them).
AUTH_USER_MODEL = "auth.User"
AUTHENTICATION_BACKENDS = ["tinyframe.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/accounts/profile/"
LOGOUT_REDIRECT_URL = None
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3  # three days, in seconds
PASSWORD_HASHERS = [
    "tinyframe.contrib.auth.hashers.PBKDF2PasswordHasher",
    "tinyframe.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "tinyframe.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = []
# <<< 10_auth
