"""Extra cards on the enterprise detail page, contributed by other apps and loaded lazily.

An app registers `EnterprisePanel(url_name, title)` in AppConfig.ready(); the page renders a
placeholder that fetches `reverse(url_name, args=[pk])` with HTMX (and a plain link without JS).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EnterprisePanel:
    url_name: str
    title: str


_panels: list[EnterprisePanel] = []


def register_enterprise_panel(panel: EnterprisePanel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def enterprise_panels() -> list[EnterprisePanel]:
    return list(_panels)
