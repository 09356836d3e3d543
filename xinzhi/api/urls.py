"""Mount the API; it answers 401 itself, so the login redirect middleware must skip it."""

from django.urls import URLPattern, URLResolver, re_path

from xinzhi.api.api import api
from xinzhi.api.errors import unknown_endpoint


def _exempt(patterns: list) -> None:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            _exempt(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            entry.callback.login_required = False


def api_urls() -> tuple:
    patterns, app_name, namespace = api.urls
    patterns = [*patterns, re_path(r"^(?P<rest>.*)$", unknown_endpoint)]
    _exempt(patterns)
    return patterns, app_name, namespace
