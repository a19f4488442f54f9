"""Tandem settings. Everything that differs between machines comes from the environment."""

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("TANDEM_VAR_DIR", PROJECT_DIR / "var"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# True under pytest: cheaper password hashing, no HTTPS redirect. Servers that browser tests
# start in a subprocess are real servers and do not set it.
TESTING = env_bool("TANDEM_TESTING", default="pytest" in sys.modules)
# Whether the addresses Tandem calls out to (webhooks, chat, identity providers) may be plain
# http on this machine: while developing and testing, and for a server under browser test
# whose peers run on loopback. Anywhere else they are https.
LOOPBACK_HTTP_ALLOWED = env_bool("LOOPBACK_HTTP_ALLOWED", default=DEBUG or TESTING)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and not TESTING:
        raise ImproperlyConfigured(
            "Set SECRET_KEY (a long random string) in the environment, or DEBUG=1 for local use."
        )
    # Local development and tests only: a production server refuses to start without one.
    SECRET_KEY = "insecure-local-development-key-change-me-" + "x" * 20  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "tandem.core",
    "tandem.accounts",
    "tandem.partners",
    "tandem.vision",
    "tandem.traction",
    "tandem.scorecard",
    "tandem.issues",
    "tandem.ideas",
    "tandem.meetings",
    "tandem.relationship.people",
    "tandem.relationship.diligence",
    "tandem.relationship.commitments",
    "tandem.relationship.communication",
    "tandem.relationship.asks",
    "tandem.relationship.checkins",
    "tandem.relationship.way",
    "tandem.exchange.money",
    "tandem.exchange.pipeline",
    "tandem.exchange.ledger",
    "tandem.notifications",
    "tandem.plans",
    "tandem.evaluation.health",
    "tandem.evaluation.alerts",
    "tandem.evaluation.dashboard",
    "tandem.evaluation.digest",
    "tandem.transfer.imports",
    "tandem.transfer.archive",
    "tandem.integrations.webhooks",
    "tandem.integrations.chat",
    "tandem.integrations.sso",
    "tandem.personal",
    "tandem.web",
    "tandem.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Inside the session and auth: it asks who is signed in, after the view answered.
    "tandem.core.middleware.PrivateResponses",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "tandem.accounts.middleware.ActorMiddleware",
    # After the actor: a workspace's sign-in rules (company login, two-factor) on each page.
    "tandem.integrations.sso.policy.SignInPolicy",
    # After the actor: its 400 page is drawn in the product's layout.
    "tandem.core.params.QueryParametersMiddleware",
    "tandem.core.handlers.DomainErrorMiddleware",
    # Axes last: it turns a lockout into its own response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"
ASGI_APPLICATION = "tandem.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.web.context_processors.navigation",
            ],
            # Days, time zones and allauth's headings written one way on every page and mail.
            "builtins": ["tandem.web.templatetags.words"],
        },
    }
]

# Inputs, text areas and selects written in Python, character for character what Django's
# widget templates write (a template per field cost a form page about 2 ms).
FORM_RENDERER = "tandem.core.widgets.FastRenderer"

# --- Database -----------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}")
# Connections are kept between requests (a new one costs more than most pages' queries);
# a broken one is noticed and replaced.
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction, so two writers queue instead of failing half-way.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
            " PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["TEST"] = {"NAME": env_str("TANDEM_TEST_SQLITE", "") or None}
else:
    DATABASES["default"].setdefault("TEST", {})
    if env_int("DB_POOL_SIZE", 0) > 0:
        # DB_POOL_SIZE=8: a pool of connections per process (psycopg_pool) instead of one
        # kept per thread. The live meetings' gthread workers run dozens of threads each,
        # and a connection kept by every thread that ever served a page ran PostgreSQL out
        # of its 100 connections at 1,000 attendees; a pooled thread borrows one for a
        # request. Not the default yet: after a database restart the pool takes its own
        # time to reconnect (tests/core/test_database_restart.py refuses that), which
        # PgBouncer in front of PostgreSQL does not (docs/scaling.md).
        # With health checks on, Django has the pool check a connection as it lends it (one
        # round trip): after a database restart the dead ones are replaced, not served.
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": env_int("DB_POOL_SIZE", 8),
            "timeout": 10,
        }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Hashing cost is not what the tests measure.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "tandem.accounts.forms.SignupForm"
# The company-sign-in layer's adapters: signing out of a company's login signs out of its
# provider too; a provider signs in only the people its workspace or partnership knows.
ACCOUNT_ADAPTER = "tandem.integrations.sso.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "tandem.integrations.sso.adapter.SocialAccountAdapter"
# Identity providers are the workspaces' own (integrations.sso), each an allauth SocialApp
# with PKCE on; the provider vouches for its domains' addresses, so none waits for a
# confirmation mail. Tokens are not kept: Tandem calls nothing of the provider afterwards.
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
# Sign-up answers the same whether or not the address has an account: a new account waits
# for its address to be confirmed, and the owner of an existing one is told by e-mail.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
# Wrong passwords are counted once, in the database (axes, below); allauth's own sign-in
# limit would count them a second time and answer differently. Its other limits stay, in the
# shared cache (CACHES, below).
ACCOUNT_RATE_LIMITS = {"login": None}
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Tandem] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tandem"

