"""Settings shared by every environment.

Safe by default: DEBUG is off and there is no secret here. ``dev``, ``test`` and
``production`` build on this module; deployment values come from the environment
(see ``config.env`` and the README's table of variables).
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from wagtail.embeds.oembed_providers import vimeo as oembed_vimeo
from wagtail.embeds.oembed_providers import youtube as oembed_youtube

from config.env import cache_config, env_bool, env_int, env_list, env_str, page_cache_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
SITE_DIR = BASE_DIR / "site"
# Runtime state that is not media: the SQLite file, the file cache.
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = False
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Applications -------------------------------------------------------------

INSTALLED_APPS = [
    # Project apps first, so their templates override Wagtail's.
    "schools",
    "pages",
    "forms_app",
    "accounts",
    "audit",
    "case_files",
    "page_cache",
    "backups",
    "guides",
    "admin_language",
    "learners",
    "concerns",
    "notifications",
    "counselling",
    "reports",
    "plan_import",
    # Background work (e-mail of alerts): Django's task framework, stored in the
    # database, so no other service runs beside the site (notifications/tasks.py).
    "django_tasks",
    "django_tasks_db",
    # Sign-in hardening: TOTP second factor with recovery codes, lockout. The devices
    # are accounts' own (secret encrypted, codes hashed), not django-otp's plugins,
    # which keep both in clear.
    "django_otp",
    "axes",
    # Content-Security-Policy (settings under "Security headers")
    "csp",
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.contrib.frontend_cache",
    "wagtail.embeds",
    "wagtail.sites",
    "schools.apps.StaffUsersConfig",  # wagtail.users, scoped to the user's schools
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtail_modeladmin",
    "modelcluster",
    "taggit",
    "django_filters",
    "formtools",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Not for its template tags: Wagtail's admin calls humanize's naturaltime ("a
    # minute ago" on the page status panel), whose Vietnamese loads only from an
    # installed app.
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.middleware.ContentSecurityPolicyMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages from the shared cache, before sessions and the database.
    "page_cache.middleware.PageCacheMiddleware",
    "page_cache.middleware.KnownSiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.PreferredLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.NoStoreForStaffMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    # Another school's objects answer 404 in the admin (schools.tenancy).
    "schools.admin_gate.TenancyGateMiddleware",
    # A hand-made POST a form widget cannot read answers 400, not 500.
    "config.middleware.MalformedFormDataMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SITE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Data ---------------------------------------------------------------------

# SQLite file by default so that a school's IT teacher needs no database server;
# DATABASE_URL (postgres://…) switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT compilation: the public-page filter's cost is overestimated (a check per
    # page against every view restriction), which pushed search and listings over a
    # province's 100,000 pages past jit_above_cost, and compiling took 0.7-2 s for
    # queries that run in milliseconds. Web requests are short; JIT never pays here.
    # random_page_cost 1.1, not 4: PostgreSQL's default prices a random read as a
    # spinning disk's, while a site's tables sit in memory or on SSD. At 4, a common
    # word over a province's 100,000 pages was planned as a scan of every search
    # entry, unpacking each body vector (0.9 s), rather than through the GIN index
    # (0.1 s). A server's own postgresql.conf may say the same; this makes it so.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = (
        f"{_options.get('options', '')} -c jit=off -c random_page_cost=1.1".strip()
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": cache_config(env_str("CACHE_URL"), str(VAR_DIR / "cache")),
    "pages": page_cache_config(env_str("CACHE_URL"), str(VAR_DIR / "page-cache")),
}

# Public page cache (page_cache/): anonymous visitors' pages, shared by every
# worker, made stale by any publish. PAGE_CACHE_SECONDS=0 turns the store off;
# the Cache-Control, ETag and Last-Modified headers are sent either way.
PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600)
# How long a browser may reuse a page without asking (then a cheap 304), and how
# long a shared proxy or CDN may keep it (the shipped Varnish is purged on change).
PAGE_CACHE_MAX_AGE = env_int("PAGE_CACHE_MAX_AGE", 60)
PAGE_CACHE_PROXY_MAX_AGE = env_int("PAGE_CACHE_PROXY_MAX_AGE", 600)
# Costly parts of public pages (page_cache.fragments), kept until the next public change.
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 3600)
# Caching proxies in front (deploy/varnish): Wagtail purges a published page's
# URLs there, and page_cache sends a BAN on every change.
FRONTEND_CACHE_PURGE_URLS = env_list("FRONTEND_CACHE_PURGE_URL")
WAGTAILFRONTENDCACHE = {
    f"proxy{number}": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": location,
    }
    for number, location in enumerate(FRONTEND_CACHE_PURGE_URLS)
}

# Sign-in ------------------------------------------------------------------

# Axes first: it refuses a locked-out account or address before any password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Vietnamese favourites, compared without diacritics, case or spaces.
    {"NAME": "accounts.passwords.CommonVietnamesePasswordValidator"},
    # Neither the username nor the name of one of the user's schools.
    {"NAME": "accounts.passwords.PersonalContextValidator"},
]
LOGIN_URL = "wagtailadmin_login"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Sessions end after SESSION_IDLE_TIMEOUT_MINUTES without a request and, whatever
# the activity, SESSION_ABSOLUTE_TIMEOUT_HOURS after signing in
# (accounts.middleware.SessionTimeoutMiddleware).
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_ABSOLUTE_TIMEOUT_HOURS = env_int("SESSION_ABSOLUTE_TIMEOUT_HOURS", 8)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_HOURS * 60 * 60

# Lockout (django-axes, accounts.lockout): AXES_FAILURE_LIMIT failed sign-ins lock the
# pair (account, address); the account alone is locked only after
# LOCKOUT_ACCOUNT_FAILURE_LIMIT failures from at least LOCKOUT_ACCOUNT_MIN_ADDRESSES
# addresses, and an address alone after LOCKOUT_ADDRESS_FAILURE_LIMIT failures whatever
# the usernames, all within AXES_COOLOFF_TIME. So an outsider cannot lock a member of
# staff out by typing wrong passwords for them (docs/operations.md, "Sign-in: two-step
# sign-in, lockout, session limits").
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
LOCKOUT_ACCOUNT_FAILURE_LIMIT = env_int("LOCKOUT_ACCOUNT_FAILURE_LIMIT", 30)
LOCKOUT_ACCOUNT_MIN_ADDRESSES = env_int("LOCKOUT_ACCOUNT_MIN_ADDRESSES", 5)
LOCKOUT_ADDRESS_FAILURE_LIMIT = env_int("LOCKOUT_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
# The keys failures are counted by; the decision is LockoutHandler.is_locked.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "username", "ip_address"]
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# REMOTE_ADDR, or the address a trusted reverse proxy reports (TRUSTED_PROXY_COUNT);
# an IPv6 address counts as its /64 network.
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.lockout_address"
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Second factor (django-otp): the issuer names the site in the authenticator app.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Truong An Toan")
RECOVERY_CODE_COUNT = 10

# Case data at rest ---------------------------------------------------------

# Fernet keys (comma-separated, newest first) that encrypt case fields, drafts and
# case files; CASE_INDEX_KEY keys the hash that lets a learner be found by exact
# name. Both come from the environment; see docs/operations.md for rotation.
CASE_ENCRYPTION_KEYS = env_list("CASE_ENCRYPTION_KEYS")
CASE_INDEX_KEY = env_str("CASE_INDEX_KEY", "")
# Case attachments live here, outside MEDIA_ROOT and every served path.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Largest case attachment accepted, in bytes (checked while the upload arrives).
CASE_FILE_MAX_BYTES = env_int("CASE_FILE_MAX_BYTES", 10 * 1024 * 1024)

# Access audit ---------------------------------------------------------------

# Keys of the audit chain's HMAC, "id:secret" items, newest first (new entries use
# the first; an entry names its key id, so older ones verify while their key is
# still listed). From the environment only; see docs/operations.md for rotation.
AUDIT_CHAIN_KEYS = env_list("AUDIT_CHAIN_KEYS")
# Append-only file outside the database where anchor_audit_chain writes the newest
# entry's id and hash; AUDIT_ANCHOR_EMAIL (comma-separated) also receives each anchor.
AUDIT_ANCHOR_FILE = Path(env_str("AUDIT_ANCHOR_FILE", str(VAR_DIR / "audit-anchors.jsonl")))
AUDIT_ANCHOR_EMAIL = env_list("AUDIT_ANCHOR_EMAIL")
# Only the test settings let `flush` empty the audit (pytest-django's transactional
# tests need it); everywhere else the database refuses, see audit/triggers.py.
AUDIT_FLUSH_MAY_EMPTY_AUDIT = False

# Language and time --------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [
    ("vi", _("Vietnamese")),
    ("en", _("English")),
]
# site/locale: our own strings (rewritten by `make messages`); locale_overrides:
# Vietnamese for Wagtail and Django strings their catalogues leave in English.
LOCALE_PATHS = [SITE_DIR / "locale", SITE_DIR / "locale_overrides"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

# Static and media ---------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [SITE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail -------------------------------------------------------------------

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# Seconds each SMTP command may wait (Django's default waits for ever). A claimed
# alert is sent again after ten of these (notifications.outbox.claim_expiry).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "truong-an-toan@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks -----------------------------------------------------------

# django-tasks (the API Django 6 adopted) with its database backend: tasks wait in
# a table and `manage.py db_worker` runs them (deploy/systemd, docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Alerts (notifications/): an e-mail is tried this many times, waiting
# NOTIFICATION_MAIL_RETRY_SECONDS, then twice as long each time; the daily digest
# goes out at this local hour.
NOTIFICATION_MAIL_MAX_ATTEMPTS = env_int("NOTIFICATION_MAIL_MAX_ATTEMPTS", 6)
NOTIFICATION_MAIL_RETRY_SECONDS = env_int("NOTIFICATION_MAIL_RETRY_SECONDS", 60)
NOTIFICATION_DIGEST_HOUR = env_int("NOTIFICATION_DIGEST_HOUR", 16)

# Wagtail ------------------------------------------------------------------

WAGTAIL_SITE_NAME = env_str("WAGTAIL_SITE_NAME", "Trường An Toàn")
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# "simple": no English stemming or stop words, which would drop folded Vietnamese
# syllables such as "an", "to", "do" on PostgreSQL.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "simple"}
}
# Only formats a school actually publishes; nothing executable.
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "odt", "xlsx", "pptx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Logging ------------------------------------------------------------------

# Server errors are e-mailed to ADMINS as plain text only. What a report may show
# is decided by config.error_reports (no POST values, query, local variables,
# cookies or exception message of a staff request; no case-data keys), and the
# console log of a staff request's error carries no exception message.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        "redact_staff_exceptions": {"()": "config.error_reports.RedactStaffExceptions"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_staff_exceptions"]},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
            "include_html": False,
        },
    },
    "loggers": {
        "django.request": {
            "handlers": ["console", "mail_admins"],
            "level": "ERROR",
            "propagate": False,
        },
        # At DEBUG, Django's template logger writes whole page contexts, a child's
        # name among them: never below INFO, whatever LOG_LEVEL says.
        "django.template": {"level": "INFO"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The site's own media models (see pages/models/media.py).
WAGTAILIMAGES_IMAGE_MODEL = "pages.SiteImage"
WAGTAILDOCS_DOCUMENT_MODEL = "pages.SiteDocument"
# Where "Thoát nhanh" (quick exit) sends a visitor: a neutral page on another site.
QUICK_EXIT_URL = env_str(
    "QUICK_EXIT_URL", "https://www.google.com/search?q=th%E1%BB%9Di+ti%E1%BA%BFt"
)
WAGTAILADMIN_USER_LOGIN_FORM = "config.forms.LoginForm"

# Retention ----------------------------------------------------------------
# How long a child's case stays as it is (see forms_app/cases/retention.py). A closed
# case stays within reach for a year, in case the child needs help again; it is
# then archived (read-only), and the archived paper trail is kept five more years
# before it is anonymised ("anonymise": the statistics stay, nothing identifies
# the child) or deleted outright ("delete"). Each school sets these to its own
# rules: the periods are counted in days.
CASE_ARCHIVE_AFTER_DAYS = env_int("CASE_ARCHIVE_AFTER_DAYS", 365)
CASE_PURGE_AFTER_DAYS = env_int("CASE_PURGE_AFTER_DAYS", 5 * 365)
CASE_PURGE_MODE = env_str("CASE_PURGE_MODE", "anonymise")

# Security headers ----------------------------------------------------------
# Set here, not only in production, so development shows what the browser will
# enforce. HSTS, HTTPS redirects and secure cookies are production's.

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
# Where the "Video" block may play from; the embed finder accepts only these
# providers, so an editor never adds a video the policy would then block.
VIDEO_FRAME_SOURCES = [
    "https://www.youtube.com",
    "https://www.youtube-nocookie.com",
    "https://player.vimeo.com",
]
WAGTAILEMBEDS_FINDERS = [
    {"class": "wagtail.embeds.finders.oembed", "providers": [oembed_youtube, oembed_vimeo]}
]
# The public site: no inline script or style at all (scripts and styles are
# static files), so an injected <script>, onclick="" or style="" does nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": VIDEO_FRAME_SOURCES,
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# The Wagtail admin (and the case area inside it): Wagtail still writes inline
# scripts (date pickers, inline panels, chooser modals) and inline styles, so
# these need 'unsafe-inline'; no 'unsafe-eval', nothing from other origins but
# video frames and their thumbnails. The page preview is framed by the admin.
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https://i.ytimg.com", "https://i.vimeocdn.com"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'", *VIDEO_FRAME_SOURCES],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
# Powerful browser features nobody here uses (config.middleware).
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
}
# Staff avatars from gravatar.com would send a hash of every staff e-mail address
# to another site and need a hole in the admin's img-src.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# What a server-error report may contain (see config.error_reports).
DEFAULT_EXCEPTION_REPORTER_FILTER = "config.error_reports.CaseSafeExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "config.error_reports.CaseSafeExceptionReporter"
