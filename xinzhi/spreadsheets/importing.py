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
from typing import Any

from python_calamine import CalamineWorkbook

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


def _check_container(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"文件过大（{len(data) // 1024 // 1024} MB），上限 20 MB。")
    if not data.startswith(b"PK"):
        raise ImportFileError(
            "只支持 .xlsx 格式的 Excel 文件，请在 Excel 中另存为 .xlsx 后再导入。"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise ImportFileError("文件解压后过大，疑似异常文件，已拒绝。")
    except zipfile.BadZipFile as exc:
        raise ImportFileError("文件已损坏或不是 Excel 文件。") from exc


def read_rows(
    data: bytes, columns: list[ImportColumn]
) -> Iterator[tuple[int, dict[str, Any], list[RowError]]]:
    """Yield (row number, parsed values, errors) for every non-empty row of the first sheet."""
    _check_container(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
    except Exception as exc:  # noqa: BLE001 - calamine raises several error types
        raise ImportFileError("无法读取该 Excel 文件，请确认文件未加密且格式正确。") from exc
    rows = sheet.iter_rows()
    header = next(rows, None)
    if header is None:
        raise ImportFileError("文件是空的：第一行应为表头。")
    names = [parse_text(cell) for cell in header]
    by_header = {c.header: c for c in columns}
    unknown = [n for n in names if n and n not in by_header]
    if unknown:
        raise ImportFileError(f"无法识别的列：{'、'.join(unknown)}。请使用导入模板的表头。")
    missing = [c.header for c in columns if c.required and c.header not in names]
    if missing:
        raise ImportFileError(f"缺少必填列：{'、'.join(missing)}。")
    positions = [(i, by_header[n]) for i, n in enumerate(names) if n]
    for number, cells in enumerate(rows, start=2):
        if all(cell in (None, "") for cell in cells):
            continue
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for index, column in positions:
            raw = cells[index] if index < len(cells) else None
            if isinstance(raw, str) and "\x00" in raw:
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
