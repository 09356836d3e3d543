"""统一社会信用代码 validation with python-stdnum (GB 32100-2015)."""

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc


def normalize_credit_code(value: str) -> str:
    return uscc.compact(value or "")


def validate_credit_code(value: str) -> None:
    """Raise a Chinese ValidationError that says what is wrong with the code."""
    try:
        uscc.validate(value)
    except stdnum_exceptions.InvalidLength as exc:
        raise ValidationError(
            "统一社会信用代码应为18位，当前为%(n)d位。",
            params={"n": len(uscc.compact(value))},
            code="length",
        ) from exc
    except stdnum_exceptions.InvalidChecksum as exc:
        raise ValidationError(
            "统一社会信用代码校验位错误，请核对最后一位。", code="checksum"
        ) from exc
    except stdnum_exceptions.InvalidComponent as exc:
        raise ValidationError(
            "统一社会信用代码的登记管理部门、机构类别或行政区划码无效。", code="component"
        ) from exc
    except stdnum_exceptions.InvalidFormat as exc:
        raise ValidationError(
            "统一社会信用代码格式错误：前8位应为数字，其余为数字或大写字母（不含 I、O、S、V、Z）。",
            code="format",
        ) from exc


def credit_code_problem(value: str) -> str | None:
    """What is wrong with a code (length, format, check digit), or None when it is well formed.

    Lookups use it so a mistyped code is reported as such rather than as “未登记”.
    """
    try:
        validate_credit_code(value)
    except ValidationError as exc:
        return exc.messages[0]
    return None
