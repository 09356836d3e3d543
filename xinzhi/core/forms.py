"""Form helpers shared by every app's pages."""

from django import forms


class BootstrapMixin:
    """Bootstrap 5 classes on a form's widgets; call `self._style()` at the end of `__init__`."""

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            # Radio buttons and checkbox lists render choice by choice in the templates.
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            widget.attrs.setdefault("class", css)
