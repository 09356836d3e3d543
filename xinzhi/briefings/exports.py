"""The two files of the briefings app, as pure functions of their inputs.

- `report_workbook`: 科技创新主要指标完成情况表, the bureau's fixed layout: one row per indicator,
  one column group per unit (the district, then each 板块) with 实际 / 区目标 / 市目标 / 完成进度 /
  序时进度 / 排名, merged headers and the sources underneath. Built from live figures or from a
  briefing's snapshot — the same function, so both read alike.
- `briefing_document`: the monthly briefing (.docx) from its stored, possibly edited text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import xlsxwriter
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt

from xinzhi.briefings.phrasing import chinese_numeral
from xinzhi.dashboards.figures import IndicatorFigure

GROUP_COLUMNS = ("实际", "区目标", "市目标", "完成进度", "序时进度", "排名")
MANUAL_MARK = "※"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def borough_ranks(figures: Sequence[IndicatorFigure]) -> dict[tuple[str, int | None], int]:
    """Rank of each 板块's actual among the 板块 in `figures`, per indicator (larger is better;
    equal actuals share a place; the district and figures without an actual are not ranked)."""
    by_code: dict[str, list[IndicatorFigure]] = {}
    for figure in figures:
        if figure.jurisdiction_id is not None and figure.actual is not None:
            by_code.setdefault(figure.code, []).append(figure)
    ranks: dict[tuple[str, int | None], int] = {}
    for code, items in by_code.items():
        if len(items) < 2:
            continue
        for figure in items:
            better = sum(1 for other in items if other.actual > figure.actual)
            ranks[(code, figure.jurisdiction_id)] = better + 1
    return ranks


def report_title(scope_name: str, period_year: int, period_label: str) -> str:
    return f"{scope_name}科技创新主要指标完成情况表（{period_year}年{period_label}）"


def report_workbook(
    *,
    title: str,
    units: Sequence[tuple[int | None, str]],
    figures: Sequence[IndicatorFigure],
    note: str = "",
) -> bytes:
    """The .xlsx of the report (a few dozen cells: built in memory)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("完成情况")
    fmt = _formats(book)
    width = 3 + len(GROUP_COLUMNS) * len(units)
    sheet.merge_range(0, 0, 0, width - 1, title, fmt["title"])
    sheet.set_row(0, 30)
    for column, label in enumerate(("序号", "指标", "单位")):
        sheet.merge_range(1, column, 2, column, label, fmt["head"])
    for index, (_unit_id, name) in enumerate(units):
        first = 3 + index * len(GROUP_COLUMNS)
        sheet.merge_range(1, first, 1, first + len(GROUP_COLUMNS) - 1, name, fmt["head"])
        for offset, label in enumerate(GROUP_COLUMNS):
            sheet.write(2, first + offset, label, fmt["head"])
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 34)
    sheet.set_column(2, 2, 7)
    sheet.set_column(3, width - 1, 10)
    sheet.freeze_panes(3, 3)

    cells = {(f.code, f.jurisdiction_id): f for f in figures}
    codes: list[IndicatorFigure] = []
    seen: set[str] = set()
    for figure in figures:
        if figure.code not in seen:
            seen.add(figure.code)
            codes.append(figure)
    ranks = borough_ranks(figures)
    row = 3
    for number, head in enumerate(codes, start=1):
        name = head.name + (MANUAL_MARK if head.source == "manual" else "")
        sheet.write_number(row, 0, number, fmt["center"])
        sheet.write_string(row, 1, name, fmt["text"])
        sheet.write_string(row, 2, head.unit, fmt["center"])
        for index, (unit_id, _name) in enumerate(units):
            first = 3 + index * len(GROUP_COLUMNS)
            figure = cells.get((head.code, unit_id))
            values = _group_values(figure, unit_id, ranks)
            for offset, value in enumerate(values):
                _write(sheet, row, first + offset, value, GROUP_COLUMNS[offset], fmt)
        row += 1

    row += 1
    for line in _notes(codes, figures, note):
        sheet.merge_range(row, 0, row, width - 1, line, fmt["note"])
        row += 1
    book.close()
    return buffer.getvalue()


