"""The enterprise export's rows: figures, current titles and tags attached per chunk."""

from __future__ import annotations

import datetime as dt
import io

from python_calamine import CalamineWorkbook

from xinzhi.enterprises import selectors
from xinzhi.enterprises.models import Tag, TitleHeld


def test_each_row_carries_its_own_figures_titles_and_tags_across_chunks(
    monkeypatch, login, users, make_enterprise
):
    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 2)  # 5 firms: chunks of 2, 2 and 1
    ev, ai = Tag.objects.create(name="新能源汽车"), Tag.objects.create(name="人工智能")
    firms = []
    for i in range(5):
        firm = make_enterprise(f"常州导出{i}有限公司", "gxq", revenue=1000 + i, year=2025)
        firms.append(firm)
    firms[0].tags.set([ev, ai])
    firms[3].tags.set([ev])
    today = dt.date.today()
    TitleHeld.objects.unscoped().create(enterprise=firms[0], title="hnte")
    TitleHeld.objects.unscoped().create(
        enterprise=firms[0], title="tech_sme", valid_until=today + dt.timedelta(days=30)
    )
    TitleHeld.objects.unscoped().create(
        enterprise=firms[1], title="hnte", valid_until=today - dt.timedelta(days=1)
    )
    TitleHeld.objects.unscoped().create(
        enterprise=firms[4], title="other", name="江苏省民营科技企业"
    )
    make_enterprise("常州西太湖导出有限公司", "xth", revenue=9, year=2025)
    response = login(users["gxq"]).get("/enterprises/export.xlsx", {"year": "2025"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    header = rows[0]
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert sorted(by_name) == [f"常州导出{i}有限公司" for i in range(5)]
    first = by_name["常州导出0有限公司"]
    assert first["产业链标签"] == "人工智能、新能源汽车"
    assert first["现有资质"] == "高新技术企业、科技型中小企业"
    assert (first["2025年职工总数"], first["2025年销售收入（万元）"]) == (100.0, 1000.0)
    assert first["2025年研发费用（万元）"] == 50.0
    assert by_name["常州导出1有限公司"]["现有资质"] == ""  # expired
    assert by_name["常州导出3有限公司"]["产业链标签"] == "新能源汽车"
    assert by_name["常州导出4有限公司"]["现有资质"] == "江苏省民营科技企业"
    assert [by_name[f"常州导出{i}有限公司"]["2025年销售收入（万元）"] for i in range(5)] == [
        1000.0,
        1001.0,
        1002.0,
        1003.0,
        1004.0,
    ]
    # The year without figures leaves the figure cells empty.
    response = login(users["gxq"]).get("/enterprises/export.xlsx", {"year": "2024"})
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert [r[9:12] for r in rows[1:]] == [["", "", ""]] * 5
