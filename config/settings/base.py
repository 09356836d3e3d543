"""Settings shared by every environment; behaviour is switched by environment variables."""

from pathlib import Path

import dj_database_url

from config.env import env_bool, env_int, env_list, env_networks, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("XINZHI_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("DJANGO_SECRET_KEY", "insecure-local-development-key-do-not-use-in-production")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "ninja",
    "axes",
    "django_tasks_db",
    "xinzhi.core",
    "xinzhi.accounts",
    "xinzhi.enterprises",
    "xinzhi.spreadsheets",
    "xinzhi.cultivation",
    "xinzhi.attraction",
    "xinzhi.calls",
    "xinzhi.demo",
    "xinzhi.jobs",
    "xinzhi.projects",
    "xinzhi.rewards",
    "xinzhi.chains",
    "xinzhi.portal",
    "xinzhi.notifications",
    "xinzhi.finance",
    "xinzhi.ecosystem",
    "xinzhi.dashboards",
    "xinzhi.briefings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "xinzhi.core.middleware.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xinzhi.core.middleware.RequestContextMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "xinzhi" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "xinzhi.accounts.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
(VAR_DIR / "static").mkdir(exist_ok=True)
_default_sqlite = f"sqlite:///{VAR_DIR / 'xinzhi.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and the writer work side by side; IMMEDIATE avoids upgrade deadlocks.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

PASSWORD_HASHERS = [
    # OWASP's Argon2id minimum (19 MiB): many logins at once fit a worker (docs/operations.md).
    "xinzhi.accounts.hashers.ServerArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes): lock a username *from one address*, so nobody can lock a
# colleague out from elsewhere (ASVS 6.1.1).
AXES_FAILURE_LIMIT = env_int("XINZHI_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind a reverse proxy every request comes from the proxy's address; the client's own address
# is taken from X-Forwarded-For only when the request comes from one of these (IPs or CIDRs).
XINZHI_TRUSTED_PROXIES = env_networks("XINZHI_TRUSTED_PROXIES", [])
AXES_CLIENT_IP_CALLABLE = "xinzhi.core.middleware.request_client_ip"

# One language whatever the browser asks for: no LocaleMiddleware, so an English browser gets
# Chinese messages and Chinese number/date formats like everyone else.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
FORMAT_MODULE_PATH = ["xinzhi.core.formats"]
# Chinese for third-party apps that ship none (django-axes' admin).
LOCALE_PATHS = [BASE_DIR / "xinzhi" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "xinzhi" / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
# Files browsers ask for at the site root (/favicon.ico), served by whitenoise before any login.
WHITENOISE_ROOT = BASE_DIR / "xinzhi" / "public"

# Uploads above 2.5 MB stream to a temporary file; a request declaring more than this is
# refused with 413 before its body is read (the largest legitimate upload is 20 MB).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
XINZHI_MAX_REQUEST_BYTES = env_int("XINZHI_MAX_REQUEST_MB", 25) * 1024 * 1024

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SESSION_COOKIE_AGE = env_int("XINZHI_SESSION_SECONDS", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402

# ECharts draws tooltips with inline styles (apache/echarts#19938), so styles allow inline.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# django-filter's empty choice where a filter does not name its own (“全部板块”…).
FILTERS_EMPTY_CHOICE_LABEL = "全部"

# Long work (imports, large exports, re-evaluation) runs as jobs on Django's tasks framework
# with django-tasks-db: the queue is a table in this database, so `manage.py db_worker` on any
# machine that reaches the database takes work (see docs/operations.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
XINZHI_TASK_BACKEND = "default"
# An enterprise-list export above this many rows becomes a job with a downloadable file.
XINZHI_EXPORT_JOB_ROWS = env_int("XINZHI_EXPORT_JOB_ROWS", 5000)
# `xinzhi prune_jobs` deletes finished jobs, their files and queue rows older than this.
XINZHI_JOB_RETENTION_DAYS = env_int("XINZHI_JOB_RETENTION_DAYS", 30)

XINZHI_DEMO = env_bool("XINZHI_DEMO", True)
XINZHI_PAGE_SIZE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("XINZHI_LOG_LEVEL", "WARNING")},
}

# Mail (企业账户邀请, 消息提醒): SMTP when XINZHI_SMTP_HOST is set, else the console (the demo);
# production always sends through SMTP (a local MTA on localhost unless the host is set).


def smtp_mailer(host: str) -> dict:
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": host,
            "port": env_int("XINZHI_SMTP_PORT", 25),
            "username": env_str("XINZHI_SMTP_USER", ""),
            "password": env_str("XINZHI_SMTP_PASSWORD", ""),
            "use_tls": env_bool("XINZHI_SMTP_TLS", False),
        },
    }


_SMTP_HOST = env_str("XINZHI_SMTP_HOST", "")
MAILERS = {
    "default": smtp_mailer(_SMTP_HOST)
    if _SMTP_HOST
    else {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
}
DEFAULT_FROM_EMAIL = env_str("XINZHI_MAIL_FROM", "新质平台 <xinzhi@localhost>")