def _group_values(figure: IndicatorFigure | None, unit_id: int | None, ranks: dict) -> list[Any]:
    if figure is None:
        return [None] * len(GROUP_COLUMNS)
    targets = {t.level: t.value for t in figure.targets}
    if unit_id is None:
        ranking = figure.city_ranking
        rank = None if ranking is None else "全市第" + chinese_numeral(ranking.rank)
    else:
        rank = ranks.get((figure.code, unit_id))
    return [
        figure.actual,
        targets.get("district"),
        targets.get("city"),
        figure.progress,
        figure.period.elapsed,
        rank,
    ]


def _write(sheet: Any, row: int, column: int, value: Any, kind: str, fmt: dict) -> None:
    if value is None:
        sheet.write_string(row, column, "—", fmt["center"])
    elif isinstance(value, str):
        sheet.write_string(row, column, value, fmt["center"])
    elif kind in ("完成进度", "序时进度"):
        sheet.write_number(row, column, float(value), fmt["percent"])
    elif isinstance(value, Decimal) and value != value.to_integral_value():
        sheet.write_number(row, column, float(value), fmt["decimal"])
    else:
        sheet.write_number(row, column, float(value), fmt["integer"])


def _notes(
    codes: Sequence[IndicatorFigure], figures: Sequence[IndicatorFigure], note: str
) -> list[str]:
    lines = [
        "注：完成进度 = 实际 ÷ 区目标（无区目标时按市目标）；序时进度为统计期占全年的比例；"
        "板块排名按实际值由高到低。" + MANUAL_MARK + " 为手工填报指标。"
    ]
    for figure in codes:
        kind = "手工填报" if figure.source == "manual" else "系统计算"
        lines.append(
            f"{figure.name}：{kind}" + (f"，{figure.source_note}" if figure.source_note else "")
        )
    sources = sorted(
        {
            f.city_ranking.source
            for f in figures
            if f.city_ranking is not None and f.city_ranking.source
        }
    )
    for source in sources:
        lines.append(f"全市排名来源：{source}")
    if note:
        lines.append(note)
    return lines


def _formats(book: Any) -> dict[str, Any]:
    border = {"border": 1, "valign": "vcenter", "font_size": 10}
    return {
        "title": book.add_format(
            {"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}
        ),
        "head": book.add_format(
            {**border, "bold": True, "align": "center", "bg_color": "#DDEBF7", "text_wrap": True}
        ),
        "text": book.add_format({**border, "text_wrap": True}),
        "center": book.add_format({**border, "align": "center"}),
        "integer": book.add_format({**border, "num_format": "0"}),
        "decimal": book.add_format({**border, "num_format": "0.00##"}),
        "percent": book.add_format({**border, "num_format": "0.0%"}),
        "note": book.add_format({"font_size": 9, "text_wrap": False}),
    }


# --- the .docx ---------------------------------------------------------------------------

BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"


def briefing_document(
    *, title: str, issue: str, compiled_by: str, issued_on: Any, paragraphs: Sequence[dict]
) -> bytes:
    """The briefing as a Word document: title, issue, 编制单位 and date, then its paragraphs."""
    document = Document()
    _font(document.styles["Normal"], BODY_FONT, 16)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(heading, title, TITLE_FONT, 22, bold=True)
    sub = document.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(sub, issue, BODY_FONT, 16)
    line = document.add_paragraph()
    _run(line, f"编制单位：{compiled_by}", BODY_FONT, 14)
    _run(
        line,
        "\u3000" * 4 + f"{issued_on.year}年{issued_on.month}月{issued_on.day}日",
        BODY_FONT,
        14,
    )
    for paragraph in paragraphs:
        if paragraph.get("heading"):
            head = document.add_paragraph()
            _run(head, paragraph["heading"], "黑体", 16, bold=True)
        for text in paragraph["text"].split("\n"):
            if text.strip():
                body = document.add_paragraph()
                body.paragraph_format.first_line_indent = Pt(32)
                _run(body, text.strip(), BODY_FONT, 16)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _run(paragraph: Any, text: str, font: str, size: int, *, bold: bool = False) -> None:
    # Templates and headings are typed by people too: what XML cannot hold is left out here
    # as well, so a stored briefing always downloads.
    run = paragraph.add_run(_NOT_XML.sub("", text))
    run.bold = bold
    _font(run, font, size)


def _font(target: Any, name: str, size: int) -> None:
    """Set Latin and East Asian fonts: Word picks Chinese glyphs from w:eastAsia."""
    target.font.name = name
    target.font.size = Pt(size)
    element = target.element if hasattr(target, "element") else target._element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), name)
