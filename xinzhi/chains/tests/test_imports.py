"""The purchasing-list import: dry run, per-row Chinese errors, all or nothing, scope."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import xlsxwriter

from xinzhi.chains.imports import supply_import
from xinzhi.chains.models import SupplyRelation
from xinzhi.core.exceptions import ApplicationError

HEADER = [
    "采购企业统一社会信用代码",
    "年度",
    "供应商名称",
    "供应商统一社会信用代码",
    "供应商所在地",
    "产业链",
    "环节",
    "配套产品",
    "年采购额（万元）",
]


def _xlsx(rows):
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([HEADER, *rows]):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write(r, c, value)
    book.close()
    return buffer.getvalue()


@pytest.fixture
def firms(chain, make_enterprise):
    return {
        "lixiang": make_enterprise("江苏理想汽车", "gxq"),
        "huichuan": make_enterprise("汇川动力", "gxq"),
        "hella": make_enterprise("海拉车灯", "xth"),
    }


def test_dry_run_counts_and_writes_nothing_then_commit_writes(users, firms):
    code = firms["lixiang"].credit_code
    data = _xlsx(
        [
            [
                code,
                2025,
                "汇川",
                firms["huichuan"].credit_code,
                "",
                "新能源汽车",
                "电驱电控",
                "电驱",
                4000,
            ],
            [
                code,
                2025,
                "宁德电池供应商",
                "",
                "福建宁德",
                "新能源汽车",
                "固态电池",
                "电池",
                6000.5,
            ],
        ]
    )
    checked = supply_import(actor=users["gxq"], data=data, dry_run=True)
    assert (checked.rows, checked.created, checked.updated, checked.errors) == (2, 2, 0, [])
    assert SupplyRelation.objects.unscoped().count() == 0
    done = supply_import(actor=users["gxq"], data=data, dry_run=False)
    assert (done.created, done.errors, done.dry_run) == (2, [], False)
    local = SupplyRelation.objects.unscoped().get(supplier=firms["huichuan"])
    assert (local.supplier_name, local.node.name, local.amount) == ("汇川动力", "电驱电控", 4000)
    outside = SupplyRelation.objects.unscoped().get(supplier__isnull=True)
    assert (outside.supplier_region, outside.amount) == ("福建宁德", Decimal("6000.50"))
    # importing again updates in place
    again = supply_import(actor=users["gxq"], data=data, dry_run=False)
    assert (again.created, again.updated) == (0, 2)
    assert SupplyRelation.objects.unscoped().count() == 2


def test_one_bad_row_writes_nothing_and_says_why_per_row(users, firms):
    code = firms["lixiang"].credit_code
    data = _xlsx(
        [
            [code, 2025, "好供应商", "", "上海", None, None, "芯片", 100],
            [code, 2025, "无地区供应商", "", "", None, None, "", 100],
            [firms["hella"].credit_code, 2025, "某", "", "上海", None, None, "", 100],
            [code, 2025, "某", "", "上海", "新能源汽车", "不存在", "", 100],
            [code, 2025, "好供应商", "", "上海", None, None, "芯片", 200],
            [code, 1999, "某", "", "上海", None, None, "", -5],
        ]
    )
    result = supply_import(actor=users["gxq"], data=data, dry_run=False)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (7, "年采购额（万元）", "金额不能为负数"),
        (3, "供应商所在地", "外地供应商请填写所在地（本地供应商请填写信用代码）"),
        (4, "采购企业统一社会信用代码", "在您的管辖范围内未找到该企业"),
        (5, "环节", "未找到产业链环节“新能源汽车·不存在”"),
        (6, "供应商名称", "与第 2 行重复（同一企业、年度、供应商与产品）"),
    ]
    assert SupplyRelation.objects.unscoped().count() == 0


def test_a_leader_may_not_import(users, firms):
    with pytest.raises(ApplicationError) as caught:
        supply_import(actor=users["leader"], data=_xlsx([]), dry_run=True)
    assert caught.value.code == "forbidden"


def test_web_import_runs_as_a_job_and_commits_the_checked_file(login, users, firms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinzhi.jobs.models import Job

    data = _xlsx([[firms["lixiang"].credit_code, 2025, "外地", "", "上海", None, None, "", 10]])
    client = login(users["gxq"])
    upload = SimpleUploadedFile("采购清单.xlsx", data)
    checked = client.post("/chains/supplies/import/", {"file": upload, "mode": "check"})
    check = Job.objects.get(kind="chain_supply_check")
    assert checked["Location"] == check.get_absolute_url()
    page = client.get(check.get_absolute_url()).content.decode()
    assert "校验通过：共 1 行，将新增 1 条、更新 0 条配套关系。本次为试导入，未写入数据。" in page
    assert SupplyRelation.objects.unscoped().count() == 0
    # 正式导入 from the job page: the checked bytes, by their digest, without choosing again.
    digest = check.files.get(purpose="input").digest
    assert f'name="digest" value="{digest}"' in page
    done = client.post(
        "/chains/supplies/import/", {"mode": "commit", "checked_job": check.pk, "digest": digest}
    )
    commit = Job.objects.get(kind="chain_supply_import")
    assert done["Location"] == commit.get_absolute_url()
    assert (commit.state, commit.link) == ("succeeded", "/chains/supplies/")
    page = client.get(commit.get_absolute_url()).content.decode()
    assert "已导入 1 行：新增 1 条、更新 0 条配套关系。" in page
    assert SupplyRelation.objects.unscoped().get().amount == Decimal("10.00")
    again = client.post(
        "/chains/supplies/import/", {"mode": "commit", "checked_job": check.pk, "digest": digest}
    ).content.decode()
    assert "该文件已正式导入过；如需再次导入，请重新选择文件并试导入。" in again
    empty = client.post("/chains/supplies/import/", {"mode": "check"})
    assert "请选择要导入的 Excel 文件。" in empty.content.decode()


def test_a_failing_import_job_lists_the_rows_and_writes_nothing(login, users, firms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from xinzhi.jobs.models import Job

    data = _xlsx([["91320412MA0000000X", 2025, "外地", "", "上海", None, None, "", 10]])
    client = login(users["gxq"])
    upload = SimpleUploadedFile("采购清单.xlsx", data)
    client.post("/chains/supplies/import/", {"file": upload, "mode": "commit"})
    job = Job.objects.get(kind="chain_supply_import")
    assert (job.state, job.error) == ("failed", "共 1 行，发现 1 处问题，未写入任何数据。")
    page = client.get(job.get_absolute_url()).content.decode()
    assert (
        "<td>2</td><td>采购企业统一社会信用代码</td><td>在您的管辖范围内未找到该企业</td>" in page
    )
    assert SupplyRelation.objects.unscoped().count() == 0
