"""Streaming reader of an .xlsx file's first sheet (流式读取 Excel 工作表).

An .xlsx is a zip of XML parts. The sheet part is parsed as a stream (`XMLPullParser`), one
row at a time, each row dropped once read, so memory does not grow with the number of rows.
What the rows refer to is loaded first: the shared strings (the file's distinct texts, kept
UTF-8 encoded in one buffer), the cell styles' number formats (to tell a date from a number)
and the workbook's date system. python-calamine and openpyxl's non-read-only mode load the
whole sheet first; openpyxl's read-only mode streams but costs several times more per cell.

Cell values: None (empty), str (text; numbers as the file's own decimal text, so amounts
stay exact for `Decimal`), bool, `datetime.date` / `datetime.datetime` (a number in a date
format), `Formula` (a cell computed by a formula: its cached value is not trusted).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET  # noqa: S405 - expat refuses entity expansion bombs; no DTDs
import zlib
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any
from zipfile import BadZipFile, ZipFile

NOT_XLSX = "只支持 .xlsx 格式的 Excel 文件，请在 Excel 中另存为 .xlsx 后再导入。"
CHUNK_BYTES = 64 * 1024

# Built-in number formats that show a date or time (ECMA-376 §18.8.30, with the East Asian
# ids 27–36 and 50–58 Excel uses for "yyyy年m月d日" and the like).
BUILTIN_DATE_FORMATS = frozenset([*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)])
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')
_DATE_CODES = re.compile(r"[ymdhsYMDHSe]|[上下]午|AM/PM|A/P", re.IGNORECASE)


class SheetError(Exception):
    """The file is not a readable .xlsx; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Formula:
    """A cell holding a formula; `cached` is the value Excel last computed (not trusted)."""

    cached: str | None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


def is_date_format(code: str) -> bool:
    """Whether a custom number format shows a date or time (ignoring quoted text and colors)."""
    return bool(_DATE_CODES.search(_QUOTED.sub("", code.split(";", 1)[0])))


def column_index(letters: str) -> int:
    """0-based column of Excel letters: A → 0, AA → 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


class SharedStrings:
    """The shared strings table, UTF-8 in one buffer: about 1/3 of a list of str."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.offsets = array("Q", [0])

    def append(self, text: str) -> None:
        self.buffer += text.encode()
        self.offsets.append(len(self.buffer))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        return self.buffer[self.offsets[index] : self.offsets[index + 1]].decode()


