"""The streaming .xlsx reader (流式读取) against files as Excel and xlsxwriter write them."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
import xlsxwriter

from xinzhi.spreadsheets.xlsx import Formula, SheetError, Workbook, is_date_format

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def written(write, **options) -> bytes:  # noqa: ANN001
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, **options})
    write(book, book.add_worksheet())
    book.close()
    return buffer.getvalue()


def rows(data: bytes) -> list[tuple[int, list]]:
    return list(Workbook(io.BytesIO(data)).rows())


def handmade(
    sheet_data: str, strings: str = "", date1904: bool = False, root: str | bytes = ""
) -> bytes:
    """A minimal .xlsx whose sheet XML is given, as other writers than Excel produce."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook {NS} xmlns:r="{RELS}"><workbookPr date1904="{int(date1904)}"/>'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr("xl/sharedStrings.xml", f"<sst {NS}>{strings}</sst>")
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            root
            or f'<?xml version="1.0"?><worksheet {NS}><sheetData>{sheet_data}</sheetData>'
            "<pageMargins/></worksheet>",
        )
    return buffer.getvalue()


def test_numbers_keep_the_file_s_exact_text_and_strings_are_shared_or_inline():
    def write(book, sheet):  # noqa: ANN001, ANN202
        sheet.write_row(0, 0, ["统一社会信用代码", "金额", "是否"])
        sheet.write_row(1, 0, ["91320412MA1XXXXX0A", 1234.5678, True])
        sheet.write_row(2, 0, ["乙", 12345678901234.56, False])

    for options in ({}, {"constant_memory": True}):  # shared strings; inline strings
        assert rows(written(write, **options)) == [
            (0, ["统一社会信用代码", "金额", "是否"]),
            (1, ["91320412MA1XXXXX0A", "1234.5678", True]),
            (2, ["乙", "12345678901234.56", False]),
        ]


def test_dates_are_told_from_numbers_by_the_cell_s_number_format():
    def write(book, sheet):  # noqa: ANN001, ANN202
        builtin = book.add_format({"num_format": 14})  # m/d/yyyy
        chinese = book.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
        moment = book.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        money = book.add_format({"num_format": '#,##0.00"万元"'})  # quoted text: no date
        sheet.write_datetime(0, 0, dt.datetime(2024, 3, 1), builtin)  # noqa: DTZ001
        sheet.write_datetime(0, 1, dt.datetime(2023, 12, 31), chinese)  # noqa: DTZ001
        sheet.write_datetime(0, 2, dt.datetime(2024, 3, 1, 8, 30), moment)  # noqa: DTZ001
        sheet.write_number(0, 3, 45352, money)

    assert rows(written(write)) == [
        (
            0,
            [dt.date(2024, 3, 1), dt.date(2023, 12, 31), dt.datetime(2024, 3, 1, 8, 30), "45352"],  # noqa: DTZ001
        )
    ]
    assert is_date_format("[$-804]yyyy年m月d日") and not is_date_format('0.00"d"')


def test_serial_dates_in_both_date_systems():
    from xinzhi.spreadsheets.xlsx import _date

    epoch = Workbook(io.BytesIO(handmade(""))).epoch
    # Excel's day 60 is a 29 February 1900 that never was: days before it are one off.
    assert [_date(epoch, s) for s in ("1", "59", "61", "45292")] == [
        dt.date(1900, 1, 1),
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.date(2024, 1, 1),
    ]
    epoch = Workbook(io.BytesIO(handmade("", date1904=True))).epoch
    assert _date(epoch, "43830") == dt.date(2024, 1, 1)


