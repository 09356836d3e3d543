"""The report workbook and the briefing document, on constructed figures (no database)."""

import datetime as dt
import io

from docx import Document
from python_calamine import CalamineWorkbook

from xinzhi.briefings.exports import borough_ranks, briefing_document, report_workbook
from xinzhi.briefings.tests.figures import BULLETIN, figure, seed_figures

UNITS = [(None, "全区"), (11, "武进国家高新区"), (12, "西太湖科技产业园")]


def _figures():
    district = seed_figures()[4:6]  # 招引科技型中小微企业 (ranked, targets), 科技项目认定
    gxq = [
        figure(
            "attracted_tsme", "招引科技型中小微企业数", "120", district="100", jurisdiction_id=11
        ),
        figure("project_recognitions", "科技项目认定数", "40", unit="个", jurisdiction_id=11),
    ]
    xth = [
        figure(
            "attracted_tsme", "招引科技型中小微企业数", "150", district="100", jurisdiction_id=12
        ),
        figure("project_recognitions", "科技项目认定数", "40", unit="个", jurisdiction_id=12),
    ]
    talents = figure("talents_attracted", "引进各类人才数", "3.66", unit="万人", source="manual")
    return [*district, talents, *gxq, *xth]


def _sheet(data: bytes):
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    sheet = book.get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges


def test_the_workbook_has_the_bureau_layout():
    data = report_workbook(
        title="武进区科技创新主要指标完成情况表（2024年1—9月）", units=UNITS, figures=_figures()
    )
    rows, merged = _sheet(data)
    assert rows[0][0] == "武进区科技创新主要指标完成情况表（2024年1—9月）"
    assert rows[1][:4] == ["序号", "指标", "单位", "全区"]
    assert rows[1][9] == "武进国家高新区" and rows[1][15] == "西太湖科技产业园"
    assert rows[2][3:9] == ["实际", "区目标", "市目标", "完成进度", "序时进度", "排名"]
    # title across all 21 columns, the group headers over their six columns
    assert ((0, 0), (0, 20)) in merged
    assert ((1, 3), (1, 8)) in merged and ((1, 9), (1, 14)) in merged
    assert ((1, 0), (2, 0)) in merged
    district = rows[3]
    assert district[:9] == [
        1,
        "招引科技型中小微企业数",
        "家",
        372,
        300,
        240,
        1.24,
        0.75,
        "全市第一",
    ]
    # 板块: 西太湖 150 ahead of 高新区 120; equal 科技项目认定 share first place
    assert rows[3][9:15] == [120, 100, "—", 1.2, 0.75, 2]
    assert rows[3][15:21] == [150, 100, "—", 1.5, 0.75, 1]
    assert rows[4][14] == 1 and rows[4][20] == 1
    assert rows[4][3:9] == [203, "—", "—", "—", 0.75, "—"]
    assert rows[5][1] == "引进各类人才数※"
    assert rows[5][3] == 3.66
    notes = [r[0] for r in rows[7:] if r[0]]
    assert notes[0].startswith("注：完成进度 = 实际 ÷ 区目标")
    assert "引进各类人才数：手工填报，常州市科技局通报" in notes
    assert "科技项目认定数：系统计算，按申报记录统计" in notes
    assert f"全市排名来源：{BULLETIN}" in notes


def test_borough_ranks_leave_the_district_and_a_lone_borough_unranked():
    figures = _figures()
    assert borough_ranks(figures)[("attracted_tsme", 12)] == 1
    assert ("attracted_tsme", None) not in borough_ranks(figures)
    assert borough_ranks(figures[:3] + figures[3:5]) == {}


def test_the_document_holds_the_stored_text():
    data = briefing_document(
        title="武进区科技局 科技工作月报",
        issue="2024年第9期",
        compiled_by="武进区科技局",
        issued_on=dt.date(2024, 10, 8),
        paragraphs=[
            {"heading": "一、科技创新主要指标", "text": "1—9月，全区申报高企757家，全市第一。"}
        ],
    )
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert texts == [
        "武进区科技局 科技工作月报",
        "2024年第9期",
        "编制单位：武进区科技局\u3000\u3000\u3000\u30002024年10月8日",
        "一、科技创新主要指标",
        "1—9月，全区申报高企757家，全市第一。",
    ]


def test_the_document_leaves_out_what_xml_cannot_hold():
    data = briefing_document(
        title="月报\x0b",
        issue="",
        compiled_by="武进区科技局",
        issued_on=dt.date(2024, 10, 8),
        paragraphs=[{"heading": "一、\x01指标", "text": "全区\x00申报高企757家。"}],
    )
    texts = [p.text for p in Document(io.BytesIO(data)).paragraphs]
    assert texts[0] == "月报" and texts[-2:] == ["一、指标", "全区申报高企757家。"]
