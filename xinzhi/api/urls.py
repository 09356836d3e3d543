"""Mount the API; it answers 401 itself, so the login redirect middleware must skip it."""

from django.urls import URLPattern, URLResolver

from xinzhi.api.api import api


def _exempt(patterns: list) -> None:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _exempt(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            entry.callback.login_required = False


def api_urls() -> tuple:
    patterns, app_name, namespace = api.urls
    _exempt(patterns)
    return patterns, app_name, namespace
