"""Where the home page (首页) sends people whose work is elsewhere.

Core sits below every app (they all import it), so the app that knows the roles registers a
rule in AppConfig.ready(): `register_home_redirect(fn)` with `fn(*, user) -> str | None`, a URL
(experts to their reviews, enterprise users to their own record) or None for the overview,
whose counts come from `core.selectors.register_overview_provider`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HomeRedirect = Callable[..., str | None]  # fn(*, user)
_redirects: list[HomeRedirect] = []


def register_home_redirect(fn: HomeRedirect) -> None:
    if fn not in _redirects:
        _redirects.append(fn)


def home_redirect(*, user: Any) -> str | None:
    """The first registered destination for `user`, or None to show the overview."""
    for fn in _redirects:
        if url := fn(user=user):
            return url
    return None