class Workbook:
    """An .xlsx opened for streaming its first sheet; raises `SheetError` on anything else."""

    def __init__(self, file: IO[bytes]) -> None:
        try:
            self.archive = ZipFile(file)
            self._read_workbook()
        except (BadZipFile, KeyError, StopIteration, ET.ParseError, zlib.error, EOFError) as exc:
            raise SheetError(NOT_XLSX) from exc

    def _read_workbook(self) -> None:
        workbook_path = next(
            path
            for kind, path in self._relationships("").values()
            if kind.endswith("/officeDocument")
        )
        root = ET.fromstring(self.archive.read(workbook_path))  # noqa: S314
        sheet = next(e for e in root.iter() if _local(e.tag) == "sheet")
        properties = next((e for e in root.iter() if _local(e.tag) == "workbookPr"), None)
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        # A cell's date is a wall-clock value with no time zone, as Excel shows it.
        self.epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)  # noqa: DTZ001
        rel_id = next(v for k, v in sheet.attrib.items() if _local(k) == "id")
        parts = self._relationships(workbook_path)
        self.sheet_path = parts[rel_id][1]
        if self.sheet_path not in self.archive.NameToInfo:
            raise KeyError(self.sheet_path)
        targets = {kind.rsplit("/", 1)[-1]: path for kind, path in parts.values()}
        self.strings = self._shared_strings(targets.get("sharedStrings"))
        self.date_styles = self._date_styles(targets.get("styles"))
        self.date_style_names = frozenset(str(i) for i in self.date_styles)  # a cell's s="…"
        self.plain_date_styles = frozenset(str(i).encode() for i in self.date_styles)
        self.columns: dict[str, int] = {}  # "AB" → 27: letters seen, converted once
        self.plain_columns: dict[bytes, int] = {}
        self.row_tag = ""
        self.plain_form = False
        self.opening = self.closing = self.row_end = b""

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """A part's relationships: id → (type, target part path), per the OPC naming rules."""
        folder, name = posixpath.split(part)
        root = ET.fromstring(self.archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))  # noqa: S314
        found = {}
        for rel in root.iter():
            if _local(rel.tag) == "Relationship":
                target = rel.get("Target", "")
                path = (
                    target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
                )
                found[rel.get("Id", "")] = (rel.get("Type", ""), posixpath.normpath(path))
        return found

    def _shared_strings(self, path: str | None) -> SharedStrings:
        strings = SharedStrings()
        if not path or path not in self.archive.NameToInfo:
            return strings
        root = None
        with self.archive.open(path) as part:
            for event, element in ET.iterparse(part, events=("start", "end")):  # noqa: S314
                if root is None:
                    root = element
                elif event == "end" and _local(element.tag) == "si":
                    strings.append(_text(element))
                    root.clear()  # the <si> just read, so the tree never holds them all
        return strings

    def _date_styles(self, path: str | None) -> frozenset[int]:
        """Indexes of the cell styles (the `s` of a cell) whose number format is a date."""
        if not path or path not in self.archive.NameToInfo:
            return frozenset()
        root = ET.fromstring(self.archive.read(path))  # noqa: S314
        custom = {
            int(e.get("numFmtId", "-1")): e.get("formatCode", "")
            for e in root.iter()
            if _local(e.tag) == "numFmt"
        }
        dates = set()
        for element in root:
            if _local(element.tag) != "cellXfs":
                continue
            for index, xf in enumerate(element):
                number_format = int(xf.get("numFmtId", "0"))
                if number_format in custom:
                    if is_date_format(custom[number_format]):
                        dates.add(index)
                elif number_format in BUILTIN_DATE_FORMATS:
                    dates.add(index)
        return frozenset(dates)

    def dimension_rows(self) -> int | None:
        """Rows the sheet's <dimension ref="A1:L60001"> spans (None if absent), read from the
        part's first kilobytes only: a cheap total for a progress bar."""
        try:
            with self.archive.open(self.sheet_path) as part:
                head = part.read(4096)
        except (BadZipFile, zlib.error, EOFError):
            return None
        match = re.search(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*(\d*)(?::[A-Z]*(\d+))?"', head)
        if not match or not match[1]:
            return None
        return int(match[2] or match[1]) - int(match[1]) + 1

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(0-based row index, cells from column A) for each row in the sheet, in file order.

        The rows between <sheetData> and </sheetData> are cut into batches of whole rows at a
        row's closing tag (text cannot contain "<", so the tag is never data). A batch in the
        plain form Excel, WPS and xlsxwriter write is read by two regular expressions
        (`_plain_rows`); any other batch is parsed by expat inside the sheet's own root tag
        (its namespace declarations), its tree built in C and dropped once its rows are read.
        An event per element (`iterparse`) cost three times as much as expat, expat twice as
        much as the expressions.
        """
        row_index = -1
        try:
            with self.archive.open(self.sheet_path) as part:
                for batch in self._row_batches(part):
                    plain = self._plain_rows(batch) if self.plain_form else None
                    if plain is not None:
                        for row_index, cells in plain:
                            yield row_index, cells
                        continue
                    for rows in _parsed(self.opening, batch, self.closing, self.row_end):
                        for row in rows:
                            row_index, cells = self._row(row, row_index)
                            yield row_index, cells
        except (
            ET.ParseError, BadZipFile, zlib.error, EOFError, ValueError, IndexError, OverflowError
        ) as exc:  # fmt: skip
            where = f"第 {row_index + 2} 行附近" if row_index >= 0 else "开头"
            raise SheetError(
                f"文件已损坏：工作表{where}的内容无法读取。请在 Excel 中打开后另存为 .xlsx 再导入。"
            ) from exc

    def _row_batches(self, part: IO[bytes]) -> Iterator[bytes]:
        """Batches of whole rows, as the sheet's bytes; sets the tags `_parsed` wraps them in."""
        head = b""
        while not (start := _SHEET_DATA.search(head)):
            chunk = part.read(CHUNK_BYTES)
            if not chunk or len(head) > MAX_HEAD_BYTES:
                raise ValueError("no <sheetData>")
            head += chunk
        root = _ROOT_TAG.search(head)
        if not root or root.start() > start.start():
            raise ValueError("no root element")
        if start[2]:  # <sheetData/>: no rows
            return
        prefix = start[1] or b""
        self.row_tag = f"{_namespace_of(root[0], prefix)}row"
        self.plain_form = not prefix
        self.opening, self.closing = root[0], b"</" + root[1] + b">"
        self.row_end = row_end = b"</" + prefix + b"row>"
        data_end = b"</" + prefix + b"sheetData>"
        buffer = head[start.end() :]
        while True:
            cut = buffer.rfind(row_end)
            if cut >= 0:
                cut += len(row_end)
                yield buffer[:cut]
                buffer = buffer[cut:]
            chunk = part.read(CHUNK_BYTES)
            if not chunk:
                break
            buffer += chunk
        end = buffer.find(data_end)
        if end < 0:
            raise ValueError("no </sheetData>")
        yield buffer[:end]  # rows like <row r="9"/>

    def _plain_rows(self, batch: bytes) -> list[tuple[int, list[Any]]] | None:
        """The batch's rows when every byte of it is in the plain form `_PLAIN_ROW` matches
        (rows with a number first, cells with r, s and t in that order and at most a <v>
        without entities); None otherwise, and for anything odd inside, so expat reads the
        batch and reports what is wrong where it did before."""
        rows: list[tuple[int, list[Any]]] = []
        position, end = 0, len(batch)
        columns, strings, date_styles = self.plain_columns, self.strings, self.plain_date_styles
        try:
            for row in _PLAIN_ROW.finditer(batch):
                if row.start() != position:
                    return None
                position = row.end()
                index = int(row[1]) - 1
                cells: list[Any] = []
                text = row[2]
                if not text:
                    rows.append((index, cells))
                    continue
                found = _PLAIN_CELL.findall(text)
                if len(found) != text.count(b"<c"):
                    return None
                width = 0
                column = -1
                for letters, style, kind, raw in found:
                    if letters:
                        column = columns.get(letters, -1)
                        if column < 0:
                            column = columns[letters] = column_index(letters.decode())
                    else:
                        column += 1
                    if not raw:
                        continue  # no <v>, or an empty one: ElementTree reads None
                    if not kind or kind == b"n":
                        value: Any = raw.decode()
                        if style and style in date_styles:
                            value = _date(self.epoch, value)
                    elif kind == b"s":
                        value = strings[int(raw)]
                    elif kind == b"b":
                        value = raw == b"1"
                    else:  # str, e (#N/A…), d (ISO date)
                        value = raw.decode()
                    if column == width:  # the usual case: cells in order, none skipped
                        cells.append(value)
                        width += 1
                    else:
                        width = _place(cells, width, column, value)
                rows.append((index, cells))
        except (ValueError, IndexError, OverflowError):
            return None
        if position != end and batch[position:].strip():
            return None
        return rows

    def _row(self, row: ET.Element, previous: int) -> tuple[int, list[Any]]:
        if row.tag != self.row_tag:
            raise ValueError(f"unexpected {row.tag} in <sheetData>")
        ns = self.row_tag[:-3]
        value_tag, formula_tag, inline_tag = f"{ns}v", f"{ns}f", f"{ns}is"
        columns, strings, date_styles = self.columns, self.strings, self.date_style_names
        number = row.get("r")
        index = int(number) - 1 if number else previous + 1
        cells: list[Any] = []
        width = 0
        column = -1
        for cell in row:
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column = columns.get(letters, -1)
                if column < 0:
                    column = columns[letters] = column_index(letters)
            else:
                column += 1
            raw = formula = None
            for child in cell:
                tag = child.tag
                if tag == value_tag:
                    raw = child.text
                elif tag == formula_tag:
                    formula = True
                elif tag == inline_tag:
                    raw = _text(child)
            if raw is None and not formula:
                continue
            kind = cell.get("t")
            if kind is None or kind == "n":
                value: Any = raw
                if date_styles and raw is not None and cell.get("s") in date_styles:
                    value = _date(self.epoch, raw)
            elif kind == "s":
                value = strings[int(raw)] if raw is not None else None
            elif kind == "b":
                value = raw == "1" if raw is not None else None
            else:  # str (a formula's text), inlineStr, e (#N/A…), d (ISO date)
                value = raw
            if formula:
                value = Formula(None if value is None else str(value))
            if column == width:  # the usual case: cells in order, none skipped
                cells.append(value)
                width += 1
            else:
                width = _place(cells, width, column, value)
        return index, cells


def _place(cells: list[Any], width: int, column: int, value: Any) -> int:
    """Put a cell that does not follow the last one: after empty columns, or out of order
    (not written by Excel, but valid enough). Returns the row's new width."""
    if column > width:
        cells.extend([None] * (column - width))
        cells.append(value)
        return column + 1
    cells[column] = value
    return width


MAX_HEAD_BYTES = 16 * 1024 * 1024  # what may come before <sheetData> (columns, views)
_SHEET_DATA = re.compile(rb"<([\w.-]+:)?sheetData\b[^>]*?(/?)>")
_ROOT_TAG = re.compile(rb"<((?:[\w.-]+:)?worksheet)\b[^>]*>")
# The plain form of a row (see `Workbook._plain_rows`). Each part starts with its own literal,
# so a row matches in one way only and `_PLAIN_CELL` finds exactly the cells `_PLAIN_ROW` did.
# A <v> holds no "&" (entities), "]" ("]]>" is not allowed), "\r" (read as "\n") or control
# characters XML refuses: those batches are left to expat.
_CELL_FORM = (
    rb'<c(?: r="([A-Z]{1,3})[0-9]+")?(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?'
    rb"(?:/>|>(?:<v>([^<&\]\x00-\x08\x0b\x0c\x0d\x0e-\x1f]*)</v>)?</c>)"
)
_PLAIN_CELL = re.compile(_CELL_FORM)
_PLAIN_ROW = re.compile(
    rb'\s*<row r="([0-9]+)"(?: [\w:.-]+="[^"<>&]*")*(?:/>|>((?:'
    + re.sub(rb"\((?!\?)", b"(?:", _CELL_FORM)
    + rb")*)</row>)"
)
_XMLNS = re.compile(rb"""\bxmlns(?::([\w.-]+))?\s*=\s*["']([^"']*)["']""")


def _parsed(opening: bytes, batch: bytes, closing: bytes, row_end: bytes) -> Iterator[Any]:
    """The batch's rows; when it does not parse, its rows one by one up to the broken one, so
    the error names where the file broke."""
    try:
        yield ET.fromstring(opening + batch + closing)  # noqa: S314
    except ET.ParseError:
        pieces = batch.split(row_end)
        for piece in pieces[:-1]:
            yield ET.fromstring(opening + piece + row_end + closing)  # noqa: S314
        yield ET.fromstring(opening + pieces[-1] + closing)  # noqa: S314
        raise


def _namespace_of(root_tag: bytes, prefix: bytes) -> str:
    """The namespace URI (in ElementTree's "{uri}" form) a tag prefix stands for."""
    wanted = prefix[:-1] or None
    for match in _XMLNS.finditer(root_tag):
        if match[1] == wanted:
            return "{" + match[2].decode() + "}"
    return ""


def _text(element: ET.Element) -> str:
    """The text of a shared or inline string: its <t>, or its rich-text runs' <t>s (not the
    phonetic guides <rPh>)."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    text = "".join(parts)
    # Characters XML cannot hold are written "_xHHHH_" (and a literal "_x" as "_x005F_x").
    return _ESCAPED.sub(lambda m: chr(int(m[1], 16)), text) if "_x" in text else text


_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _date(epoch: dt.datetime, raw: str) -> dt.date | dt.datetime:
    serial = float(raw)
    if epoch.year == 1899 and serial < 60:
        serial += 1  # Excel counts a 29 February 1900 that never was; dates before it shift
    moment = epoch + dt.timedelta(days=serial)
    moment = moment.replace(microsecond=0) + dt.timedelta(seconds=round(moment.microsecond / 1e6))
    return moment.date() if moment.time() == dt.time() else moment