def test_sparse_cells_rows_without_references_rich_and_phonetic_text_and_formulas():
    data = handmade(
        '<row r="2"><c r="C2" t="s"><v>0</v></c><c r="AA2"><v>1.5</v></c></row>'
        '<row r="5" spans="1:3"/>'  # an empty row with only a height
        '<row><c><v>7</v></c><c/><c t="inlineStr"><is><r><t>富</t></r><r><t>文本</t></r>'
        "</is></c></row>"
        '<row r="9"><c r="B9" t="s"><v>1</v></c><c r="C9"><f>B9*2</f><v>14</v></c>'
        '<c r="D9" t="str"><f>"a"&amp;"b"</f><v>ab</v></c><c r="E9" t="e"><v>#N/A</v></c></row>',
        strings="<si><t>甲 &amp; 乙_x000D__x005F_x0000_</t></si>"
        '<si><r><t>常州</t></r><r><t>武进</t></r><rPh sb="0" eb="2"><t>じょう</t></rPh></si>',
    )
    assert rows(data) == [
        (1, [None, None, "甲 & 乙\r_x0000_", *[None] * 23, "1.5"]),
        (4, []),
        (5, ["7", None, "富文本"]),
        (8, [None, "常州武进", Formula("14"), Formula("ab"), "#N/A"]),
    ]


def test_a_sheet_in_a_prefixed_namespace():
    root = (
        '<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:sheetData><x:row r="1"><x:c r="A1"><x:v>3</x:v></x:c></x:row></x:sheetData>'
        "</x:worksheet>"
    )
    assert rows(handmade("", root=root)) == [(0, ["3"])]
    assert rows(handmade("", root=f"<worksheet {NS}><sheetData/></worksheet>")) == []


def test_rows_span_many_read_chunks_and_the_dimension_gives_the_row_count(monkeypatch):
    from xinzhi.spreadsheets import xlsx

    monkeypatch.setattr(xlsx, "CHUNK_BYTES", 97)  # cut rows, tags and text at odd places

    def write(book, sheet):  # noqa: ANN001, ANN202
        for r in range(300):
            sheet.write_row(r, 0, [f"企业{r}", r, r / 4])

    read = rows(written(write))
    assert len(read) == 300
    assert read[299] == (299, ["企业299", "299", "74.75"])
    assert Workbook(io.BytesIO(written(write))).dimension_rows() == 300


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda sheet: sheet.replace(b'</row><row r="3"', b'</row><row r="3"<'),
            "^文件已损坏：工作表第 3 行附近的内容无法读取。"
            "请在 Excel 中打开后另存为 .xlsx 再导入。$",
        ),
        (
            lambda sheet: sheet.replace(b"</sheetData>", b""),
            "^文件已损坏：工作表第 4 行附近的内容无法读取",
        ),
        (
            lambda sheet: sheet.replace(b"<v>0</v>", b"<v>99</v>", 1),  # no such shared string
            "^文件已损坏：工作表开头的内容无法读取",
        ),
    ],
)
def test_a_damaged_sheet_is_refused_with_where_it_broke(damage, message):
    def write(book, sheet):  # noqa: ANN001, ANN202
        for r in range(3):
            sheet.write_row(r, 0, [f"企业{r}", r])

    source, damaged = zipfile.ZipFile(io.BytesIO(written(write))), io.BytesIO()
    with zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                part = damage(part)
            target.writestr(item, part)
    with pytest.raises(SheetError, match=message):
        rows(damaged.getvalue())


def test_what_is_not_an_xlsx_workbook_is_refused():
    for data in (b"PK\x03\x04 truncated", handmade("")[:-40]):
        with pytest.raises(SheetError, match="^只支持 .xlsx 格式的 Excel 文件"):
            Workbook(io.BytesIO(data))


