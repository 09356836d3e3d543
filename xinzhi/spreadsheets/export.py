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
            # The column's number format applies to every cell written without one, so a row
            # goes out in one `write_row` call (constant memory: each row is flushed as written).
            sheet.set_column(col, col, column.width, formats.get(column.kind))
            sheet.write_string(0, col, column.header, header)
        sheet.freeze_panes(1, 0)
        values = [column.value for column in columns]
        write_row = sheet.write_row
        for r, row in enumerate(rows, start=1):
            write_row(r, 0, [cell(value(row)) for value in values])
    book.close()
    target.seek(0)
    return target


def cell(value: Any) -> Any:
    """A value as the spreadsheet should hold it; None leaves the cell empty."""
    kind = type(value)
    if kind is str:
        if not value:
            return None
        # Text that a spreadsheet would run as a formula is shown as text instead.
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None or kind is int or kind is float:
        return value
    if kind is Decimal:
        return float(value)
    if kind is bool:
        return "是" if value else "否"
    if kind is dt.datetime:
        return value.strftime("%Y-%m-%d %H:%M")
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)  # noqa: DTZ001 - a calendar date
    if isinstance(value, int | float | Decimal):  # subclasses: IntEnum, choices
        return float(value)
    return neutralise(str(value))


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
