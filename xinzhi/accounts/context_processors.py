from django.conf import settings
from django.http import HttpRequest

from xinzhi.accounts.permissions import UserRules


def navigation(request: HttpRequest) -> dict:
    # `rules` is the template side of accounts.permissions: {% if rules.ranking %}.
    return {"XINZHI_DEMO": settings.XINZHI_DEMO, "rules": UserRules(getattr(request, "user", None))}
