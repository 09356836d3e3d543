"""The enterprise export's rows: figures, current titles and tags attached per chunk."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db.models import Q
from python_calamine import CalamineWorkbook

from xinzhi.enterprises import selectors
from xinzhi.enterprises.choices import TitleType
from xinzhi.enterprises.models import AnnualFigures, Tag, TitleHeld


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


def _sheet_xml(book) -> bytes:  # noqa: ANN001
    import zipfile

    with zipfile.ZipFile(book) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def _instance_columns(year: int) -> list:
    """The export's columns as they were over model instances (before the rows were tuples):
    the oracle the tuple rows must match cell for cell."""
    from xinzhi.spreadsheets.export import Column

    today = dt.date.today()

    def figures(e, name):  # noqa: ANN001, ANN202
        row = AnnualFigures.all_objects.filter(enterprise=e, year=year).first()
        return getattr(row, name) if row else None

    def titles(e) -> str:  # noqa: ANN001
        held = (
            TitleHeld.all_objects.filter(enterprise=e)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .order_by("title", "id")
        )
        labels = dict(TitleType.choices)
        return "、".join(t.name or labels.get(t.title, t.title) for t in held)

    return [
        Column("统一社会信用代码", lambda e: e.credit_code, 22),
        Column("企业名称", lambda e: e.name, 36),
        Column("所属板块", lambda e: e.jurisdiction.label, 18),
        Column("成立日期", lambda e: e.registered_on, 12, "date"),
        Column("所属行业", lambda e: e.industry, 16),
        Column("技术领域", lambda e: e.hightech_field, 16),
        Column("企业规模", lambda e: e.get_scale_display(), 8),
        Column("产业链标签", lambda e: "、".join(t.name for t in e.tags.order_by("name")), 24),
        Column("现有资质", titles, 30),
        Column(f"{year}年职工总数", lambda e: figures(e, "employees"), 10, "int"),
        Column(f"{year}年销售收入（万元）", lambda e: figures(e, "revenue"), 14, "money"),
        Column(f"{year}年研发费用（万元）", lambda e: figures(e, "rd_expense"), 14, "money"),
        Column("法定代表人", lambda e: e.legal_representative, 10),
        Column("联系人", lambda e: e.contact_name, 10),
        Column("联系电话", lambda e: e.contact_phone, 14),
        Column("注册地址", lambda e: e.address, 30),
        Column("示例数据", lambda e: "示例数据" if e.is_demo else "", 10),
    ]


def test_export_tuples_write_the_same_sheet_as_model_instances(monkeypatch, users, make_enterprise):
    """Rows read as plain values (values_list) give the very cells the model instances gave:
    same columns, same values, same order, byte for byte in the sheet XML."""
    from django.http import QueryDict

    from xinzhi.enterprises.exports import enterprise_columns
    from xinzhi.spreadsheets.export import write_workbook

    monkeypatch.setattr(selectors, "EXPORT_CHUNK", 3)  # 7 firms: chunks of 3, 3 and 1
    ev, ai = Tag.objects.create(name="新能源汽车"), Tag.objects.create(name="人工智能")
    today = dt.date.today()
    firms = [
        make_enterprise(
            "常州甲<&>科技有限公司",
            "gxq",  # has a short name
            revenue="1234.6",
            scale="small",
            industry="软件和信息技术服务业",
            hightech_field="电子信息",
            legal_representative="张三",
            contact_name="李四",
            contact_phone="0519-86001234",
            address="  武进区常武中路18号 ",
        ),
        make_enterprise("=HYPERLINK(1)公司", "xth", revenue="0.01", scale="", registered_on=None),
        make_enterprise("常州丙示例有限公司", "htz", is_demo=True, scale="micro"),
        make_enterprise("常州丁有限公司", "gxq", revenue="99999999.99", year=2024),
        *(make_enterprise(f"常州戊{i}有限公司", "xth", revenue=str(10 * i)) for i in range(3)),
    ]
    firms[0].tags.set([ev, ai])
    firms[4].tags.set([ai])
    TitleHeld.objects.unscoped().create(enterprise=firms[0], title="hnte")
    TitleHeld.objects.unscoped().create(
        enterprise=firms[0], title="tech_sme", valid_until=today + dt.timedelta(days=1)
    )
    TitleHeld.objects.unscoped().create(
        enterprise=firms[2], title="hnte", valid_until=today - dt.timedelta(days=1)
    )
    TitleHeld.objects.unscoped().create(enterprise=firms[5], title="other", name="省民营科技企业")
    queryset, year = selectors.enterprise_list(user=users["admin"], params=QueryDict("year=2025"))
    rows = list(selectors.enterprise_export_rows(queryset, year))
    assert len(rows) == 7
    assert all(type(row) is tuple and len(row) == 17 for row in rows)
    first = next(row for row in rows if row[1] == "常州甲<&>科技有限公司")
    assert first[2:4] == ("武进国家高新区", dt.date(2018, 5, 1))
    assert first[6:12] == (
        "小型",
        "人工智能、新能源汽车",
        "高新技术企业、科技型中小企业",
        100,
        Decimal("1234.60"),
        Decimal("61.73"),
    )
    new = write_workbook([("企业名录", enterprise_columns(year), rows)])
    instances = queryset.select_related("jurisdiction").prefetch_related(None)
    old = write_workbook([("企业名录", _instance_columns(year), instances)])
    assert _sheet_xml(new) == _sheet_xml(old)
