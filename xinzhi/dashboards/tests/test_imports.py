"""目标、手工填报值批量导入: from Excel, checked whole, written whole, by the worker."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from xinzhi.core.models import AuditEvent
from xinzhi.dashboards import services
from xinzhi.dashboards.models import Indicator, ManualValue, Target
from xinzhi.jobs.models import Job
from xinzhi.spreadsheets.tests.sheets import xlsx

pytestmark = pytest.mark.django_db

HEADER = ["指标", "年度", "范围", "目标层级", "目标值", "说明"]


def _xlsx(rows: list[list]) -> bytes:
    return xlsx(HEADER, rows)


def _post(client, data: bytes, mode: str):  # noqa: ANN001, ANN202
    upload = SimpleUploadedFile("2025年目标.xlsx", data)
    return client.post("/dashboards/targets/import/", {"file": upload, "mode": mode})


def _stored() -> set[tuple]:
    return {
        (t.indicator.code, t.year, t.jurisdiction.label if t.jurisdiction else "全区", t.level,
         t.value, t.note)
        for t in Target.all_objects.select_related("indicator", "jurisdiction")
    }  # fmt: skip


def test_a_targets_file_is_checked_then_written_whole(login, users, jurisdictions):
    hnte = Indicator.objects.get(code="hnte_applications")
    services.target_save(
        actor=users["admin"],
        data={"indicator": hnte, "year": 2025, "jurisdiction": None, "level": "city",
              "value": Decimal("700"), "note": "市科技局下达"},
    )  # fmt: skip
    data = _xlsx(
        [
            ["申报高企数", 2025, "全区", "市目标", 757, None],  # replaces 700, keeps the note
            ["hnte_applications", 2025, "武进国家高新区", "区目标", 233, "区定"],
            ["申报高企数", 2025, "常州市武进区", "区目标", 800.5, None],
        ]
    )
    client = login(users["admin"])
    checked = _post(client, data, "check")
    check = Job.objects.get(kind="targets_check")
    assert checked["Location"] == check.get_absolute_url()
    assert check.summary == {
        "ok": True, "dry_run": True, "rows": 3, "created": 2, "updated": 1, "unchanged": 0,
        "error_count": 0, "errors": [], "noun": "个目标",
        "import_url": "/dashboards/targets/import/",
    }  # fmt: skip
    page = client.get(check.get_absolute_url()).content.decode()
    assert "校验通过：共 3 行，将新增 2 个目标、更新 1 个目标。本次为试导入，未写入数据。" in page
    assert Target.all_objects.count() == 1

    digest = check.files.get(purpose="input").digest
    client.post(
        "/dashboards/targets/import/", {"mode": "commit", "checked_job": check.pk, "digest": digest}
    )
    job = Job.objects.get(kind="targets_import")
    assert (job.state, job.link) == ("succeeded", "/dashboards/targets/")
    assert (
        "已导入 3 行：新增 2 个目标、更新 1 个目标。"
        in client.get(job.get_absolute_url()).content.decode()
    )
    assert _stored() == {
        ("hnte_applications", 2025, "全区", "city", Decimal("757.0000"), "市科技局下达"),
        ("hnte_applications", 2025, "武进国家高新区", "district", Decimal("233.0000"), "区定"),
        ("hnte_applications", 2025, "全区", "district", Decimal("800.5000"), ""),
    }
    audited = AuditEvent.all_objects.filter(object_type="dashboards.target", actor=users["admin"])
    assert audited.count() == 4  # the first target's creation, then the file's three rows

    # The same file again changes nothing.
    _post(client, data, "commit")
    again = Job.objects.filter(kind="targets_import").latest("pk")
    assert (again.summary["created"], again.summary["updated"], again.summary["unchanged"]) == (
        0, 0, 3,
    )  # fmt: skip


def test_every_bad_row_is_named_and_nothing_is_written(login, users, jurisdictions):
    data = _xlsx(
        [
            ["申报高企数", 2025, "全区", "区目标", 800, None],  # good, but not written
            ["利润率", 2025, "全区", "区目标", 1, None],
            ["申报高企数", 2025, "牛塘镇", "区目标", 1, None],
            ["申报高企数", 2025, "全区", "省目标", 1, None],
            ["申报高企数", 2025, "全区", "区目标", 900, None],
            ["申报高企数", 1999, "全区", "区目标", 1, None],
            ["申报高企数", 2025, "西太湖", "区目标", -5, None],
            ["申报高企数", 2025, "全区", "市目标", None, None],
        ]
    )
    _post(login(users["admin"]), data, "commit")
    job = Job.objects.get(kind="targets_import")
    assert (job.state, job.error) == ("failed", "共 8 行，发现 7 处问题，未写入任何数据。")
    assert [(e["row"], e["column"], e["message"]) for e in job.summary["errors"]] == [
        (3, "指标", "指标库中没有“利润率”（填写指标编码或名称）"),
        (4, "范围", "没有名为“牛塘镇”的板块（全区填写“全区”）"),
        (5, "目标层级", "应为“市目标”或“区目标”"),
        (6, "指标", "与第 2 行重复（同一指标、年度、范围与目标层级）"),
        (7, "年度", "年度不能小于 2000"),
        (8, "目标值", "目标值不能为负数"),
        (9, "目标值", "必填"),
    ]
    assert not Target.all_objects.exists()


@pytest.mark.parametrize(
    ("kind", "header", "filled"),
    [
        ("targets", ["指标", "年度", "目标层级", "范围", "目标值", "说明"], ("区目标", "全区")),
        ("values", ["指标", "年度", "截至月份", "范围", "累计数值", "数据来源"], (12, "全区")),
    ],
)
def test_the_template_lists_every_active_indicator_for_the_district(
    login, users, kind, header, filled
):
    response = login(users["admin"]).get(f"/dashboards/{kind}/import/template.xlsx")
    content = b"".join(response.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    active = list(Indicator.objects.filter(is_active=True).order_by("order", "pk"))
    assert rows[0] == header
    assert [r[0] for r in rows[1:]] == [i.name for i in active]
    assert {(r[2], r[3]) for r in rows[1:]} == {filled}


def test_typed_in_values_are_back_filled_from_excel(login, users, jurisdictions):
    """平台上线前的统计补录: 1—N月 figures with their source, replaced when typed again."""
    talent = Indicator.objects.get(code="talents_attracted")
    services.manual_value_save(
        actor=users["admin"],
        data={"indicator": talent, "year": 2023, "month": 6, "jurisdiction": None,
              "value": Decimal("100"), "source_note": "人社局半年报"},
    )  # fmt: skip
    header = ["指标", "年度", "截至月份", "范围", "累计数值", "数据来源"]
    good = [
        ["引进各类人才数", 2023, 6, "全区", 1.2, "人社局半年报（更正）"],
        ["talents_attracted", 2023, 12, "全区", 2.6, "人社局年报"],
        ["申报高企数", 2023, 12, "武进国家高新区", 210, "区科技局年度统计"],
    ]
    data = xlsx(
        header,
        [
            *good,
            ["申报高企数", 2023, 13, "全区", 1, "通报"],
            ["申报高企数", 2023, 12, "全区", 1, None],
        ],
    )
    client = login(users["admin"])
    upload = SimpleUploadedFile("补录.xlsx", data)
    client.post("/dashboards/values/import/", {"file": upload, "mode": "commit"})
    failed = Job.objects.get(kind="manual_values_import")
    assert [(e["row"], e["column"], e["message"]) for e in failed.summary["errors"]] == [
        (5, "截至月份", "截至月份超出允许范围（最大 12）"),
        (6, "数据来源", "必填"),
    ]
    assert ManualValue.all_objects.count() == 1

    upload = SimpleUploadedFile("补录.xlsx", xlsx(header, good))
    client.post("/dashboards/values/import/", {"file": upload, "mode": "commit"})
    job = Job.objects.filter(kind="manual_values_import").latest("pk")
    assert (job.state, job.link) == ("succeeded", "/dashboards/values/")
    page = client.get(job.get_absolute_url()).content.decode()
    assert "已导入 3 行：新增 2 条填报值、更新 1 条填报值。" in page
    assert {
        (v.indicator.code, v.year, v.month, v.jurisdiction.label if v.jurisdiction else "全区",
         v.value, v.source_note)
        for v in ManualValue.all_objects.select_related("indicator", "jurisdiction")
    } == {
        ("talents_attracted", 2023, 6, "全区", Decimal("1.2000"), "人社局半年报（更正）"),
        ("talents_attracted", 2023, 12, "全区", Decimal("2.6000"), "人社局年报"),
        ("hnte_applications", 2023, 12, "武进国家高新区", Decimal("210.0000"), "区科技局年度统计"),
    }  # fmt: skip


def test_officers_may_not_import_targets(login, users):
    client = login(users["gxq"])
    assert (
        _post(client, _xlsx([["申报高企数", 2025, "全区", "区目标", 1, None]]), "check").status_code
        == 403
    )
    assert not Job.objects.exists()
