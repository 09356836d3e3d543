"""消息 API: the caller's own inbox."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from xinzhi.api.errors import answers
from xinzhi.notifications import selectors

router = Router(tags=["消息提醒"])


class InboxParams(Schema):
    unread: bool = Field(False, description="true 仅未读")
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(50, ge=1, le=200)


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    url: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class InboxPage(Schema):
    count: int
    unread: int
    page: int
    pages: int
    results: list[NotificationOut]


@router.get("", response=answers(InboxPage, 422), summary="我的消息（含未读数）")
def inbox(request: HttpRequest, params: Query[InboxParams]) -> dict:
    page = Paginator(selectors.inbox(user=request.user, unread=params.unread), params.page_size)
    current = page.get_page(params.page)
    return {
        "count": page.count,
        "unread": selectors.unread_count(user=request.user),
        "page": current.number,
        "pages": page.num_pages,
        "results": list(current.object_list),
    }
