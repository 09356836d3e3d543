"""Request plumbing: the acting request for the audit log, the client address behind trusted
proxies, and the request body limit."""

import contextvars
import functools
import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "xinzhi_current_request", default=None
)


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_request.set(request)
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)


def client_ip() -> str | None:
    """The address of the client behind the current request (for the audit log)."""
    request = current_request.get()
    if request is None:
        return None
    return request_client_ip(request)


def request_client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, unless that is a trusted reverse proxy
    (XINZHI_TRUSTED_PROXIES); then the nearest X-Forwarded-For hop that is not one.

    The header is read from the right because each proxy appends the address it saw; whatever
    stands further left was written by the client and proves nothing. From any other address the
    header is ignored, so a client cannot choose its own address (login lockout, audit log).
    django-axes uses this too (AXES_CLIENT_IP_CALLABLE).
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = _trusted_networks(tuple(settings.XINZHI_TRUSTED_PROXIES))
    if remote is None or not _is_trusted(remote, proxies):
        return remote
    client = remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _parse_address(hop)
        if address is None:
            break  # garbage from the left of the chain: keep the last hop a proxy vouched for
        client = address
        if not _is_trusted(address, proxies):
            break
    return client


@functools.cache
def _trusted_networks(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def _parse_address(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def _is_trusted(address: str, proxies: tuple[IPNetwork, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip.version == network.version and ip in network for network in proxies)


class RequestBodyLimitMiddleware:
    """Refuse a request whose declared body exceeds XINZHI_MAX_REQUEST_BYTES with 413, by its
    Content-Length and before anything reads the body, so a huge upload costs no memory or disk.

    Without a Content-Length Django reads no body at all, so the header cannot be left out to
    get around the limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.XINZHI_MAX_REQUEST_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            message = (
                f"上传内容过大（{_megabytes(length)} MB），超过上限 {_megabytes(limit)} MB，"
                "未作处理。请拆分文件后重试。"
            )
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f}" if size >= 1024 * 1024 else f"{size / 1024 / 1024:.2f}"
