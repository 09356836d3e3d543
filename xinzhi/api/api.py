"""The REST API root (/api/): OpenAPI at /api/openapi.json, docs at /api/docs."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja.security import HttpBearer, django_auth

from xinzhi.accounts.services import api_token_user
from xinzhi.api import errors, validation
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer xz_…` for other systems; the token's user and scope apply."""

    def authenticate(self, request: HttpRequest, token: str):  # noqa: ANN201
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


api = errors.XinzhiAPI(
    title="新质平台 API",
    version="1",
    description=(
        "区科技局科技招商与科创企业培育平台接口。所有接口按当前用户的管辖范围返回数据。"
        "其他系统使用接口令牌：请求头 Authorization: Bearer xz_…（令牌由管理员用 "
        "`xinzhi create_api_token` 签发）。"
    ),
    auth=[ApiTokenAuth(), django_auth],
    urls_namespace="api",
)
validation.install(api)  # 422 messages in Chinese


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    status = (
        409 if isinstance(exc, ConcurrentEditError) else 403 if exc.code == "forbidden" else 400
    )
    return api.create_response(
        request, {"detail": exc.message, "field": exc.field, "code": exc.code}, status=status
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "数据校验未通过", "errors": errors}, status=400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "不存在或不在您的管辖范围内"}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "无权执行此操作"}, status=403)


api.add_router("/enterprises", "xinzhi.enterprises.api.router")
api.add_router("/attraction", "xinzhi.attraction.api.router")
api.add_router("/calls", "xinzhi.calls.api.router")
api.add_router("/cultivation", "xinzhi.cultivation.api.router")
api.add_router("/projects", "xinzhi.projects.api.router")
api.add_router("/rewards", "xinzhi.rewards.api.router")
api.add_router("/chains", "xinzhi.chains.api.router")
api.add_router("/portal", "xinzhi.portal.api.router")
api.add_router("/notifications", "xinzhi.notifications.api.router")
api.add_router("/finance", "xinzhi.finance.api.router")
api.add_router("/ecosystem", "xinzhi.ecosystem.api.router")
api.add_router("/dashboards", "xinzhi.dashboards.api.router")
api.add_router("/briefings", "xinzhi.briefings.api.router")
