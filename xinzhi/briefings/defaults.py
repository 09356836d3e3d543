"""The default sentence templates shipped with the app (data/templates.yaml), as plain values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from xinzhi.briefings.phrasing import SectionSpec, Sentence

DEFAULTS = Path(__file__).resolve().parent / "data" / "templates.yaml"


def load_defaults(path: Path = DEFAULTS) -> list[dict[str, Any]]:
    """The sections of the YAML file, each with its sentences in order."""
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["sections"]


def default_specs() -> list[SectionSpec]:
    return [
        SectionSpec(
            title=section["title"],
            opening=section.get("opening", ""),
            sentences=tuple(
                Sentence(
                    code=item["code"],
                    text=item["text"],
                    rank_text=item.get("rank", "，{排名}"),
                    joiner=item.get("joiner", "；"),
                )
                for item in section["sentences"]
            ),
        )
        for section in load_defaults()
    ]
