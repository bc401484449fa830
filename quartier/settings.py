"""Quartier settings: one module, configured from the environment (12-factor).

Every variable is listed in README.md ("Configuration"). Secrets may be given as `<NAME>_FILE`
pointing at a file that holds the value (Docker/Kubernetes secrets).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import environ

from quartier.core import maps as _maps

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent

env = environ.Env()
env.smart_cast = False


def _read(name: str, default: str | None = None) -> str | None:
    """Return NAME from the environment, or the content of the file named by NAME_FILE."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = env.bool("QUARTIER_DEBUG", default=False)
VAR_DIR = Path(env.str("QUARTIER_VAR_DIR", default=str(PROJECT_DIR / "var")))


def _secret_key() -> str:
    """The configured key, or one generated once and kept in VAR_DIR/secret_key (mode 0600).

    A single-server installation then needs no manual step, and the key survives restarts.
    """
    configured = _read("QUARTIER_SECRET_KEY")
    if configured:
        return configured
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        VAR_DIR.mkdir(parents=True, exist_ok=True)
        tmp = key_file.with_name(f"secret_key.{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(50))
        # link() fails if another process won the race; then its key is used.
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env.list("QUARTIER_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("QUARTIER_CSRF_TRUSTED_ORIGINS", default=[])
# Absolute links in APIs (OParl, HSDS, feeds) are built from this when there is no request.
SITE_URL = env.str("QUARTIER_SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

MEDIA_ROOT = Path(env.str("QUARTIER_MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Media are always served through quartier.core.media (permission checks); the bytes are sent
# by the app ("off"), or by the proxy: "nginx" (X-Accel-Redirect to the internal location
# QUARTIER_MEDIA_ACCEL_PREFIX) or "apache" (X-Sendfile). See docs/operations.md.
QUARTIER_MEDIA_ACCEL = env.str("QUARTIER_MEDIA_ACCEL", default="off")
if QUARTIER_MEDIA_ACCEL not in {"off", "nginx", "apache"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("QUARTIER_MEDIA_ACCEL must be off, nginx or apache.")
QUARTIER_MEDIA_ACCEL_PREFIX = env.str("QUARTIER_MEDIA_ACCEL_PREFIX", default="/_media/")
STATIC_ROOT = Path(env.str("QUARTIER_STATIC_ROOT", default=str(VAR_DIR / "static")))
STATIC_URL = "/static/"
# Project-wide assets (css, js, vendor/) live beside the apps, not in an app.
STATICFILES_DIRS = [BASE_DIR / "static"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Second factor (TOTP and recovery codes) and login throttling: docs in accounts/twofactor.py
    # and accounts/lockout.py.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "django_htmx",
    "csp",
    "ninja",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    # Our apps, in dependency order: an app may import only from those above it.
    "quartier.core",
    "quartier.accounts",
    "quartier.areas",
    "quartier.directory",
    "quartier.offers",
    "quartier.search",
    "quartier.alerts",
    "quartier.networks",
    "quartier.venues",
    "quartier.events",
    "quartier.monitoring",
    "quartier.projects",
    "quartier.participation",
    "quartier.concerns",
    "quartier.statements",
    "quartier.publications",
    "quartier.api",
    "quartier.api.hsds",
]

MIDDLEWARE = [
    # First: HEAD is answered as GET without the body, for every route (core/middleware.py).
    "quartier.core.middleware.HeadAsGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every response (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Permissions-Policy on every response (PERMISSIONS_POLICY below).
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # 400 for NUL characters in any input, before anything queries with them (core/middleware.py).
    "quartier.core.middleware.NulByteGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Session lifetimes and the second-factor gate (accounts/middleware.py).
    "quartier.accounts.middleware.SessionPolicyMiddleware",
    "quartier.accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a lockout into its response (accounts/lockout.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "quartier.urls"
WSGI_APPLICATION = "quartier.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quartier.core.context_processors.site",
                "quartier.core.pagecache.csrf_placeholder",
            ],
            "string_if_invalid": "",
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default; PostgreSQL via DATABASE_URL=postgres://... for scale.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'quartier.sqlite3'}")
}
# SQLite durability (docs/operations.md): FULL syncs the write-ahead log to disk at every commit,
# so a commit that was answered survives a power loss or an OS crash. NORMAL syncs only at
# checkpoints: faster writes, but the last commits before a power loss may be gone (never a
# corrupt database); only for installations that accept that. EXTRA also syncs the directory.
QUARTIER_SQLITE_SYNCHRONOUS = env.str("QUARTIER_SQLITE_SYNCHRONOUS", default="FULL").upper()
if QUARTIER_SQLITE_SYNCHRONOUS not in {"NORMAL", "FULL", "EXTRA"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("QUARTIER_SQLITE_SYNCHRONOUS must be NORMAL, FULL or EXTRA.")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # WAL lets readers work while one writer writes; IMMEDIATE takes the write lock at
            # the start of a transaction, so concurrent writers wait (busy timeout) instead of
            # failing halfway with "database is locked".
            "init_command": (
                f"PRAGMA journal_mode=WAL;PRAGMA synchronous={QUARTIER_SQLITE_SYNCHRONOUS};"
                "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=5000;PRAGMA cache_size=-20000;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
# Keep each worker's connection between requests: opening one costs the connection set-up
# (PRAGMAs on SQLite, authentication on PostgreSQL) and, on SQLite, the connection's page
# cache, which then starts empty for every request. docs/performance.md.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("QUARTIER_CONN_MAX_AGE", default=60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Behind PgBouncer in transaction mode (deploy/, docs/operations.md "Scale-out"): a transaction
# may run on another server connection than the last one, so no server-side cursors (they live
# across transactions) and no prepared statements (psycopg prepares a query run five times).
QUARTIER_DB_POOLER = env.bool("QUARTIER_DB_POOLER", default=False)
if QUARTIER_DB_POOLER and DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = None
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches ---------------------------------------------------------------------------------
# "default": each process's own memory unless QUARTIER_CACHE_URL names a shared one
# (dbcache://table after `quartier createcachetable`, rediscache://..., docs/operations.md:
# a shared cache makes the alert limits exact). "pages": the public page cache (ADR 0007),
# apart so that pages never push out the alert limits or the PDF catalogues.
# "shared": counters that every worker must see alike (the throttle, core/throttle.py): the
# cache QUARTIER_CACHE_URL names, else a table in the database (created by core's migration).
_CACHE_URL = env.str("QUARTIER_CACHE_URL", default="")
SHARED_CACHE_TABLE = "quartier_shared_cache"
CACHES = {
    "default": env.cache_url_config(_CACHE_URL or "locmemcache://"),
    "shared": (
        env.cache_url_config(_CACHE_URL)
        if _CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": SHARED_CACHE_TABLE,
        }
    ),
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "quartier-pages",
        "OPTIONS": {"MAX_ENTRIES": env.int("QUARTIER_PAGE_CACHE_ENTRIES", default=2000)},
    },
}

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before any password is checked (django-axes).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "backoffice:dashboard"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    # Django's list of common passwords, a list of breached ones and German patterns (a word,
    # a season, a month, a town or the site's name with digits around it); shipped as data.
    {"NAME": "quartier.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset links (Django's token: void once the password or the last login changes).
PASSWORD_RESET_TIMEOUT = 24 * 3600

# Login throttling (django-axes, accounts/lockout.py): after QUARTIER_LOGIN_FAILURE_LIMIT
# failed logins for one username, or from one client address, further logins of that username
# or from that address are refused for QUARTIER_LOGIN_LOCKOUT_MINUTES (each further failure
# starts the wait again). Counted in the database, so every worker and server counts together.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = env.int("QUARTIER_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("QUARTIER_LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_CLIENT_IP_CALLABLE = "quartier.core.throttle.client_address"
AXES_LOCKOUT_CALLABLE = "quartier.accounts.lockout.lockout_response"
# No record of successful logins (personal data without a purpose here); failed attempts are
# kept until their lockout window ends (accounts/retention.py).
AXES_DISABLE_ACCESS_LOG = True
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken", "website_url"]

# Second factor (django-otp, accounts/twofactor.py): staff roles and admins must use TOTP with
# recovery codes; residents may. The issuer names the platform in the authenticator app.
OTP_TOTP_ISSUER = env.str("QUARTIER_TOTP_ISSUER", default="Quartier")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- I18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("QUARTIER_TIME_ZONE", default="Europe/Berlin")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- Limits ---------------------------------------------------------------------------------
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("QUARTIER_MAX_BODY_BYTES", default=2 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
QUARTIER_MAX_UPLOAD_BYTES = env.int("QUARTIER_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024)

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "QUARTIER_EMAIL_BACKEND",
    default=(
        "django.core.mail.backends.console.EmailBackend"
        if DEBUG
        else "django.core.mail.backends.smtp.EmailBackend"
    ),
)
EMAIL_HOST = env.str("QUARTIER_EMAIL_HOST", default="localhost")
# For QUARTIER_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend (checks, staging).
EMAIL_FILE_PATH = env.str("QUARTIER_EMAIL_FILE_PATH", default=str(VAR_DIR / "mails"))
EMAIL_PORT = env.int("QUARTIER_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("QUARTIER_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = _read("QUARTIER_EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env.bool("QUARTIER_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.str("QUARTIER_DEFAULT_FROM_EMAIL", default="quartier@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Newsletter sending (publications/tasks.py) and bounces (README).
QUARTIER_NEWSLETTER_BATCH = env.int("QUARTIER_NEWSLETTER_BATCH", default=200)
QUARTIER_NEWSLETTER_RATE = env.float("QUARTIER_NEWSLETTER_RATE", default=0)
# SMTP connections a mailing keeps open at once (one sender thread each; publications/tasks.py).
QUARTIER_NEWSLETTER_CONNECTIONS = env.int("QUARTIER_NEWSLETTER_CONNECTIONS", default=2)
QUARTIER_NEWSLETTER_RETENTION_DAYS = env.int("QUARTIER_NEWSLETTER_RETENTION_DAYS", default=30)
QUARTIER_NEWSLETTER_BOUNCE_TOKEN = _read("QUARTIER_NEWSLETTER_BOUNCE_TOKEN", "") or ""

# --- Geocoding (core/geocoding.py, docs/operations.md) ---------------------------------------
# Off while the URL is empty. A Nominatim ".../search" or Photon ".../api" endpoint; the public
# Nominatim asks for an identifying User-Agent and at most one request a second.
QUARTIER_GEOCODER_URL = env.str("QUARTIER_GEOCODER_URL", default="")
QUARTIER_GEOCODER_KIND = env.str("QUARTIER_GEOCODER_KIND", default="nominatim").lower()
if QUARTIER_GEOCODER_KIND not in {"nominatim", "photon"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("QUARTIER_GEOCODER_KIND must be nominatim or photon.")
QUARTIER_GEOCODER_USER_AGENT = env.str(
    "QUARTIER_GEOCODER_USER_AGENT", default=f"Quartier/0.1 (+{SITE_URL}; {DEFAULT_FROM_EMAIL})"
)
QUARTIER_GEOCODER_TIMEOUT = env.float("QUARTIER_GEOCODER_TIMEOUT", default=4.0)
# Residents' concern addresses go to the geocoder only when this is on (a geocoder you run).
QUARTIER_GEOCODER_CONCERNS = env.bool("QUARTIER_GEOCODER_CONCERNS", default=False)

# --- Background tasks -----------------------------------------------------------------------
# "database" queues tasks in the database for `quartier db_worker`; "immediate" runs them at
# once in the calling process (tests, tiny installations).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "dummy": "django_tasks.backends.dummy.DummyBackend",
}
TASKS = {
    "default": {
        "BACKEND": _TASK_BACKENDS[env.str("QUARTIER_TASKS_BACKEND", default="database")],
    }
}

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("QUARTIER_SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# On TLS the cookies carry the "__Host-" prefix: browsers then accept them only with Secure,
# Path=/ and no Domain, so no other host (a sibling subdomain) can set or shadow them.
# SESSION_COOKIE_DOMAIN and CSRF_COOKIE_DOMAIN stay None (host-only cookies).
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if CSRF_COOKIE_SECURE else "csrftoken"
# Lifetimes of a login (accounts/middleware.py): residents' absolute lifetime; staff roles and
# admins are logged out after QUARTIER_STAFF_SESSION_HOURS whatever they do, and after
# QUARTIER_STAFF_IDLE_MINUTES without a request.
SESSION_COOKIE_AGE = env.int("QUARTIER_SESSION_DAYS", default=14) * 86_400
QUARTIER_STAFF_SESSION_HOURS = env.int("QUARTIER_STAFF_SESSION_HOURS", default=12)
QUARTIER_STAFF_IDLE_MINUTES = env.int("QUARTIER_STAFF_IDLE_MINUTES", default=30)
# A refused form (bad or missing CSRF token) gets a page in the house layout and language.
CSRF_FAILURE_VIEW = "quartier.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Links to other sites carry no address of ours (search terms and ids stay here).
SECURE_REFERRER_POLICY = "same-origin"
# No window of another site keeps a handle on ours (and ours none on theirs).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features the pages may use: the position for "near me" (js/near.js) on our own
# pages, nothing else (django-permissions-policy).
PERMISSIONS_POLICY = {
    "geolocation": "self",
    "fullscreen": "self",
    **{
        feature: []
        for feature in (
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "gyroscope",
            "hid",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    },
}
# Behind a TLS proxy (the production profile, docs/operations.md): the proxy's
# X-Forwarded-Proto tells Django the request came over HTTPS; plain-HTTP requests that reach
# Django are redirected (health checks excepted, the proxy or orchestrator asks them locally);
# browsers are told to use HTTPS only for QUARTIER_HSTS_SECONDS (a year; subdomains included
# unless QUARTIER_HSTS_INCLUDE_SUBDOMAINS=0). QUARTIER_HSTS_PRELOAD=1 adds "preload" for the
# browsers' preload list (hard to undo: only once HTTPS is certain for the whole domain).
BEHIND_TLS_PROXY = env.bool("QUARTIER_BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("QUARTIER_SSL_REDIRECT", default=BEHIND_TLS_PROXY)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int(
    "QUARTIER_HSTS_SECONDS", default=31_536_000 if BEHIND_TLS_PROXY else 0
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("QUARTIER_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("QUARTIER_HSTS_PRELOAD", default=False)
# Preloading is the operator's decision (above); Django's deployment check would warn without it.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Content Security Policy (django-csp): scripts, styles, fonts and requests from the site itself
# only, no inline code or style attributes and no eval (templates keep to it: tests/core/
# test_csp.py; the browser check: tests/e2e/test_csp.py). Images may also come from the map
# tile server of QUARTIER_MAP_TILES (below; core/maps.py derives the source from its URL), from
# further hosts named in QUARTIER_CSP_IMG_HOSTS, and be data: URLs (Leaflet's and the API docs'
# icons).
# QUARTIER_CSP_REPORT_URI names an endpoint for violation reports; QUARTIER_CSP_REPORT_ONLY
# only reports (for trying out a changed policy; off by default, and never for production).
# Map tiles (core/maps.py): {"url": "https://tiles.example/{z}/{x}/{y}.png", "attribution":
# "...", "max_zoom": 19, "consent": true|false}, JSON in the environment. By default the
# OpenStreetMap tile server, loaded only after the visitor's consent (a third party); a URL on
# the site's own host (or a relative one) needs none; "url": "" shows markers on a plain
# background only.
QUARTIER_MAP_TILES = _maps.normalise(env.json("QUARTIER_MAP_TILES", default={}), SITE_URL)
_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": [
        "'self'",
        "data:",
        *_maps.csp_hosts(QUARTIER_MAP_TILES["url"]),
        *env.list("QUARTIER_CSP_IMG_HOSTS", default=[]),
    ],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
if _csp_report_uri := env.str("QUARTIER_CSP_REPORT_URI", default=""):
    _CSP_DIRECTIVES["report-uri"] = [_csp_report_uri]
QUARTIER_CSP_REPORT_ONLY = env.bool("QUARTIER_CSP_REPORT_ONLY", default=False)
if QUARTIER_CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
# Reverse proxies (addresses or networks) whose X-Forwarded-For names the client
# (core/throttle.client_address); behind the documented local proxy, the loopback addresses.
QUARTIER_TRUSTED_PROXIES = env.list(
    "QUARTIER_TRUSTED_PROXIES", default=["127.0.0.1", "::1"] if BEHIND_TLS_PROXY else []
)
# Limits of public writes per scope, {"events.register": [[hits, seconds], ...]}; scopes not
# named here use core.throttle.DEFAULT_RATES. JSON in the environment.
QUARTIER_THROTTLE_RATES = env.json("QUARTIER_THROTTLE_RATES", default={})

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("QUARTIER_LOG_LEVEL", default="WARNING")},
}

# --- Quartier -------------------------------------------------------------------------------
# Where the official standard schemas live (conformance tests, never needed at run time).
QUARTIER_STANDARDS_DIR = Path(
    env.str("QUARTIER_STANDARDS_DIR", default=str(PROJECT_DIR.parent / "shared" / "standards"))
)
# Residents may create an account themselves (username, e-mail, password; nothing else).
QUARTIER_SELF_REGISTRATION = env.bool("QUARTIER_SELF_REGISTRATION", default=True)
# Public pages (an offer, an area's start page) kept for anonymous visitors, in seconds; 0: off.
# Edits show at once (quartier/core/pagecache.py); clock-dependent parts at most this late.
QUARTIER_PAGE_CACHE_SECONDS = env.int("QUARTIER_PAGE_CACHE_SECONDS", default=60)
# Retention (docs/privacy.md, `quartier purge_personal_data`): resident accounts unused for this
# many days, and contact persons without a current position for this many days, are deleted.
QUARTIER_ACCOUNT_RETENTION_DAYS = env.int("QUARTIER_ACCOUNT_RETENTION_DAYS", default=730)
QUARTIER_PERSON_RETENTION_DAYS = env.int("QUARTIER_PERSON_RETENTION_DAYS", default=365)
# Catalogue maintenance: offers not verified for this long are flagged and their editors
# reminded, at most once per reminder interval.
QUARTIER_OFFER_STALE_AFTER_DAYS = env.int("QUARTIER_OFFER_STALE_AFTER_DAYS", default=365)
# The most offers an area's PDF or CSV catalogue may hold (larger areas: pick a smaller one).
QUARTIER_OFFER_EXPORT_MAX = env.int("QUARTIER_OFFER_EXPORT_MAX", default=300)
QUARTIER_OFFER_REMINDER_INTERVAL_DAYS = env.int("QUARTIER_OFFER_REMINDER_INTERVAL_DAYS", default=30)
# Events: registrants' and helpers' contact data is deleted this many days after the event;
# imported feeds are expanded this far ahead and may be at most this large.
QUARTIER_EVENTS_RETENTION_DAYS = env.int("QUARTIER_EVENTS_RETENTION_DAYS", default=30)
# Hours an anonymous registration or helper sign-up waits for its e-mail confirmation before
# it is deleted; until confirmed it holds no place (issue 19).
QUARTIER_EVENTS_CONFIRM_HOURS = env.int("QUARTIER_EVENTS_CONFIRM_HOURS", default=24)
# The same for an anonymous room request: it holds no slot until confirmed (venues/tokens.py).
QUARTIER_VENUES_CONFIRM_HOURS = env.int("QUARTIER_VENUES_CONFIRM_HOURS", default=24)
QUARTIER_EVENTS_IMPORT_HORIZON_DAYS = env.int("QUARTIER_EVENTS_IMPORT_HORIZON_DAYS", default=365)
QUARTIER_EVENTS_FEED_MAX_BYTES = env.int("QUARTIER_EVENTS_FEED_MAX_BYTES", default=2 * 1024 * 1024)
# Feed imports refuse private, loopback and link-local addresses (SSRF guard) unless this is on;
# for intranet deployments whose members publish calendars inside the network.
QUARTIER_FEED_ALLOW_PRIVATE = env.bool("QUARTIER_FEED_ALLOW_PRIVATE", default=False)
QUARTIER_EVENTS_IMAGE_MAX_BYTES = env.int(
    "QUARTIER_EVENTS_IMAGE_MAX_BYTES", default=2 * 1024 * 1024
)
# Venues: public requesters' contact data is blanked this many days after the booking.
VENUES_REQUESTER_RETENTION_DAYS = env.int("QUARTIER_VENUES_REQUESTER_RETENTION_DAYS", default=30)
VENUES_MAX_PHOTO_BYTES = env.int("QUARTIER_VENUES_MAX_PHOTO_BYTES", default=5 * 1024 * 1024)
# Concerns: the reporter's contact data is deleted this many days after the concern closed;
# photos up to this size; Open311 POST without an api_key only when this is on.
QUARTIER_CONCERNS_CONTACT_RETENTION_DAYS = env.int(
    "QUARTIER_CONCERNS_CONTACT_RETENTION_DAYS", default=180
)
# District fund (Verfügungsfonds): applicants' contact data is deleted this many days after
# the application was closed (decided or withdrawn).
QUARTIER_FUND_CONTACT_RETENTION_DAYS = env.int("QUARTIER_FUND_CONTACT_RETENTION_DAYS", default=180)
QUARTIER_CONCERNS_MAX_PHOTO_BYTES = env.int(
    "QUARTIER_CONCERNS_MAX_PHOTO_BYTES", default=8 * 1024 * 1024
)
QUARTIER_OPEN311_ANONYMOUS_POST = env.bool("QUARTIER_OPEN311_ANONYMOUS_POST", default=False)
# Participation: contact addresses of proposers and survey respondents are deleted this many days
# after the round closed; signed survey links expire after this many days.
QUARTIER_PARTICIPATION_CONTACT_RETENTION_DAYS = env.int(
    "QUARTIER_PARTICIPATION_CONTACT_RETENTION_DAYS", default=180
)
QUARTIER_PARTICIPATION_LINK_DAYS = env.int("QUARTIER_PARTICIPATION_LINK_DAYS", default=60)

# Legal pages (core/legal.py; /impressum/, /datenschutz/, /barrierefreiheit/), JSON in the
# environment. QUARTIER_OPERATOR: the body responsible for the site (§ 5 DDG, § 18 MStV):
# {"name", "address" (lines separated by \n), "representative", "email", "phone",
#  "legal_form", "vat_id", "supervisory_authority", "content_responsible"}.
# QUARTIER_PRIVACY_CONTACTS: {"officer": data protection officer (name, address, e-mail as
# text), "authority": the supervisory authority for data protection (name and address),
# "authority_url"}.
# QUARTIER_ACCESSIBILITY: {"status": "full" | "partial" | "none", "prepared_on": "YYYY-MM-DD",
# "method", "feedback_email", "feedback_phone", "enforcement_body", "enforcement_address",
# "enforcement_url"} (the statement under § 12b BGG and the Länder's laws, BITV 2.0).
# Each page adds the text admins keep in the Django admin (core.LegalPage) per language.
QUARTIER_OPERATOR = env.json("QUARTIER_OPERATOR", default={})
QUARTIER_PRIVACY_CONTACTS = env.json("QUARTIER_PRIVACY_CONTACTS", default={})
QUARTIER_ACCESSIBILITY = env.json("QUARTIER_ACCESSIBILITY", default={})

# Public statistics hide counts below this and rates built on them (docs/privacy-monitoring.md).
QUARTIER_STATS_MIN_COUNT = env.int("QUARTIER_STATS_MIN_COUNT", default=5)