PLAIN_AND_ODD_ROWS = [
    # As Excel writes them: a style, shared strings, a date style, an empty styled cell.
    '<row r="1" spans="1:4" ht="20" customHeight="1"><c r="A1" s="1" t="s"><v>0</v></c>'
    '<c r="B1" s="2"><v>45352</v></c><c r="C1" s="1"/><c r="D1" t="b"><v>1</v></c></row>',
    # Sparse, out of order, an empty <v>, errors and formula text, rows without cells.
    '<row r="2"><c r="C2"><v>1.5</v></c><c r="A2" t="e"><v>#N/A</v></c><c r="B2"><v></v></c>'
    '</row><row r="4" spans="1:3"/><row r="7"></row>',
    # Whitespace between rows, as pretty-printing writers leave it.
    '\n  <row r="3"><c r="A3" t="str"><v> 带空格 </v></c></row>\n',
    # Read by expat: an entity, a row without a number, cells without references, attributes
    # in another order, inline strings, a formula, a carriage return, a lower-case reference.
    '<row r="5"><c r="A5" t="str"><v>甲&amp;乙</v></c></row>',
    '<row><c><v>7</v></c><c/><c t="n"><v>8</v></c></row>',
    '<row r="6"><c s="2" r="A6"><v>45352</v></c></row>',
    '<row r="8"><c r="A8" t="inlineStr"><is><t>内联</t></is></c></row>',
    '<row r="9"><c r="A9"><f>1+1</f><v>2</v></c></row>',
    '<row r="10"><c r="A10" t="str"><v>一\r二</v></c></row>',
]


@pytest.mark.parametrize("sheet_data", PLAIN_AND_ODD_ROWS)
def test_the_plain_form_reads_what_expat_reads(sheet_data, monkeypatch):
    """The regular expressions for the plain form give exactly expat's rows, and leave every
    other batch to expat."""
    from xinzhi.spreadsheets import xlsx

    data = handmade(sheet_data, strings="<si><t>甲</t></si>")
    styles = (
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs>'
        "</styleSheet>"
    )
    data = _with_styles(data, styles)
    parsed = []
    expat = xlsx._parsed
    monkeypatch.setattr(xlsx, "_parsed", lambda *args: parsed.append(1) or expat(*args))
    plain = rows(data)
    plain_batches = not parsed
    monkeypatch.setattr(xlsx.Workbook, "_plain_rows", lambda self, batch: None)
    assert plain == rows(data)
    assert plain_batches == (PLAIN_AND_ODD_ROWS.index(sheet_data) < 3)


def _with_styles(data: bytes, styles: str) -> bytes:
    """`data` with a styles part the workbook's relationships name."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            part = source.read(item)
            if item.filename == "xl/_rels/workbook.xml.rels":
                part = part.replace(
                    b"</Relationships>",
                    f'<Relationship Id="rId3" Type="{RELS}/styles" Target="styles.xml"/>'
                    "</Relationships>".encode(),
                )
            target.writestr(item, part)
        target.writestr("xl/styles.xml", styles)
    return out.getvalue()


def test_a_file_as_excel_writes_it_is_read_without_expat(monkeypatch):
    from xinzhi.spreadsheets import xlsx

    def write(book, sheet):  # noqa: ANN001, ANN202
        day = book.add_format({"num_format": "yyyy-mm-dd"})
        for r in range(500):
            sheet.write_row(r, 0, [f"企业{r}", r, r / 4, r % 2 == 0])
            sheet.write_datetime(r, 5, dt.datetime(2024, 1, 1) + dt.timedelta(days=r), day)  # noqa: DTZ001

    monkeypatch.setattr(xlsx, "_parsed", lambda *args: pytest.fail("expat was used"))
    read = rows(written(write))
    assert read[499] == (499, ["企业499", "499", "124.75", False, None, dt.date(2025, 5, 14)])
    assert len(read) == 500


@pytest.mark.parametrize(
    ("value", "kind"),
    [(b"\xff\xfe", b"str"), (b"7", b"s"), (b"x", b"s")],  # bad UTF-8; no such string; no index
)
def test_a_broken_plain_cell_is_refused_as_expat_refuses_it(value, kind, monkeypatch):
    sheet = (
        '<?xml version="1.0"?><worksheet ' + NS + '><sheetData><row r="1"><c r="A1"><v>1</v></c>'
        '</row><row r="2"><c r="A2" t="KIND"><v>VALUE</v></c></row></sheetData></worksheet>'
    ).encode()
    data = handmade("", root=sheet.replace(b"KIND", kind).replace(b"VALUE", value))
    with pytest.raises(SheetError, match="^文件已损坏：工作表第 2 行附近的内容无法读取"):
        rows(data)
