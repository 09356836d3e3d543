"""消息 pages: the inbox, opening a notification (its link obeys the reader's scope), choices."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from xinzhi.notifications import selectors, services
from xinzhi.notifications.choices import Kind
from xinzhi.notifications.models import Notification


def inbox(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox(user=request.user, unread=unread), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread})


def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark read and go to the object: its own page decides, so a stale link answers 404."""
    try:
        item = services.mark_read(user=request.user, notification_id=pk)
    except Notification.DoesNotExist as exc:
        raise Http404("消息不存在") from exc
    if item.url and url_has_allowed_host_and_scheme(item.url, allowed_hosts=None):
        return redirect(item.url)
    return redirect("notifications:inbox")


@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("notifications:inbox")


def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        posted = request.POST
        choices = {
            kind: (posted.get(f"{kind}-in_app") == "on", posted.get(f"{kind}-email") == "on")
            for kind in Kind.values
        }
        services.preferences_save(user=request.user, choices=choices)
        messages.success(request, "消息偏好已保存。")
        return redirect("notifications:preferences")
    rows = selectors.preferences(user=request.user)
    return render(request, "notifications/preferences.html", {"rows": rows})
