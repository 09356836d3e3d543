"""Test files for the imports: an .xlsx of a header and rows, as Excel saves it."""

from __future__ import annotations

import io

import xlsxwriter


def xlsx(header: list[str], rows: list[list]) -> bytes:
    """One sheet: the header, then the rows; a None cell is left empty."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()
