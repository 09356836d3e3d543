from django import template

from xinzhi.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    """未读消息数 for the header (one count query per page)."""
    request = context.get("request")
    return unread_count(user=getattr(request, "user", None)) if request else 0
