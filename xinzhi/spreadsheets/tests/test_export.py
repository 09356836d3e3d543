"""The streamed .xlsx writer, read back by calamine and openpyxl (two independent readers)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
from python_calamine import CalamineWorkbook

from xinzhi.spreadsheets.export import MAX_CELL_TEXT, Column, column_letter, write_workbook

COLUMNS = [
    Column("企业名称", lambda r: r[0], 30),
    Column("销售收入（万元）", lambda r: r[1], 14, "money"),
    Column("成立日期", lambda r: r[2], 12, "date"),
    Column("职工总数", lambda r: r[3], 10, "int"),
    Column("备注", lambda r: r[4], 20),
]
ROWS = [
    ("常州市武进区新质科技有限公司", Decimal("12345678.91"), dt.date(2019, 3, 1), 120, None),
    ("甲<乙>&丙 \"引号\" '单引号'", Decimal("-0.01"), None, 0, ""),
    ('=HYPERLINK("http://x")', Decimal("0.00"), dt.date(1900, 3, 1), None, True),
    ("  前后空格 ", 1.25, dt.datetime(2024, 5, 6, 7, 8), 7, False),
    ("控制\x01字符\x0b去掉\ufffe", Decimal("100"), None, None, "-1"),
]


def book() -> bytes:
    return write_workbook([("企业名录", COLUMNS, iter(ROWS))]).read()


def test_calamine_reads_back_exact_values():
    rows = CalamineWorkbook.from_filelike(io.BytesIO(book())).get_sheet_by_index(0).to_python()
    assert rows == [
        ["企业名称", "销售收入（万元）", "成立日期", "职工总数", "备注"],
        ["常州市武进区新质科技有限公司", 12345678.91, dt.date(2019, 3, 1), 120.0, ""],
        ["甲<乙>&丙 \"引号\" '单引号'", -0.01, "", 0.0, ""],
        ['\'=HYPERLINK("http://x")', 0.0, dt.date(1900, 3, 1), "", "是"],
        ["  前后空格 ", 1.25, "2024-05-06 07:08", 7.0, "否"],
        ["控制字符去掉", 100.0, "", "", "'-1"],
    ]


def test_openpyxl_reads_back_types_formats_and_layout():
    workbook = openpyxl.load_workbook(io.BytesIO(book()))
    sheet = workbook["企业名录"]
    assert [c.value for c in sheet[2]] == [
        "常州市武进区新质科技有限公司",
        12345678.91,
        dt.datetime(2019, 3, 1),  # noqa: DTZ001 - openpyxl reads dates as naive datetimes
        120,
        None,
    ]
    assert [c.value for c in sheet[3]] == ["甲<乙>&丙 \"引号\" '单引号'", -0.01, None, 0, None]
    # Money keeps its decimals as written (no float round trip in the file).
    assert Decimal(str(sheet["B2"].value)) == Decimal("12345678.91")
    assert (sheet["B2"].number_format, sheet["C2"].number_format) == ("#,##0.00", "yyyy-mm-dd")
    assert (sheet["D2"].number_format, sheet["A2"].number_format) == ("0", "General")
    assert sheet["A1"].font.b is True and sheet["A1"].fill.fgColor.rgb == "FFDCE6F1"
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 30.71
    # Formula-looking text is text: no cell of the file is a formula.
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_the_sheet_xml_holds_exact_numbers_inline_strings_and_no_illegal_characters():
    with zipfile.ZipFile(io.BytesIO(book())) as archive:
        assert archive.testzip() is None
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="B2" s="2"><v>12345678.91</v></c>' in xml
    assert '<c r="C2" s="4"><v>43525</v></c>' in xml  # 2019-03-01 as an Excel serial
    assert "<t>甲&lt;乙&gt;&amp;丙" in xml
    assert '<t xml:space="preserve">  前后空格 </t>' in xml
    assert "\x01" not in xml and "\x0b" not in xml and "\ufffe" not in xml
    assert 'r="E2"' not in xml and 'r="E3"' not in xml  # None and "" stay empty cells


def test_long_text_is_cut_to_excels_cell_limit_and_odd_numbers_become_text():
    rows = [("字" * (MAX_CELL_TEXT + 10), Decimal("NaN"), None, float("inf"), None)]
    data = write_workbook([("x", COLUMNS, rows)]).read()
    values = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert len(values[1][0]) == MAX_CELL_TEXT
    assert (values[1][1], values[1][3]) == ("NaN", "inf")


def test_sheet_names_are_made_valid_and_unique_and_every_sheet_streams():
    sheets = [
        ("2025年度科技计划项目:申报/评分[汇总]明细表格第一部分甲乙", COLUMNS, iter(ROWS[:1])),
        ("2025年度科技计划项目:申报/评分[汇总]明细表格第一部分甲丙", COLUMNS, iter(())),
    ]
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(write_workbook(sheets).read()))
    first, second = workbook.sheet_names
    # 32 characters each: cut to 31, which makes them equal, so the second gets a number.
    assert first == "2025年度科技计划项目_申报_评分_汇总_明细表格第一部分甲"
    assert second == "2025年度科技计划项目_申报_评分_汇总_明细表格第一部_2"
    assert len(first) == len(second) == 31
    assert workbook.get_sheet_by_index(0).to_python()[1][0] == "常州市武进区新质科技有限公司"
    assert workbook.get_sheet_by_index(1).to_python() == [
        ["企业名称", "销售收入（万元）", "成立日期", "职工总数", "备注"]
    ]


def test_many_rows_come_back_in_order():
    rows = ((f"企业{i}", Decimal(i) / 100, None, i, None) for i in range(25_000))
    data = write_workbook([("x", COLUMNS, rows)]).read()
    values = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert len(values) == 25_001
    assert values[24_999] == ["企业24998", 249.98, "", 24998.0, ""]


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]
