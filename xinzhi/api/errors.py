"""The API's error answers: one shared schema, the 4xx each operation declares, NUL refused."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.datastructures import MultiValueDict
from django.views.decorators.csrf import csrf_exempt
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser

NUL_MESSAGE = "文本不能包含空字符（\\x00）"


class ErrorOut(Schema):
    """错误答复（400 401 403 404 409）：detail 为中文说明。"""

    detail: str = Field(..., description="中文错误说明")
    field: str | None = Field(None, description="出错的字段（如有）")
    code: str | None = Field(None, description="错误代码，如 invalid、forbidden、conflict")
    errors: dict[str, list[str]] | None = Field(None, description="逐字段的校验错误")


class ValidationIssue(Schema):
    type: str = Field(..., description="错误类型")
    loc: list[str | int] = Field(..., description='出错位置，如 ["body", "payload", "name"]')
    msg: str = Field(..., description="错误说明")


class ValidationErrorOut(Schema):
    """参数校验未通过（422）。"""

    detail: list[ValidationIssue]


ERROR_SCHEMAS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}


def answers(ok: Any, *codes: int) -> dict[int, Any]:
    """`response=` of an operation: its 200 schema, 401 and 403 (every operation), and `codes`.

    400 业务规则或请求体无效, 404 不存在或不在管辖范围内, 409 他人已修改, 422 参数校验未通过.
    """
    return {200: ok} | {code: ERROR_SCHEMAS[code] for code in sorted({401, 403, *codes})}


class NulCharacterError(Exception):
    """A string in the request holds NUL, which PostgreSQL cannot store or compare."""

    def __init__(self, loc: list[str | int]) -> None:
        super().__init__(loc)
        self.loc = loc


def _nul_location(value: Any, loc: list[str | int]) -> list[str | int] | None:
    if isinstance(value, str):
        return loc if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_location(key, [*loc, key]) or _nul_location(item, [*loc, key])
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _nul_location(item, [*loc, index])
            if found:
                return found
    return None


class ApiParser(Parser):
    """JSON bodies and query strings as ninja parses them, but refusing NUL anywhere in them."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        loc = _nul_location(data, ["body"])
        if loc:
            raise NulCharacterError(loc)
        return data

    def parse_querydict(
        self, data: MultiValueDict, list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        loc = _nul_location({k: data.getlist(k) for k in data}, ["query"])
        if loc:
            raise _nul_error([part for part in loc if not isinstance(part, int)])
        return super().parse_querydict(data, list_fields, request)


def _nul_error(loc: list[str | int]) -> ValidationError:
    # "value_error" with a Chinese message: the 422 handler shows such messages as they are.
    return ValidationError([{"type": "value_error", "loc": loc, "msg": NUL_MESSAGE}])


class XinzhiAPI(NinjaAPI):
    """NinjaAPI whose parser refuses NUL (422), which PostgreSQL cannot store (it was a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=ApiParser(), **kwargs)

    def on_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        # ninja turns whatever the body parser raises into a 400 "Cannot parse request body";
        # unwrap ours here, whichever HttpError handler is registered.
        if isinstance(exc, HttpError) and isinstance(exc.__cause__, NulCharacterError):
            exc = _nul_error(exc.__cause__.loc)
        return super().on_exception(request, exc)


@csrf_exempt  # refusing a POST here for CSRF would answer HTML 403 instead of the JSON 404
def unknown_endpoint(request: HttpRequest, rest: str = "") -> JsonResponse:
    """Any other URL under /api/ (e.g. /api/enterprises/abc): JSON 404, not the HTML page."""
    return JsonResponse({"detail": "接口不存在"}, status=404)