# Sign-in throttling (tandem.accounts.throttling), counted in the database for every process:
# per e-mail and address, the 5th wrong password pauses that pair for 5 minutes and each
# further one doubles the pause; per address across e-mails, from the 30th each one pauses
# the address for 15 minutes. Another address is not affected. Failures are forgotten a day
# (AXES_COOLOFF_TIME, hours) after the last one, and a success clears its pair.
SIGNIN_FAILURES_PER_ACCOUNT = env_int("SIGNIN_FAILURES_PER_ACCOUNT", 5)
SIGNIN_FAILURES_PER_ADDRESS = env_int("SIGNIN_FAILURES_PER_ADDRESS", 30)
AXES_HANDLER = "tandem.accounts.throttling.SignInThrottle"
AXES_LOCK_OUT_AT_FAILURE = False  # SignInThrottle decides, with the two limits above
AXES_COOLOFF_TIME = 24
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "tandem.accounts.throttling.login_name"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tandem.accounts.throttling.lockout_response"
AXES_VERBOSE = False
AXES_ENABLED = env_bool("AXES_ENABLED", default=True)

# --- E-mail -------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Tandem <tandem@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    _email = urlparse(EMAIL_URL)
    _query = parse_qs(_email.query)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or (465 if _email.scheme == "smtps" else 25)
    EMAIL_HOST_USER = unquote(_email.username or "")
    EMAIL_HOST_PASSWORD = unquote(_email.password or "")
    EMAIL_USE_SSL = _email.scheme == "smtps"
    EMAIL_USE_TLS = _email.scheme == "smtp+tls" or _query.get("tls", ["0"])[0] in {"1", "true"}
elif env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
else:
    # No mail server configured: mails are printed where `make run` shows its logs.
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
EMAIL_TIMEOUT = 10

# --- Background tasks ---------------------------------------------------------------------
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = PROJECT_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # After `manage.py collectstatic`, STATIC_MANIFEST=1 serves hashed, compressed,
        # forever-cached files; without it whitenoise serves straight from the apps.
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("STATIC_MANIFEST")
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True
# Autorefresh looks a static file up when it is asked for; without it whitenoise lists every
# file when its middleware is made, which the test client does for each Client (10 ms each).
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

# --- Security -----------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG and not TESTING)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG or TESTING else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Asking browsers to preload the domain is its owner's decision, hard to undo, and
    # binds every subdomain: off unless SECURE_HSTS_PRELOAD=1, so `check --deploy` is not
    # asked to warn about a choice made on purpose.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that always sets (and overwrites) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Browser features no page of Tandem uses are refused to every page (and to anything a
# note could ever smuggle in).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media",
        "fullscreen", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
        "payment", "picture-in-picture", "publickey-credentials-get", "screen-wake-lock",
        "usb", "xr-spatial-tracking",
    )
}  # fmt: skip
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
    }
}

# --- Locale -------------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- State shared by every process ------------------------------------------------------
# Nothing a request leaves behind lives in one process's memory: gunicorn runs several
# workers, and a larger program several machines. The cache holds allauth's rate limits
# (reset mails, sign-ups, confirmation mails, two-factor codes already used) and whatever
# else is cached; every process must count in the same place.
REDIS_URL = env_str("REDIS_URL")
# Several installations sharing one Redis (or one cache folder) keep apart by this.
CACHE_KEY_PREFIX = env_str("CACHE_KEY_PREFIX")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # A Redis that stops answering fails the request in seconds, not never.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions are read from Redis (no query per request) and written through to the
    # database, so a restarted or evicting Redis, or a cleared cache, signs nobody out, and
    # the session table stays the full list should "sign out everywhere" ever query it.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # One machine, no other service: a folder every process of it shares (a per-process
    # memory cache would let each gunicorn worker count rate limits on its own). Only the
    # rate-limited flows touch it; sessions stay in the database.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Uploads wait here for the task worker (tandem.transfer.imports): on several machines, a
# folder they all mount.
IMPORTS_DIR = env_str("IMPORTS_DIR", str(VAR_DIR / "imports"))

NINJA_PAGINATION_PER_PAGE = 50
TANDEM_PAGE_SIZE = 25

# The port `make run` serves on (PORT=8001 make run); absolute links in e-mails (invitations,
# recaps) start with SITE_URL, which follows that port unless it is set.
PORT = env_int("PORT", 8000)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
