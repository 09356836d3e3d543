from django.conf import settings
from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict:
    return {"XINZHI_DEMO": settings.XINZHI_DEMO}
