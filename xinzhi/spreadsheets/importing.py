"""Excel import shared by every list: read, validate every row, then commit all or nothing.

A list defines its columns (Chinese header → field, parser); `read_rows` checks the file and the
header row, each row is parsed into a dict or a list of `RowError`s, and the caller commits only
when no row failed. A dry run stops after validation.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import xml.etree.ElementTree as ET  # noqa: S405 - expat refuses entity expansion bombs; no DTDs
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

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


def _check_container(data: bytes) -> set[tuple[int, int]]:
    """Refuse what is not a sane .xlsx; return the first sheet's formula cells (0-based)."""
    _check_size(len(data))
    if not data.startswith(b"PK"):
        raise ImportFileError(
            "只支持 .xlsx 格式的 Excel 文件，请在 Excel 中另存为 .xlsx 后再导入。"
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise ImportFileError("文件解压后过大，疑似异常文件，已拒绝。")
            return _formula_cells(archive)
    except zipfile.BadZipFile as exc:
        raise ImportFileError("文件已损坏或不是 Excel 文件。") from exc


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_FORMULA_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\b([^>]*)>\s*<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
_CELL_R = re.compile(rb"""\br\s*=\s*["']([A-Z]+)(\d+)["']""")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type, target part path), per the OPC naming rules."""
    folder, name = posixpath.split(part)
    root = ET.fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))  # noqa: S314
    found = {}
    for rel in root.iter():
        if _local(rel.tag) == "Relationship":
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            found[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(path))
    return found


def _first_sheet_path(archive: zipfile.ZipFile) -> str:
    """The part of the workbook's first sheet, the one calamine reads by index 0.

    A zip without an Excel workbook (an .ods, a .docx) is refused here: only .xlsx is checked
    for formulas, so only .xlsx is read.
    """
    try:
        workbook_path = next(
            path
            for kind, path in _relationships(archive, "").values()
            if kind.endswith("/officeDocument")
        )
        workbook = ET.fromstring(archive.read(workbook_path))  # noqa: S314
        sheet = next(e for e in workbook.iter() if _local(e.tag) == "sheet")
        rel_id = next(v for k, v in sheet.attrib.items() if _local(k) == "id")
        return _relationships(archive, workbook_path)[rel_id][1]
    except (KeyError, StopIteration, ET.ParseError) as exc:
        raise ImportFileError(
            "只支持 .xlsx 格式的 Excel 文件，请在 Excel 中另存为 .xlsx 后再导入。"
        ) from exc


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def cell_name(row: int, column: int) -> str:
    """Excel's name of a 0-based cell: (4, 4) → E5."""
    letters, column = "", column + 1
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def _formula_cells(archive: zipfile.ZipFile) -> set[tuple[int, int]]:
    """Cells holding a formula (<c><f>…</f><v>cached</v></c>): calamine returns only the cached
    value, which may be stale or computed from cells the import does not read."""
    path = _first_sheet_path(archive)
    if path not in archive.namelist():
        raise ImportFileError("文件已损坏或不是 Excel 文件。")
    with archive.open(path) as part:  # cheap scan first: most files hold no formula at all
        tail, has_formula = b"", False
        while chunk := part.read(1 << 20):
            if _FORMULA_TAG.search(tail + chunk):
                has_formula = True
                break
            tail = chunk[-64:]
    if not has_formula:
        return set()
    with archive.open(path) as part:
        xml = part.read()
    # Per the schema <f> is a cell's first child, so a formula cell starts "<c …><f". Writers
    # give every cell its reference (r="E5"); a file whose cells lack it is parsed instead.
    found = [_CELL_R.search(match[1]) for match in _FORMULA_CELL.finditer(xml)]
    if all(found):
        return {(int(m[2]) - 1, _column_index(m[1].decode())) for m in found if m}
    return _formula_cells_parsed(xml)


def _formula_cells_parsed(xml: bytes) -> set[tuple[int, int]]:
    cells: set[tuple[int, int]] = set()
    names: dict[str, str] = {}  # tag → local name, so each distinct tag is split once
    row = -1
    try:
        # Only rows are looked at, once each, when complete: a cell's formula is a child <f>.
        for _event, element in ET.iterparse(io.BytesIO(xml)):  # noqa: S314
            tag = element.tag
            if (names.get(tag) or names.setdefault(tag, _local(tag))) != "row":
                continue
            number = element.get("r")
            row, column = (int(number) - 1 if number else row + 1), -1
            for cell in element:
                match = _CELL_REF.fullmatch(cell.get("r", ""))
                column = _column_index(match[1]) if match else column + 1
                if any(_local(child.tag) == "f" for child in cell):
                    cells.add((row, column))
            element.clear()
    except ET.ParseError as exc:
        raise ImportFileError("文件已损坏或不是 Excel 文件。") from exc
    return cells


def read_rows(
    data: bytes, columns: list[ImportColumn]
) -> Iterator[tuple[int, dict[str, Any], list[RowError]]]:
    """Yield (row number, parsed values, errors) for every non-empty row of the first sheet.

    Rows are converted one at a time as they are consumed (calamine's `iter_rows`).
    """
    formulas = _check_container(data)
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
    # calamine's rows start at the sheet's first row but its columns at the first used column.
    first_column = sheet.start[1] if sheet.start else 0
    data_rows = 0
    for number, cells in enumerate(rows, start=2):
        if all(cell in (None, "") for cell in cells):
            continue
        data_rows += 1
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        for index, column in positions:
            raw = cells[index] if index < len(cells) else None
            if (number - 1, first_column + index) in formulas:
                name = cell_name(number - 1, first_column + index)
                errors.append(
                    RowError(
                        number,
                        column.header,
                        f"{name} 是公式单元格，请复制后“选择性粘贴为数值”再导入",
                    )
                )
                continue
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
    if not data_rows:
        raise ImportFileError("文件中没有数据行：表头下方至少需要一行数据。")
