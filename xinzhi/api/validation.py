"""API errors in Chinese: 422 (pydantic's error types mapped to messages, field locations kept)
and ninja's own English HttpError texts (unparsable body, 401, 403, 429)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from ninja.errors import HttpError, ValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

# pydantic-core error type → message; {name} is filled from the error's ctx.
MESSAGES = {
    "missing": "此项为必填项",
    "extra_forbidden": "不支持此字段",
    "json_invalid": "请求体不是合法的 JSON",
    "json_type": "请求体须为 JSON",
    "string_type": "须为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "不能超过 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "string_unicode": "须为有效的文本",
    "int_type": "须为整数",
    "int_parsing": "须为整数",
    "int_from_float": "须为整数",
    "int_parsing_size": "整数超出允许范围",
    "float_type": "须为数字",
    "float_parsing": "须为数字",
    "finite_number": "须为有限的数字",
    "decimal_type": "须为数字",
    "decimal_parsing": "须为数字",
    "decimal_max_digits": "数字位数不能超过 {max_digits} 位",
    "decimal_max_places": "小数不能超过 {decimal_places} 位",
    "decimal_whole_digits": "整数部分不能超过 {whole_digits} 位",
    "decimal_not_finite": "须为有限的数字",
    "greater_than": "须大于 {gt}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than": "须小于 {lt}",
    "less_than_equal": "不能大于 {le}",
    "multiple_of": "须为 {multiple_of} 的倍数",
    "bool_type": "须为 true 或 false",
    "bool_parsing": "须为 true 或 false",
    "date_type": "须为日期（YYYY-MM-DD）",
    "date_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_parsing": "日期格式应为 YYYY-MM-DD",
    "date_from_datetime_inexact": "日期不能带时间",
    "datetime_type": "须为时间（ISO 8601）",
    "datetime_parsing": "时间格式应为 ISO 8601，如 2024-05-31T09:00:00+08:00",
    "datetime_from_date_parsing": "时间格式应为 ISO 8601，如 2024-05-31T09:00:00+08:00",
    "timezone_aware": "时间须带时区",
    "enum": "须为以下之一：{expected}",
    "literal_error": "须为以下之一：{expected}",
    "list_type": "须为列表",
    "tuple_type": "须为列表",
    "set_type": "须为列表",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "dict_type": "须为对象",
    "model_type": "须为对象",
    "model_attributes_type": "须为对象",
    "uuid_type": "格式不正确",
    "uuid_parsing": "格式不正确",
    "url_parsing": "须为有效的网址",
    "url_type": "须为有效的网址",
    "value_error": "取值不正确",
    "assertion_error": "取值不正确",
}
FALLBACK = "取值不正确"

# ninja's HttpError texts (ninja/errors.py, ninja/params/models.py) → Chinese.
HTTP_MESSAGES = {
    "Cannot parse request body": "请求体无法解析，须为合法的 JSON",
    "Unauthorized": "未登录或接口令牌无效",
    "Forbidden": "无权执行此操作",
    "Too many requests.": "请求过于频繁，请稍后再试",
}


def chinese_message(error: dict[str, Any]) -> str:
    """The Chinese message for one pydantic error dict."""
    kind = error.get("type", "")
    if _is_chinese(error.get("msg", "")):
        # A validator of ours (value_error or a custom type such as number_limit) already
        # speaks Chinese: keep it, without pydantic's prefix.
        return error["msg"].removeprefix("Value error, ")
    template = MESSAGES.get(kind, FALLBACK)
    ctx = error.get("ctx") or {}
    try:
        return template.format(**{k: _plain(v) for k, v in ctx.items()})
    except (KeyError, IndexError, ValueError):
        return template.split("{")[0].rstrip("：: ") or FALLBACK


def _plain(value: Any) -> str:
    text = str(value)
    return text.replace("' or '", "、").replace("', '", "、").replace("'", "")


def _is_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def install(api: NinjaAPI) -> None:
    """Answer ninja's validation errors (422) and its own HttpErrors with Chinese messages."""

    def handler(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors = [
            {"type": e.get("type", ""), "loc": list(e.get("loc", [])), "msg": chinese_message(e)}
            for e in exc.errors
        ]
        return api.create_response(request, {"detail": errors}, status=422)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        text = str(exc)
        for english, chinese in HTTP_MESSAGES.items():
            if text.startswith(english):
                text = chinese
                break
        return api.create_response(request, {"detail": text}, status=exc.status_code)

    api.add_exception_handler(ValidationError, handler)
    api.add_exception_handler(HttpError, http_error)
