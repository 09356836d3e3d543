"""The home page (首页) is core's; what it shows belongs to the apps that own the data.

Core sits below every app (they all import it), so, as with the timeline, an app registers its
part in AppConfig.ready(): `register_home_redirect(fn)` with `fn(*, user) -> str | None`, a URL for
people whose work is elsewhere (experts, enterprise users), and `register_home_overview(fn)` with
`fn(*, user) -> dict`, merged into the page's `overview`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

HomeRedirect = Callable[..., str | None]  # fn(*, user)
HomeOverview = Callable[..., dict[str, Any]]  # fn(*, user)
_redirects: list[HomeRedirect] = []
_overviews: list[HomeOverview] = []


def register_home_redirect(fn: HomeRedirect) -> None:
    if fn not in _redirects:
        _redirects.append(fn)


def register_home_overview(fn: HomeOverview) -> None:
    if fn not in _overviews:
        _overviews.append(fn)


def home_redirect(*, user: Any) -> str | None:
    """The first registered destination for `user`, or None to show the overview."""
    for fn in _redirects:
        if url := fn(user=user):
            return url
    return None


def home_overview(*, user: Any) -> dict[str, Any]:
    overview: dict[str, Any] = {}
    for fn in _overviews:
        overview.update(fn(user=user))
    return overview
