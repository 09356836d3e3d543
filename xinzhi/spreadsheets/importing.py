"""Excel import shared by every list: read, validate every row, then commit all or nothing.

A list defines its columns (Chinese header → field, parser); `read_rows` checks the file and the
header row, each row is parsed into a dict or a list of `RowError`s, and the caller commits only
when no row failed. A dry run stops after validation.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from xinzhi.spreadsheets.xlsx import NOT_XLSX, Formula, SheetError, Workbook

MAX_BYTES = 20 * 1024 * 1024
MAX_UNCOMPRESSED = 200 * 1024 * 1024  # zip-bomb guard (ASVS 5.2.3)
NUL_MESSAGE = "含有不可见的空字符（NUL），请删除后重试"


class ImportFileError(Exception):
    """The file as a whole cannot be imported (wrong type, size, header)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number as the user sees it (header is row 1)
    column: str
    message: str


@dataclass(frozen=True)
class ImportColumn:
    header: str
    field: str
    parse: Callable[[Any], Any]
    required: bool = False


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = True

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("应为数字")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"“{value}”不是数字") from exc
    if not number.is_finite():
        raise ValueError(f"“{value}”不是数字")
    return number


def _cents(number: Decimal) -> Decimal:
    # A number too large to round within the context is left as is: the column's limit check
    # (`xinzhi.core.limits.limited`) refuses it with the field's range.
    return number.quantize(Decimal("0.01")) if number.adjusted() < 24 else number


def parse_money(value: Any) -> Decimal | None:
    number = parse_decimal(value)
    if number is not None and number < 0:
        raise ValueError("金额不能为负数")
    return None if number is None else _cents(number)


def parse_signed_money(value: Any) -> Decimal | None:
    number = parse_decimal(value)
    return None if number is None else _cents(number)


def parse_count(value: Any) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 0:
        raise ValueError(f"“{value}”应为非负整数")
    if number.adjusted() > 30:  # int() of 1e999999999 would not finish
        raise ValueError(f"“{value}”超出允许范围")
    return int(number)


def parse_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError as exc:
        raise ValueError(f"“{value}”不是有效日期（应为 YYYY-MM-DD）") from exc


class Upload(Protocol):
    size: int

    def read(self) -> bytes: ...


def read_upload(upload: Upload) -> bytes:
    """An uploaded file's content, its size checked first on the file Django streamed to disk,
    so a file over the limit is refused without being read into memory."""
    _check_size(upload.size)
    return upload.read()


def _check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise ImportFileError(f"文件过大（{size // 1024 // 1024} MB），上限 20 MB。")


def open_workbook(data: bytes) -> Workbook:
    """Refuse what is not a sane .xlsx (size, type, zip bomb); open it for streaming."""
    _check_size(len(data))
    if not data.startswith(b"PK"):
        raise ImportFileError(NOT_XLSX)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise ImportFileError("文件解压后过大，疑似异常文件，已拒绝。")
        return Workbook(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise ImportFileError("文件已损坏或不是 Excel 文件。") from exc
    except SheetError as exc:
        raise ImportFileError(exc.message) from exc


def sheet_row_count(data: bytes) -> int:
    """Rows the first sheet declares (its dimension), header included; 0 when unknown.

    Reads the zip directory and the sheet's first kilobytes only: a progress bar's total.
    """
    try:
        return Workbook(io.BytesIO(data)).dimension_rows() or 0
    except SheetError:
        return 0


def cell_name(row: int, column: int) -> str:
    """Excel's name of a 0-based cell: (4, 4) → E5."""
    letters, column = "", column + 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def read_rows(
    data: bytes, columns: list[ImportColumn]
) -> Iterator[tuple[int, dict[str, Any], list[RowError]]]:
    """Yield (row number, parsed values, errors) for every non-empty row of the first sheet.

    The first non-empty row is the header. Rows are read from the file as they are consumed
    (`xlsx.Workbook.rows`), so memory does not depend on the number of rows.
    """
    rows = _sheet_rows(open_workbook(data))
    header = next(rows, None)
    if header is None:
        raise ImportFileError("文件是空的：第一行应为表头。")
    names = [parse_text(cell) if not isinstance(cell, Formula) else "" for cell in header[1]]
    by_header = {c.header: c for c in columns}
    unknown = [n for n in names if n and n not in by_header]
    if unknown:
        raise ImportFileError(f"无法识别的列：{'、'.join(unknown)}。请使用导入模板的表头。")
    missing = [c.header for c in columns if c.required and c.header not in names]
    if missing:
        raise ImportFileError(f"缺少必填列：{'、'.join(missing)}。")
    positions = [(i, by_header[n]) for i, n in enumerate(names) if n]
    data_rows = 0
    for index, cells in rows:
        number = index + 1
        data_rows += 1
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        width = len(cells)
        for position, column in positions:
            raw = cells[position] if position < width else None
            if raw.__class__ is Formula:
                errors.append(
                    RowError(
                        number,
                        column.header,
                        f"{cell_name(index, position)} 是公式单元格，"
                        "请复制后“选择性粘贴为数值”再导入",
                    )
                )
                continue
            if raw.__class__ is str and "\x00" in raw:
                # PostgreSQL cannot store NUL in text; such a cell is a broken file, not data.
                errors.append(RowError(number, column.header, NUL_MESSAGE))
                continue
            try:
                values[column.field] = column.parse(raw)
            except ValueError as exc:
                errors.append(RowError(number, column.header, str(exc)))
                continue
            if column.required and values[column.field] in (None, ""):
                errors.append(RowError(number, column.header, "必填"))
        yield number, values, errors
    if not data_rows:
        raise ImportFileError("文件中没有数据行：表头下方至少需要一行数据。")


def _sheet_rows(book: Workbook) -> Iterator[tuple[int, list[Any]]]:
    """The sheet's non-empty rows; a file broken mid-way is refused as a whole."""
    try:
        for index, cells in book.rows():
            if any(cell is not None and cell != "" for cell in cells):
                yield index, cells
    except SheetError as exc:
        raise ImportFileError(exc.message) from exc
