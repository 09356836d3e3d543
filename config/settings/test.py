"""Test settings: fast hashing, no throttling surprises between tests."""

from config.settings.base import *  # noqa: F403
from config.settings.base import AXES_FAILURE_LIMIT  # noqa: F401

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
XINZHI_SCOPE_STRICT = True

# Tests run a job where it is enqueued; tests of the real worker enqueue on "database" and
# start `manage.py db_worker --backend database` against the same (file) test database.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# A file, not SQLite's in-memory default, so a worker started by a test in another process
# sees the test database (xinzhi/jobs/tests/test_worker.py). One file per test run.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os

    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")  # noqa: F405
    }
