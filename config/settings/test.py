"""Test settings: fast hashing, no throttling surprises between tests."""

from config.settings.base import *  # noqa: F403
from config.settings.base import AXES_FAILURE_LIMIT  # noqa: F401

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
XINZHI_SCOPE_STRICT = True
