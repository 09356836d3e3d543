"""Sentence templates (句式模板) and the district's way of writing its figures.

The bureau admin edits the templates in-app, so their language is deliberately tiny and safe:
plain text, placeholders in braces (`{实际}`) and optional parts in square brackets
(`[（市目标{市目标}{单位}）]`, dropped whole when a placeholder inside has no value). Nothing is
evaluated; an unknown placeholder is refused when the template is saved. Everything here is a
pure function of `IndicatorFigure` values, so the briefing can be rendered from a snapshot and
tested without a database.

Ranked claims ("全市第一", "均为全市第一", "系全市第一") come only from a figure's
`city_ranking` (typed in from a city bulletin); without one the claim and its punctuation
disappear. A figure without an actual (a manual indicator nothing was typed in for) has no
sentence at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from xinzhi.dashboards.figures import IndicatorFigure

PLACEHOLDERS: dict[str, str] = {
    "期间": "统计期，如 1—9月",
    "年份": "年份，如 2024",
    "范围": "全区，或板块名称",
    "名称": "指标名称",
    "实际": "实际值，如 757、1.8999",
    "单位": "单位，如 家、万人；万元达到一亿时写作 亿元",
    "市目标": "市目标（与实际同一单位）",
    "区目标": "区目标（与实际同一单位）",
    "进度": "完成进度，如 155%",
    "序时进度": "时间进度，如 75%",
}
RANK = "排名"  # only in a template's ranked claim: 全市第一
OPENING_PLACEHOLDERS = ("期间", "年份", "范围")
JOINERS = ("；", "、", "，")
MERGED_CLAIM = "，均为{rank}"  # consecutive 、-joined figures with the same city rank

_TOKEN = re.compile(r"\{([^{}\[\]]*)\}|(\[)|(\])|([{}])")
_CN_DIGITS = "零一二三四五六七八九"


class TemplateError(ValueError):
    """A template the admin typed cannot be used; the message is Chinese."""


@dataclass(frozen=True)
class Part:
    text: str = ""
    placeholder: str | None = None
    optional: tuple[Part, ...] | None = None


def parse(text: str, allowed: Iterable[str]) -> tuple[Part, ...]:
    """The template as parts; TemplateError for an unknown placeholder or unpaired brackets."""
    allowed = tuple(allowed)
    top: list[Part] = []
    current = top
    pos = 0
    for match in _TOKEN.finditer(text):
        if match.start() > pos:
            current.append(Part(text=text[pos : match.start()]))
        pos = match.end()
        name, opening, closing, stray = match.groups()
        if stray:
            raise TemplateError(
                f"花括号不成对：占位符应写作 {{实际}} 这样的形式（位置 {match.start() + 1}）"
            )
        if opening:
            if current is not top:
                raise TemplateError("可省略部分 [ ] 不能嵌套")
            current = []
        elif closing:
            if current is top:
                raise TemplateError("方括号不成对：多了一个 ]")
            top.append(Part(optional=tuple(current)))
            current = top
        else:
            if name not in allowed:
                raise TemplateError(
                    f"未知占位符 {{{name}}}；可用的占位符："
                    + "、".join(f"{{{a}}}" for a in allowed)
                )
            current.append(Part(placeholder=name))
    if current is not top:
        raise TemplateError("方括号不成对：缺少 ]")
    if pos < len(text):
        top.append(Part(text=text[pos:]))
    return tuple(top)


def fill(text: str, values: Mapping[str, str | None], allowed: Iterable[str]) -> str | None:
    """The template with its values; None when a required placeholder has no value."""
    out: list[str] = []
    for part in parse(text, allowed):
        if part.optional is not None:
            segment = _fill_parts(part.optional, values)
            out.append(segment or "")
        else:
            piece = _fill_parts((part,), values)
            if piece is None:
                return None
            out.append(piece)
    return "".join(out)


def _fill_parts(parts: Iterable[Part], values: Mapping[str, str | None]) -> str | None:
    out = []
    for part in parts:
        if part.placeholder is None:
            out.append(part.text)
        elif values.get(part.placeholder) is None:
            return None
        else:
            out.append(values[part.placeholder])
    return "".join(out)


# --- numbers in the district's style ------------------------------------------------------


def plain_number(value: Decimal) -> str:
    """757, 1732, 3.66, 1.8999: no thousands separators, no trailing zeros (as the seeds)."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def percent(share: Decimal | None) -> str | None:
    """0.9300 → 93%, 1.55 → 155%, 0.7854 → 78.5%."""
    if share is None:
        return None
    return plain_number((share * 100).quantize(Decimal("0.1"))) + "%"


