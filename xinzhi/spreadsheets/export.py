"""Excel export shared by every list (xlsxwriter, constant memory)."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse

# Text starting with these is read as a formula by spreadsheet programs (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(text: str) -> str:
    """Prefix an apostrophe so a spreadsheet shows the text instead of running it."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    width: int = 14
    kind: str = "text"  # text | money | int | date | percent


def write_workbook(
    sheets: list[tuple[str, list[Column], Iterable[Any]]],
) -> tempfile.SpooledTemporaryFile:
    """Write sheets of rows to a spooled temporary file positioned at its start."""
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 - returned open
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "in_memory": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    header = book.add_format({"bold": True, "bg_color": "#DCE6F1", "border": 1})
    formats = {
        "money": book.add_format({"num_format": "#,##0.00"}),
        "int": book.add_format({"num_format": "0"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "percent": book.add_format({"num_format": "0.00%"}),
    }
    for title, columns, rows in sheets:
        sheet = book.add_worksheet(title[:31])
        for col, column in enumerate(columns):
            sheet.set_column(col, col, column.width)
            sheet.write_string(0, col, column.header, header)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for col, column in enumerate(columns):
                _write_cell(sheet, r, col, column.value(row), formats.get(column.kind))
    book.close()
    target.seek(0)
    return target


def _write_cell(sheet: Any, row: int, col: int, value: Any, fmt: Any) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        sheet.write_string(row, col, "是" if value else "否")
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value), fmt)
    elif isinstance(value, dt.datetime):
        sheet.write_string(row, col, value.strftime("%Y-%m-%d %H:%M"))
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), fmt)  # noqa: DTZ001
    else:
        sheet.write_string(row, col, neutralise(str(value)))


def xlsx_response(workbook: tempfile.SpooledTemporaryFile, filename: str) -> FileResponse:
    response = FileResponse(
        workbook,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    # RFC 6266: an ASCII fallback plus the UTF-8 Chinese name.
    response["Content-Disposition"] = (
        f"attachment; filename=\"export.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
