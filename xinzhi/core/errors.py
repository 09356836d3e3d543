"""Turn service errors into form errors and messages (one place for the UI)."""

from django import forms
from django.core.exceptions import ValidationError

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
