"""Turn service errors into form errors and messages (one place for the UI)."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from xinzhi.core.exceptions import ApplicationError


def form_add_service_error(form: forms.BaseForm, exc: ApplicationError | ValidationError) -> None:
    """Attach a service error to the matching field, or to the form as a whole."""
    if isinstance(exc, ApplicationError):
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class Outcome:
    """What `run_service` gives back: truthy when the service succeeded, with its value."""

    def __init__(self, ok: bool, value: Any = None) -> None:
        self.ok, self.value = ok, value

    def __bool__(self) -> bool:
        return self.ok


def run_service(
    request: HttpRequest,
    action: Callable[[], Any],
    *,
    success: str = "",
    form: forms.BaseForm | None = None,
) -> Outcome:
    """Run a service from a view: the one way pages turn service refusals into answers.

    A role refusal (`ApplicationError(code="forbidden")`, PermissionDenied) answers 403; any
    other refusal becomes the form's errors when a form is given, else an error message.
    """
    try:
        value = action()
    except ApplicationError as exc:
        if exc.code == "forbidden":
            raise PermissionDenied(exc.message) from exc
        _report(request, form, exc)
        return Outcome(False)
    except ValidationError as exc:
        _report(request, form, exc)
        return Outcome(False)
    if success:
        messages.success(request, success)
    return Outcome(True, value)


def _report(
    request: HttpRequest, form: forms.BaseForm | None, exc: ApplicationError | ValidationError
) -> None:
    if form is not None:
        form_add_service_error(form, exc)
    else:
        messages.error(request, service_message(exc))


def service_message(exc: ApplicationError | ValidationError) -> str:
    """The Chinese message of a service refusal, one line."""
    if isinstance(exc, ApplicationError):
        return exc.message
    return "；".join(exc.messages)


def require_valid_filters(filterset: Any) -> None:
    """Refuse an invalid filter (a foreign 板块, an unknown choice) as the page shows it.

    django-filter drops an invalid value and filters on the rest; a page shows "筛选条件有误",
    and the API answers 400 with the same words instead of a silently wider list.
    """
    if filterset.errors:
        detail = "".join("；".join(errors) for errors in filterset.errors.values())
        field = next(iter(filterset.errors))
        raise ApplicationError(f"筛选条件有误：{detail}", field=field)
