"""Recours settings: read from the environment only, with safe working defaults.

With no environment at all you get the embedded setup of `make demo`: SQLite under
var/, local-memory cache, mail written as files under var/mail/. DEBUG is on only
under the development server. In production (DEBUG off) the process refuses to start
without SECRET_KEY and PEPPER.
"""

import base64
import ipaddress
import json
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from recours.core.at_rest import new_key as new_data_key
from recours.core.at_rest import parse_key as parse_data_key
from recours.core.email_url import parse_email_url
from recours.core.env import env_bool, env_choice, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

# What this process is, said by the environment, never guessed from the command line:
# "production"; "demo" (`make demo`); "test"; "offline", the organisers' offline machine
# that builds the dossier, where no server secret is used. pytest-django loads these
# settings before any conftest can set a variable, so a pytest run defaults to "test".
MODE = env_choice(
    "RECOURS_MODE",
    {"production", "demo", "test", "offline"},
    default="test" if "pytest" in sys.modules else "production",
)
TESTING = MODE == "test"
OFFLINE = MODE == "offline"
DEBUG = env_bool("DEBUG", default=MODE == "demo")


def _dev_secret(name: str, make=lambda: secrets.token_urlsafe(50)) -> str:
    """A secret generated once and kept under var/, for the demo and tests only."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "dev-secrets.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    if name not in known:
        known[name] = make()
        path.write_text(json.dumps(known))
        path.chmod(0o600)
    return known[name]


# The example values of .env.example, which a careless copy would put in production.
PLACEHOLDER_SECRETS = {
    "change-me-to-50-random-characters",
    "change-me-to-50-other-random-characters",
}
MIN_SECRET_LENGTH = 32


def _required_secret(name: str) -> str:
    value = env_secret(name)
    if value:
        if not (DEBUG or TESTING) and (
            value in PLACEHOLDER_SECRETS or len(value) < MIN_SECRET_LENGTH
        ):
            raise ImproperlyConfigured(
                f"{name} is .env.example's placeholder or shorter than {MIN_SECRET_LENGTH} "
                f"characters: set it to a long random value (python -c 'import secrets; "
                "print(secrets.token_urlsafe(50))')."
            )
        return value
    if TESTING:
        return f"test-only-{name.lower()}-not-secret-" + "x" * 40
    if OFFLINE:
        return secrets.token_urlsafe(50)  # never used offline; a throwaway value
    if DEBUG:
        return _dev_secret(name)
    raise ImproperlyConfigured(
        f"{name} is not set. Production (DEBUG off) needs it: set {name} or {name}_FILE "
        "(on the organisers' offline machine, set RECOURS_MODE=offline instead)."
    )


SECRET_KEY = _required_secret("SECRET_KEY")
# Keys the HMAC of signers' canonical e-mail addresses (deduplication). Never in the
# database, so a stolen database cannot be matched against a list of addresses.
PEPPER = _required_secret("PEPPER")


def _contact_key() -> str:
    """The server-held key that opens the addresses of signers who asked for news of the
    complaint (and only theirs). Optional in production: without it, nobody is offered
    news by e-mail. Generated for the demo and tests."""
    value = env_secret("CONTACT_KEY")
    if value or not (DEBUG or TESTING):
        return value
    if TESTING:
        return "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="
    from nacl.public import PrivateKey

    generated = base64.b64encode(bytes(PrivateKey.generate())).decode()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "dev-secrets.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    known.setdefault("CONTACT_KEY", generated)
    path.write_text(json.dumps(known))
    return known["CONTACT_KEY"]


CONTACT_KEY = _contact_key()


def _data_keys() -> tuple[bytes, list[bytes]]:
    """DATA_KEY encrypts what the server must read back for a moment (the outbox's
    recipients and bodies, leads' contact addresses: recours/core/at_rest.py); the
    database never holds it. DATA_KEY_OLD (comma-separated) keeps previous keys readable
    during a rotation. Required in production, like SECRET_KEY."""
    value = env_secret("DATA_KEY")
    if not value:
        if TESTING:
            value = base64.b64encode(b"\x02" * 32).decode()
        elif OFFLINE:
            value = new_data_key()  # never used offline; a throwaway value
        elif DEBUG:
            value = _dev_secret("DATA_KEY", new_data_key)
        else:
            raise ImproperlyConfigured(
                "DATA_KEY is not set. Production (DEBUG off) needs it: set DATA_KEY or "
                "DATA_KEY_FILE to 32 bytes in base64 (python -m recours.core.at_rest)."
            )
    try:
        current = parse_data_key(value)
        old = [parse_data_key(item) for item in env_secret("DATA_KEY_OLD").split(",") if item]
    except ValueError as error:
        raise ImproperlyConfigured(f"DATA_KEY or DATA_KEY_OLD: {error}") from None
    return current, old


DATA_KEY, DATA_KEY_OLD = _data_keys()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
# The port `make demo` and `manage.py serve_demo` serve on; mailed links and the embed
# snippet follow it unless SITE_URL says where the site is published.
PORT = env_int("PORT", 8000)
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
SITE_URL_FROM_ENV = bool(env_str("SITE_URL"))
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "recours.core",
    "recours.campaigns",
    "recours.mandates",
    "recours.rights",
    "recours.observatory",
    "recours.console",
    "recours.federation",
]

MIDDLEWARE = [
    # First, so that what it keeps carries every header the others set (core/microcache.py).
    "recours.core.microcache.MicroCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "recours.core.middleware.SecurityHeadersMiddleware",
    "recours.core.metrics.MetricsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "recours.core.middleware.RequestLimitsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "recours.core.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "recours.urls"
WSGI_APPLICATION = "recours.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "recours" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "recours.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite under var/ by default; DATABASE_URL=postgres://… for production.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    # No CONN_HEALTH_CHECKS: it costs every request a `SELECT 1` round trip. After a
    # database restart, each process answers its first request 503 with Retry-After
    # (DatabaseUnavailableMiddleware), nothing saved, and reconnects for the next one.
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    # The statements of core/statements.py, run at every signature and confirmation, are
    # prepared once per connection (the server plans them once); the ORM's never are.
    # DATABASE_PREPARED=0 behind a pooler that cannot keep them (PgBouncer in transaction
    # mode before 1.21). A threshold psycopg never reaches: only those asked are prepared.
    DATABASE_PREPARED = env_bool("DATABASE_PREPARED", True)
    if DATABASE_PREPARED:
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
else:
    DATABASE_PREPARED = False  # prepared statements are PostgreSQL's
    SQLITE_PATH = Path(env_str("SQLITE_PATH", str(VAR_DIR / "recours.sqlite3")))
    SQLITE_SYNCHRONOUS = env_str("SQLITE_SYNCHRONOUS", "FULL").upper()
    if SQLITE_SYNCHRONOUS not in {"FULL", "NORMAL"}:
        raise ImproperlyConfigured("SQLITE_SYNCHRONOUS is FULL (the default) or NORMAL")
    SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)  # SQLite creates the file, not its folder
    DATABASES = {
        "default": {
            "ENGINE": "recours.core.sqlite",
            "NAME": str(SQLITE_PATH),
            "TEST": {"NAME": ":memory:"},  # what Django's own backend does by default
            "OPTIONS": {
                # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on
                # busy_timeout instead of failing when a read lock cannot be upgraded.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                # WAL lets readers go on while one writer commits. synchronous=FULL fsyncs
                # the WAL at each commit: an acknowledged signature survives a power cut,
                # not only a crash of the process (NORMAL survives the latter only, and
                # writes faster). secure_delete overwrites freed content, so a wiped
                # outbox address does not linger in free pages of the file.
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    f"PRAGMA synchronous={SQLITE_SYNCHRONOUS};"
                    "PRAGMA secure_delete=ON;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "recours.core.caches.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "recours"),
        }
    }
else:
    # Room for every rate-limit counter of a flood: at Django's default of 300 entries a
    # full cache evicts a third of them at each new key, and limits forget what they count.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    }

# Each app process replays the public reads it answered for this long (see
# core/microcache.py); 0 turns it off. Other processes lag a change by this much at most.
MICROCACHE_SECONDS = env_int("MICROCACHE_SECONDS", 1)
MICROCACHE_MAX_BYTES = env_int("MICROCACHE_MAX_BYTES", 16 * 1024 * 1024)

# Mail: without EMAIL_URL, messages are written as files under var/mail/.
EMAIL_URL = env_str("EMAIL_URL", f"file://{VAR_DIR / 'mail'}")
globals().update(parse_email_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Recours <noreply@localhost>")
# Where bounces go: with BOUNCE_ADDRESS=bounces@plainte.example.org, each mail leaves with
# the envelope sender bounces+<reference>@plainte.example.org (VERP), and the mail server
# pipes what comes back to `manage.py process_bounces`. Empty: bounces go to the sender.
BOUNCE_ADDRESS = env_str("BOUNCE_ADDRESS", "")
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 8)
# SMTP connections a worker sends a batch over at once (core/mail.py); a relay that
# limits each client to fewer connections wants it lower.
MAIL_CONNECTIONS = env_int("MAIL_CONNECTIONS", 4)
# Days sealed identities are kept once the case is closed (no appeal left), for the
# organisers to answer late questions; then `purge` deletes them (R2.5).
RETENTION_AFTER_CASE_DAYS = env_int("RETENTION_AFTER_CASE_DAYS", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},  # ASVS 2.1.1
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "recours" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    # A write that fails (a full disk) leaves no partial file behind.
    "default": {"BACKEND": "recours.core.storage.CleanFileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# Requests: a 10 MB body is refused before any form parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 512 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
# Forms that take a file (a lead's document) may send more, up to this; the form checks
# each file's own limit and type.
UPLOAD_MAX_BODY_SIZE = env_int("UPLOAD_MAX_BODY_SIZE", 11 * 1024 * 1024)
UPLOAD_PATHS = (
    "/observatoire/signaler/",
    "/admin/observatory/",
    "/console/observatoire/",
    "/console/campagnes/",
)
OBSERVATORY_ATTACHMENT_MAX_SIZE = env_int("OBSERVATORY_ATTACHMENT_MAX_SIZE", 10 * 1024 * 1024)
# Days a lead's contact address is kept, to ask its sender a question; `purge_leads`
# erases it after that.
OBSERVATORY_LEAD_CONTACT_DAYS = env_int("OBSERVATORY_LEAD_CONTACT_DAYS", 180)
# A logo or hero image organisers upload (campaigns/pictures.py).
IDENTITY_IMAGE_MAX_SIZE = env_int("IDENTITY_IMAGE_MAX_SIZE", 5 * 1024 * 1024)
# ActivityPub (federation/): campaigns and the observatory as accounts the fediverse
# follows. Off: no actor answers, nothing is delivered. Requests to other servers never
# go to a private, loopback or link-local address, nor over plain http, except in demo
# and test modes, where the peers run on this machine.
FEDERATION = env_bool("FEDERATION", True)
FEDERATION_ALLOW_PRIVATE = env_bool("FEDERATION_ALLOW_PRIVATE", MODE in {"demo", "test"})
# Inbox requests from one server per minute, and follows of one actor kept per server.
FEDERATION_INBOX_RATE = (env_int("FEDERATION_INBOX_LIMIT", 300), 60)
FEDERATION_FOLLOWS_PER_HOST = env_int("FEDERATION_FOLLOWS_PER_HOST", 500)
# A server that keeps failing is given up after this many days of retries.
FEDERATION_GIVE_UP_DAYS = env_int("FEDERATION_GIVE_UP_DAYS", 3)
# The scan of a signed paper mandate (mandates/paper.py), sealed with it.
PAPER_SCAN_MAX_SIZE = env_int("PAPER_SCAN_MAX_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_PERMISSIONS = 0o600
# Uploaded files (leads' attachments, evidence copies, CADA answers) are never served
# from this folder directly: views hand out only what is public.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# The map's base is the communes' own outlines; a tile server can be added in production,
# e.g. "https://tiles.example.org/{z}/{x}/{y}.png" (the CSP then allows its host).
OBSERVATORY_TILE_URL = env_str("OBSERVATORY_TILE_URL", "")
OBSERVATORY_TILE_ATTRIBUTION = env_str(
    "OBSERVATORY_TILE_ATTRIBUTION", "© OpenStreetMap contributors"
)
# The licence of the observatory's own record (claims, evidence, funding).
OBSERVATORY_LICENCE = env_str("OBSERVATORY_LICENCE", "ODbL-1.0")

# Security headers and cookies (ASVS 3.4, 14.4).
SECURE_CONTENT_TYPE_NOSNIFF = True
# Not "no-referrer": under it browsers send `Origin: null` with every form POST, which
# Django's CSRF check rightly refuses. "same-origin" sends nothing to any other site.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Who may frame a campaign's counter widget (/<slug>/widget/), the only page that may be
# framed: "*" (any site, the default), or a space-separated list of origins.
WIDGET_FRAME_ANCESTORS = env_str("WIDGET_FRAME_ANCESTORS", "*")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 3600  # ASVS 3.3.2: re-authenticate after 12 hours
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 63072000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The directive alone enrols nothing: the domain joins browsers' preload lists only
    # if its operator submits it. Set to false for a domain that must never be listed.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if TESTING:
    SECURE_SSL_REDIRECT = False
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request logs name client addresses; we keep none of them.
        "django.server": {"handlers": [], "propagate": False},
    },
}

CSRF_FAILURE_VIEW = "recours.core.views.csrf_failure"

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma-separated).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network(item, strict=False) for item in TRUSTED_PROXIES]
# Signature attempts allowed (limit, window in seconds): per address, in bursts and over
# an hour; distinct addresses per network (/24, /48), against bots rotating addresses;
# per e-mail domain, against floods of invented addresses at one domain.
SIGN_RATE_LIMITS = {
    "ip-burst": (env_int("SIGN_LIMIT_IP_BURST", 5), 60),
    "ip-hour": (env_int("SIGN_LIMIT_IP_HOUR", 30), 3600),
    "network": (env_int("SIGN_LIMIT_NETWORK_ADDRESSES", 64), 600),
    "domain": (env_int("SIGN_LIMIT_DOMAIN", 600), 600),
    # Mails to one address for one campaign in a day (confirmation or "already signed").
    "recipient": (env_int("SIGN_LIMIT_MAILS_PER_RECIPIENT", 3), 86400),
    # Stricter, on top of the above, for a form that carries no solved proof of work
    # (no JavaScript, or a bot): people without JavaScript still sign, bots pay.
    "nojs-ip-burst": (env_int("SIGN_LIMIT_NOJS_IP_BURST", 3), 60),
    "nojs-ip-hour": (env_int("SIGN_LIMIT_NOJS_IP_HOUR", 10), 3600),
    "nojs-network": (env_int("SIGN_LIMIT_NOJS_NETWORK_ADDRESSES", 16), 600),
}
# Metrics (Prometheus text at /metrics) for a bearer of this token; none, no metrics.
METRICS_TOKEN = env_secret("METRICS_TOKEN")
# /readyz fails when a due mail has waited this long: the mail worker is not keeping up.
HEALTH_OUTBOX_MAX_MINUTES = env_int("HEALTH_OUTBOX_MAX_MINUTES", 15)
# Sign-in attempts (the console, which the admin's sign-in leads to), counted before the password is checked.
LOGIN_RATE_LIMITS = {
    "account": (env_int("LOGIN_LIMIT_ACCOUNT", 10), 900),
    "network": (env_int("LOGIN_LIMIT_NETWORK", 30), 900),
}
# Second-factor attempts in the console (codes, passkeys, recovery codes), per account and
# per network: a six-digit code must not be guessable by trying.
SECOND_FACTOR_RATE_LIMITS = {
    "account": (env_int("SECOND_FACTOR_LIMIT_ACCOUNT", 5), 900),
    "network": (env_int("SECOND_FACTOR_LIMIT_NETWORK", 30), 900),
}
# Saving or reopening a rights letter's file (an Argon2 derivation each), per network.
PASSPHRASE_RATE_LIMIT = (env_int("PASSPHRASE_LIMIT_NETWORK", 10), 600)
# Mail domains refused at signing on top of the maintained list of throwaway services.
DISPOSABLE_DOMAINS_EXTRA = env_list("DISPOSABLE_DOMAINS_EXTRA", [])
# The proof of work asked of browsers with JavaScript (ALTCHA, self-hosted): PBKDF2
# iterations per attempt, and the hex prefix the derived key must start with (each hex
# digit multiplies the expected attempts by 16). The defaults take a phone about a second.
POW_COST = env_int("POW_COST", 5000)
POW_KEY_PREFIX = env_str("POW_KEY_PREFIX", "00")

# The legal notice (LCEN art. 6) names who publishes the site and who hosts it.
LEGAL_NOTICE = {
    "publisher": env_str("LEGAL_PUBLISHER", "Association Recours (démonstration)"),
    "address": env_str("LEGAL_ADDRESS", "Adresse à configurer (LEGAL_ADDRESS)"),
    "director": env_str("LEGAL_DIRECTOR", "Directeur ou directrice de la publication à configurer"),
    "contact": env_str("LEGAL_CONTACT", "contact@example.org"),
    "host": env_str("LEGAL_HOST", "Hébergeur à configurer (LEGAL_HOST)"),
}