def display_scale(unit: str, actual: Decimal | None) -> tuple[str, Decimal]:
    """The unit a figure is written in and the divisor: 18999万元 is written 1.8999亿元."""
    if unit == "万元" and actual is not None and abs(actual) >= 10000:
        return "亿元", Decimal(10000)
    return unit, Decimal(1)


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十; beyond 99 the digits."""
    if not 0 < number < 100:
        return str(number)
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def city_rank_phrase(figure: IndicatorFigure) -> str | None:
    """全市第一, or None without a typed-in city ranking."""
    if figure.city_ranking is None:
        return None
    return "全市第" + chinese_numeral(figure.city_ranking.rank)


def figure_values(figure: IndicatorFigure, *, scope_name: str) -> dict[str, str | None]:
    """The placeholder values of one figure (None: no value, so the part that needs it goes)."""
    unit, divisor = display_scale(figure.unit, figure.actual)
    targets = {target.level: target.value for target in figure.targets}

    def scaled(value: Decimal | None) -> str | None:
        return None if value is None else plain_number(value / divisor)

    return {
        "期间": figure.period.label,
        "年份": str(figure.period.year),
        "范围": scope_name,
        "名称": figure.name,
        "实际": scaled(figure.actual),
        "单位": unit,
        "市目标": scaled(targets.get("city")),
        "区目标": scaled(targets.get("district")),
        "进度": percent(figure.progress),
        "序时进度": percent(figure.period.elapsed),
        RANK: city_rank_phrase(figure),
    }


# --- sentences and paragraphs -------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    """One indicator's sentence template (the admin's data, as plain values)."""

    code: str
    text: str
    rank_text: str = "，{排名}"
    joiner: str = "；"


@dataclass(frozen=True)
class SectionSpec:
    """A paragraph of the briefing: heading, opening and its sentences in order."""

    title: str
    opening: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Clause:
    text: str
    claim: str  # the rendered ranked claim, "" without a city ranking
    rank_phrase: str | None
    joiner: str


@dataclass(frozen=True)
class Paragraph:
    heading: str
    text: str


def clause(sentence: Sentence, figure: IndicatorFigure, *, scope_name: str) -> Clause | None:
    """A figure's clause, or None when it has no actual (nothing to report)."""
    if figure.actual is None:
        return None
    values = figure_values(figure, scope_name=scope_name)
    text = fill(sentence.text, values, PLACEHOLDERS)
    if text is None:
        return None
    rank_phrase = values[RANK]
    claim = "" if rank_phrase is None else fill(sentence.rank_text, values, (RANK,)) or ""
    return Clause(text=text, claim=claim, rank_phrase=rank_phrase, joiner=sentence.joiner)


def join_clauses(clauses: list[Clause]) -> str:
    """Clauses in the district's punctuation.

    Clauses joined by 、 form a group; when every clause of a group has the same city rank its
    claim is written once, after the group ("…10家、瞪羚企业133家，均为全市第一"). A group whose
    ranks differ is written clause by clause with each claim, separated by ；.
    """
    groups: list[list[Clause]] = []
    for index, item in enumerate(clauses):
        if index and clauses[index - 1].joiner == "、":
            groups[-1].append(item)
        else:
            groups.append([item])
    out: list[str] = []
    for number, group in enumerate(groups):
        ranks = {item.rank_phrase for item in group}
        if len(group) == 1:
            text = group[0].text + group[0].claim
        elif len(ranks) == 1:
            rank = ranks.pop()
            text = "、".join(item.text for item in group)
            text += "" if rank is None else MERGED_CLAIM.format(rank=rank)
        else:
            text = "；".join(item.text + item.claim for item in group)
        out.append(text)
        if number < len(groups) - 1:
            joiner = group[-1].joiner
            out.append("；" if joiner == "、" else joiner)
    return "".join(out)


def section_paragraph(
    spec: SectionSpec, figures: Mapping[str, IndicatorFigure], *, scope_name: str
) -> Paragraph | None:
    """The section's paragraph, or None when none of its figures has an actual."""
    clauses = []
    for sentence in spec.sentences:
        figure = figures.get(sentence.code)
        if figure is None:
            continue
        item = clause(sentence, figure, scope_name=scope_name)
        if item is not None:
            clauses.append(item)
    if not clauses:
        return None
    period = next(iter(figures.values())).period
    opening = fill(
        spec.opening,
        {"期间": period.label, "年份": str(period.year), "范围": scope_name},
        OPENING_PLACEHOLDERS,
    )
    return Paragraph(heading=spec.title, text=(opening or "") + join_clauses(clauses) + "。")


def briefing_paragraphs(
    specs: Iterable[SectionSpec], figures: Iterable[IndicatorFigure], *, scope_name: str
) -> list[Paragraph]:
    """Every section's paragraph, numbered 一、二、… (a section with nothing is left out)."""
    by_code = {figure.code: figure for figure in figures}
    paragraphs = []
    for spec in specs:
        paragraph = section_paragraph(spec, by_code, scope_name=scope_name)
        if paragraph is not None:
            number = chinese_numeral(len(paragraphs) + 1)
            paragraphs.append(
                Paragraph(heading=f"{number}、{paragraph.heading}", text=paragraph.text)
            )
    return paragraphs
