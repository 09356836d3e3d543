"""The default sentence templates shipped with the app (data/templates.yaml), as plain values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from xinzhi.briefings.phrasing import (
    OPENING_PLACEHOLDERS,
    PLACEHOLDERS,
    RANK,
    SectionSpec,
    Sentence,
    TemplateError,
    parse,
)

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


def check(sections: list[dict[str, Any]]) -> None:
    """Every template of a file parses (TemplateError naming the indicator otherwise)."""
    for section in sections:
        try:
            parse(section.get("opening", ""), OPENING_PLACEHOLDERS)
        except TemplateError as exc:
            raise TemplateError(f"段落 {section['code']} 的开头：{exc}") from exc
        for item in section["sentences"]:
            try:
                parse(item["text"], PLACEHOLDERS)
                parse(item.get("rank", ""), (RANK,))
            except TemplateError as exc:
                raise TemplateError(f"指标 {item['code']} 的句式：{exc}") from exc


def install(section_model: Any, sentence_model: Any, path: Path = DEFAULTS) -> int:
    """Add the shipped sections and sentences that are missing; never overwrite the admin's.

    Takes the model classes so the data migration can pass its historical models. Returns the
    number of sentence templates added.
    """
    sections = load_defaults(path)
    check(sections)
    added = 0
    for order, data in enumerate(sections, start=1):
        section, _ = section_model.objects.get_or_create(
            code=data["code"],
            defaults={"title": data["title"], "opening": data.get("opening", ""), "order": order},
        )
        for position, item in enumerate(data["sentences"], start=1):
            _, created = sentence_model.objects.get_or_create(
                code=item["code"],
                defaults={
                    "section": section,
                    "order": position,
                    "text": item["text"],
                    "rank_text": item.get("rank", "，{排名}"),
                    "joiner": item.get("joiner", "；"),
                },
            )
            added += created
    return added
