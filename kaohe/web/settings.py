"""Settings, read strictly from the environment (no secret lives in the repository).

DATABASE_URL   default: an embedded SQLite file under var/ (PostgreSQL in production)
SECRET_KEY     required unless DEBUG=True
DEBUG          True or False (default False)
ALLOWED_HOSTS  comma-separated (default 127.0.0.1,localhost)
KAOHE_MEDIA    where uploaded files are kept, outside the web root (default var/media)
EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL
                 mail for reminders (printed to the console when EMAIL_HOST is unset)
KAOHE_OFFICE_NAME  the office's name in the header of printed pages (default 目标绩效考核办公室)
KAOHE_SITE_URL   the address people use, for links in e-mails (default http://127.0.0.1:8000)
KAOHE_HTTPS_PROXY      True when nginx ends HTTPS in front (default False)
CSRF_TRUSTED_ORIGINS   comma-separated origins, e.g. https://kaohe.example.gov.cn
KAOHE_TRUSTED_PROXY    True when a reverse proxy sets X-Forwarded-For to the client's address (default False)
KAOHE_SMS_SENDER       dotted path of the survey SMS sender class (default: written to the log, never sent)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("KAOHE_VAR", BASE_DIR / "var"))


def envbool(name: str, default: str = "False") -> bool:
    value = os.environ.get(name, default)
    if value not in ("True", "False"):
        raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}")
    return value == "True"


DEBUG = envbool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is not True")
    SECRET_KEY = "dev-only-not-secret"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "kaohe.web",
    "kaohe.audit",
    "kaohe.organisation",
    "kaohe.indicators",
    "kaohe.results",
    "kaohe.reporting",
    "kaohe.ratings",
    "kaohe.register",
    "kaohe.analysis",
    "kaohe.outcomes",
    "kaohe.supervision",
    "kaohe.surveys",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "kaohe.web.urls"
WSGI_APPLICATION = "kaohe.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kaohe.web.context.navigation",
            ],
            "builtins": ["kaohe.web.templatetags.kaohe_tags"],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'kaohe.sqlite3'}"), conn_max_age=60
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "kaohe" / "locale"]
FORMAT_MODULE_PATH = ["kaohe.formats"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end libraries come from npm at install time (node_modules/, never committed).
_NPM = BASE_DIR / "node_modules"
STATICFILES_DIRS = [(f"vendor/{name}", _NPM / path) for name, path in
                    (("htmx", "htmx.org/dist"), ("echarts", "echarts/dist"), ("bootstrap", "bootstrap/dist"))
                    if (_NPM / path).is_dir()]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("KAOHE_MEDIA", VAR_DIR / "media"))

# Behind nginx ending HTTPS: trust its X-Forwarded-Proto and send cookies over HTTPS only.
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
if envbool("KAOHE_HTTPS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 100_000  # a values grid posts one field per cell
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
KAOHE_MAX_UPLOAD = int(os.environ.get("KAOHE_MAX_UPLOAD", 20 * 1024 * 1024))

# Mail (reminders, returned reports): SMTP when EMAIL_HOST is set, otherwise printed to the console.
if os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {
        "host": os.environ["EMAIL_HOST"], "port": int(os.environ.get("EMAIL_PORT", 25)),
        "username": os.environ.get("EMAIL_HOST_USER", ""), "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": envbool("EMAIL_USE_TLS")}}}
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kaohe@localhost")
# The office's name, printed at the top of every PDF page (report cards, ranking tables).
KAOHE_OFFICE_NAME = os.environ.get("KAOHE_OFFICE_NAME", "目标绩效考核办公室")
KAOHE_SITE_URL = os.environ.get("KAOHE_SITE_URL", "http://127.0.0.1:8000").rstrip("/")  # links in e-mails
# Survey answering page: behind a reverse proxy, the client's address is the last X-Forwarded-For one.
KAOHE_TRUSTED_PROXY = envbool("KAOHE_TRUSTED_PROXY")
KAOHE_SMS_SENDER = os.environ.get("KAOHE_SMS_SENDER", "kaohe.surveys.sms.ConsoleSender")  # invitations by SMS

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
