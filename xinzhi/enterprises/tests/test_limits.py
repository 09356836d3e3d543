"""Number limits (issue 14 item 1): every write path refuses what the columns cannot hold, and a
record that already holds such a value still renders."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from python_calamine import CalamineWorkbook

from xinzhi.core.limits import limit_error
from xinzhi.enterprises.imports import figures_import
from xinzhi.enterprises.models import AnnualFigures
from xinzhi.enterprises.services import figures_save
from xinzhi.enterprises.tests.test_import import xlsx


def errors(result) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in result.errors]


def test_import_refuses_numbers_the_columns_cannot_hold(users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    data = xlsx(
        [
            [a.credit_code, 2024, 100, 30, 1e20, 1],
            [a.credit_code, 2023, 100, 30, "99999999999999999999", 1],
            [a.credit_code, 2022, 100, 30, 1e30, "1e999999999"],
            [a.credit_code, 2021, 1e19, 2147483648, 1, 1],
            [a.credit_code, 2020, 2147483647, 30, "99999999999999", 1],
        ]
    )
    result = figures_import(actor=users["gxq"], data=data, dry_run=False)
    assert errors(result) == [
        (2, "销售收入（万元）", "销售收入超出允许范围（最多 14 位整数）"),
        (3, "销售收入（万元）", "销售收入超出允许范围（最多 14 位整数）"),
        (4, "研发费用（万元）", "研发费用超出允许范围（最多 14 位整数）"),
        (4, "销售收入（万元）", "销售收入超出允许范围（最多 14 位整数）"),
        (5, "科技人员数", "科技人员数超出允许范围（最大 2147483647）"),
        (5, "职工总数", "职工总数超出允许范围（最大 2147483647）"),
    ]
    assert AnnualFigures.objects.unscoped().count() == 0


def test_import_refuses_nul_in_text(users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    result = figures_import(
        actor=users["gxq"], data=xlsx([[a.credit_code + "\x00", 2024, 1, 1, 1, 1]]), dry_run=True
    )
    assert errors(result) == [
        (2, "统一社会信用代码", "含有不可见的空字符（NUL），请删除后重试"),
    ]


def test_largest_values_the_columns_hold_are_imported(users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    data = xlsx([[a.credit_code, 2024, 2147483647, 30, "99999999999999", 1]])
    result = figures_import(actor=users["gxq"], data=data, dry_run=False)
    assert result.ok
    row = AnnualFigures.objects.unscoped().get(enterprise=a, year=2024)
    assert (row.employees, row.revenue) == (2147483647, Decimal("99999999999999.00"))


def test_service_refuses_integers_beyond_postgresql_range_on_every_database(users, make_enterprise):
    from django.core.exceptions import ValidationError

    a = make_enterprise("甲", "gxq")
    with pytest.raises(ValidationError) as exc:
        figures_save(actor=users["gxq"], enterprise=a, year=2024, data={"employees": 3_000_000_000})
    assert exc.value.message_dict == {"employees": ["职工总数超出允许范围（最大 2147483647）"]}


def test_figures_form_shows_the_limit_as_a_field_error(login, users, make_enterprise):
    a = make_enterprise("甲", "gxq")
    response = login(users["gxq"]).post(
        f"/enterprises/{a.pk}/figures/new/", {"year": 2024, "employees": "3000000000"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "employees": ["职工总数超出允许范围（最大 2147483647）"]
    }
    assert not AnnualFigures.objects.unscoped().exists()


def test_limit_messages():
    field = AnnualFigures._meta.get_field
    assert limit_error(field("revenue"), Decimal("-1")) == "销售收入不能为负数"
    assert limit_error(field("net_profit"), Decimal("-99999999999999.99")) is None
    assert limit_error(field("revenue"), Decimal("1.001")) == "销售收入最多 2 位小数"
    assert limit_error(field("revenue"), Decimal("Infinity")) == "销售收入不是有效数字"
    assert limit_error(field("year"), 32768) == "年度超出允许范围（最大 32767）"


def _store_out_of_range(figures: AnnualFigures) -> None:
    """Write what the old import let through, past the ORM (SQLite keeps anything)."""
    table = AnnualFigures._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"UPDATE {table} SET revenue = 1e20, rd_expense = 'Infinity', "  # noqa: S608
                "employees = 3000000000 WHERE id = %s",
                [figures.pk],
            )
        else:  # PostgreSQL refuses the overflow itself; NaN is what numeric still holds.
            cursor.execute(
                f"UPDATE {table} SET revenue = 'NaN', rd_expense = 'NaN' WHERE id = %s",  # noqa: S608
                [figures.pk],
            )


def test_record_holding_out_of_range_values_still_renders(login, users, make_enterprise):
    a = make_enterprise("甲", "gxq", revenue=100, year=2025)
    make_enterprise("乙", "gxq", revenue=50, year=2025)
    _store_out_of_range(AnnualFigures.objects.unscoped().get(enterprise=a))
    sqlite = connection.vendor == "sqlite"
    for user in (users["gxq"], users["admin"], users["leader"]):
        client = login(user)
        for url in (
            f"/enterprises/{a.pk}/",
            f"/enterprises/{a.pk}/figures/2025/",
            "/enterprises/?year=2025&sort=-revenue",
            "/enterprises/export.xlsx?year=2025&sort=-revenue",
            f"/api/enterprises/{a.pk}",
            "/api/enterprises?year=2025&sort=-revenue",
            f"/api/cultivation/enterprises/{a.pk}/evaluation?as_of=2026-06-30",
        ):
            if url.startswith(f"/enterprises/{a.pk}/figures") and user != users["gxq"]:
                continue  # only officers edit
            assert client.get(url).status_code == 200, (user.username, url)
    client = login(users["gxq"])
    detail = client.get(f"/api/enterprises/{a.pk}").json()["figures"][0]
    assert (detail["revenue"], detail["rd_expense"], detail["employees"]) == (
        ("100000000000000000000.00", None, 3000000000) if sqlite else (None, None, 100)
    )
    listed = client.get("/api/enterprises", {"year": 2025, "sort": "-revenue"}).json()["results"]
    # 1e20 on SQLite, and PostgreSQL sorts NaN above every number.
    assert [row["name"] for row in listed] == ["甲", "乙"]
    export = client.get("/enterprises/export.xlsx", {"year": 2025, "sort": "-revenue"})
    content = b"".join(export.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
    assert len(sheet.to_python()) == 3
    # The officer repairs the row through the form.
    stored = AnnualFigures.objects.unscoped().get(enterprise=a)
    response = client.post(
        f"/enterprises/{a.pk}/figures/2025/",
        {
            "revenue": "120",
            "rd_expense": "6",
            "employees": "100",
            "updated_at": stored.updated_at.isoformat(),
        },
    )
    assert response.status_code == 302
    row = AnnualFigures.objects.unscoped().get(enterprise=a)
    assert (row.revenue, row.rd_expense, row.employees) == (Decimal("120.00"), Decimal("6.00"), 100)
