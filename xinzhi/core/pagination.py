"""Pagination whose cost does not grow with the depth of the page (分页).

`keyset_page` continues after the last row seen (a cursor of its sort values) instead of
counting past `OFFSET` rows, for API clients that walk a whole list. Pages meant for people
stop at `MAX_PAGE_ROWS` and ask for a narrower search (`capped_page`): nobody reads page 800.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, Q, QuerySet
from django.db.models.expressions import OrderBy

from xinzhi.core.exceptions import ApplicationError

MAX_PAGE_ROWS = 10_000
DEEP_PAGE_MESSAGE = (
    "列表仅显示前 {rows:,} 条。请用关键词、板块或资质等筛选条件缩小范围；"
    "需要全部数据请导出，或通过接口按 next 翻页标记逐页读取。"
)


@dataclass(frozen=True)
class _Key:
    path: str
    descending: bool


@dataclass
class KeysetPage:
    """One page of a keyset walk; `next_cursor` is None on the last page."""

    items: list[Any]
    next_cursor: str | None


def _keys(queryset: QuerySet) -> list[_Key]:
    """The queryset's ordering as plain field paths, with the primary key as the last tie-break."""
    keys = []
    for item in queryset.query.order_by or queryset.model._meta.ordering or []:
        if isinstance(item, str):
            keys.append(_Key(item.lstrip("-"), item.startswith("-")))
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            keys.append(_Key(item.expression.name, item.descending))
        else:
            raise TypeError(f"keyset pagination cannot order by {item!r}")
    keys = [_Key("pk" if k.path == "id" else k.path, k.descending) for k in keys]
    if not keys or keys[-1].path != "pk":
        keys.append(_Key("pk", False))
    return keys


class _CursorEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        # Full microseconds: DjangoJSONEncoder keeps milliseconds, which would skip rows.
        if isinstance(o, dt.datetime):
            return o.isoformat()
        return super().default(o)


def _signature(keys: list[_Key]) -> str:
    return ",".join(("-" if k.descending else "") + k.path for k in keys)


def _encode(keys: list[_Key], values: list[Any]) -> str:
    cursor = {"o": _signature(keys), "v": values}
    raw = json.dumps(cursor, cls=_CursorEncoder, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, keys: list[_Key]) -> list[Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        decoded = json.loads(raw)
        order, values = decoded["o"], decoded["v"]
    except (binascii.Error, ValueError, TypeError, KeyError) as exc:
        raise ApplicationError("翻页标记无效，请从第一页重新读取。", field="after") from exc
    if order != _signature(keys) or not isinstance(values, list) or len(values) != len(keys):
        # Written for another sort order: continuing from it would skip or repeat rows.
        raise ApplicationError("翻页标记与当前排序不符，请从第一页重新读取。", field="after")
    return values


def _after(keys: list[_Key], values: list[Any]) -> Q:
    """Rows strictly after `values` in the order of `keys`, NULLs last in every key."""
    condition = Q(pk__in=[])
    ties = Q()
    for key, value in zip(keys, values, strict=True):
        if value is not None:
            beyond = Q(**{f"{key.path}__{'lt' if key.descending else 'gt'}": value})
            beyond |= Q(**{f"{key.path}__isnull": True})
            condition |= ties & beyond
            ties &= Q(**{key.path: value})
        else:
            ties &= Q(**{f"{key.path}__isnull": True})
    return condition


def keyset_page(
    queryset: QuerySet, *, after: str | None = None, size: int, offset: int = 0
) -> KeysetPage:
    """The `size` rows following cursor `after` (None: the first page), in the queryset's order.

    Every row comes exactly once across the pages, ties in the sort key included, because
    the primary key ends the ordering. NULLs sort last on every database. `offset` skips rows
    first (numbered pages near the top), and the cursor still continues where the page ends.
    """
    keys = _keys(queryset)
    ordering = [
        F(k.path).desc(nulls_last=True) if k.descending else F(k.path).asc(nulls_last=True)
        for k in keys
    ]
    names = [f"keyset_{i}" for i in range(len(keys))]
    queryset = queryset.order_by(*ordering).annotate(
        **{name: F(k.path) for name, k in zip(names, keys, strict=True)}
    )
    if after:
        queryset = queryset.filter(_after(keys, _decode(after, keys)))
    rows = list(queryset[offset : offset + size + 1])
    if len(rows) <= size:
        return KeysetPage(rows, None)
    rows = rows[:size]
    return KeysetPage(rows, _encode(keys, [getattr(rows[-1], name) for name in names]))


@dataclass
class ApiPage:
    """What a list endpoint answers: the rows, the total, the page number or None, `next`."""

    items: list[Any]
    count: int
    number: int | None
    pages: int
    next_cursor: str | None


def api_page(
    queryset: QuerySet, *, page: int, size: int, after: str | None, count: int | None = None
) -> ApiPage:
    """A numbered page near the top, or the rows after cursor `after` at any depth.

    Numbered pages stop at `MAX_PAGE_ROWS` with a Chinese refusal that names the way on;
    either way `next_cursor` continues exactly where the page ends. `count`: the rows' number
    when a maintained or cached count knows it (else they are counted).
    """
    count = queryset.count() if count is None else count
    pages = max(1, -(-count // size))
    if after:
        found = keyset_page(queryset, after=after, size=size)
        return ApiPage(found.items, count, None, pages, found.next_cursor)
    if (page - 1) * size >= MAX_PAGE_ROWS:
        raise ApplicationError(
            f"页码过深：按页码只能读取前 {MAX_PAGE_ROWS:,} 条，"
            "请用上一页返回的 next 作为 after 参数继续读取。",
            field="page",
        )
    number = min(page, pages)
    found = keyset_page(queryset, size=size, offset=(number - 1) * size)
    return ApiPage(found.items, count, number, pages, found.next_cursor)


class CountedPaginator(Paginator):
    """A paginator told its row count by a maintained or cached count, instead of counting
    (at 100k enterprises a count can cost more than the page it numbers)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.count = count  # Paginator.count is a cached_property: this is its value


def capped_page(
    queryset: QuerySet, *, per_page: int, number: Any, count: int | None = None
) -> tuple[Page, str]:
    """A page for people: pages past `MAX_PAGE_ROWS` rows show the last allowed page and say so.

    Returns the page and the Chinese prompt to narrow the search ("" when not capped).
    `count`: the rows' number when a maintained or cached count knows it.
    """
    paginator = CountedPaginator(queryset, per_page, count=count)
    last_allowed = max(1, MAX_PAGE_ROWS // per_page)
    try:
        wanted = int(number)
    except (TypeError, ValueError):
        wanted = 1
    prompt = ""
    if wanted >= last_allowed and paginator.count > MAX_PAGE_ROWS:
        # The last page offered: say why there is no next one.
        wanted = last_allowed
        prompt = DEEP_PAGE_MESSAGE.format(rows=MAX_PAGE_ROWS)
    return paginator.get_page(wanted), prompt
