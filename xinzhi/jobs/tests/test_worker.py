"""Jobs run by a real `db_worker` process against the test database (SQLite file or PG)."""

from __future__ import annotations

import io

import pytest
import xlsxwriter
from django.utils import timezone

from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.models import AnnualFigures, Enterprise
from xinzhi.jobs.models import Job, JobFile
from xinzhi.jobs.services import CANCELLED_MESSAGE, job_cancel, job_start
from xinzhi.jobs.tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = [
    "统一社会信用代码",
    "年度",
    "职工总数",
    "科技人员数",
    "销售收入（万元）",
    "研发费用（万元）",
]


def figures_file(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for r, row in enumerate(rows, start=1):
        sheet.write_row(r, 0, row)
    book.close()
    return buffer.getvalue()


def many_enterprises(jurisdiction, count: int) -> list[Enterprise]:
    import random

    from xinzhi.enterprises.uscc import make_credit_code

    rng = random.Random(15)
    codes = sorted({make_credit_code(rng) for _ in range(count * 2)})[:count]
    return Enterprise.objects.unscoped().bulk_create(
        Enterprise(credit_code=c, name=f"企业{i:05d}", jurisdiction=jurisdiction)
        for i, c in enumerate(codes)
    )


def finished(job: Job):  # noqa: ANN201
    job.refresh_from_db()
    return job if job.finished else None


def test_import_job_runs_in_the_worker_then_queues_the_reevaluation(worker, users, jurisdictions):
    from xinzhi.cultivation.models import Evaluation

    firms = many_enterprises(jurisdictions["gxq"], 60)
    data = figures_file([[f.credit_code, 2024, 100, 20, 5000, 300] for f in firms])
    job = job_start(owner=users["gxq"], kind="figures_import", upload=("年度数据.xlsx", data))
    assert job.state == Job.State.QUEUED
    assert AnnualFigures.objects.unscoped().count() == 0  # nothing runs in this process
    worker()
    job = wait_for(lambda: finished(job), what="the import job")
    assert (job.state, job.error) == (Job.State.SUCCEEDED, "")
    assert (job.done, job.total, job.percent) == (60, 60, 100)
    assert (job.summary["created"], job.summary["updated"], job.summary["ok"]) == (60, 0, True)
    assert job.started_at <= job.finished_at
    assert AnnualFigures.objects.unscoped().filter(year=2024).count() == 60
    # 60 enterprises changed: the worker's commit queued one re-evaluation job, also run there.
    again = wait_for(
        lambda: Job.objects.filter(kind="reevaluate", state=Job.State.SUCCEEDED).first(),
        what="the re-evaluation job",
    )
    assert again.owner is None
    assert sorted(again.params["ids"]) == sorted(f.pk for f in firms)
    assert (
        Evaluation.all_objects.filter(enterprise__in=firms).values("enterprise").distinct().count()
        == 60
    )


def test_an_import_that_fails_on_row_40000_writes_nothing(worker, users, jurisdictions):
    firms = many_enterprises(jurisdictions["gxq"], 1200)
    rows = [[f.credit_code, year, 10, 2, 100, 5] for year in range(1991, 2025) for f in firms]
    rows = rows[:40_000]
    rows[39_998][1] = 1900  # file row 40,000 (after the header): a year out of range
    job = job_start(
        owner=users["gxq"], kind="figures_import", upload=("big.xlsx", figures_file(rows))
    )
    worker()
    job = wait_for(lambda: finished(job), timeout=300, what="the import job")
    assert job.state == Job.State.FAILED
    assert job.error == "共 40000 行，发现 1 处问题，未写入任何数据。"
    this_year = timezone.localdate().year
    assert job.summary["errors"] == [
        {"row": 40_000, "column": "年度", "message": f"年度应在1990至{this_year}之间"}
    ]
    # One pass: rows 2–39,999 were written in the transaction, which was rolled back.
    assert (job.done, job.total) == (40_000, 40_000)
    assert AnnualFigures.objects.unscoped().count() == 0
    assert AuditEvent.all_objects.filter(action="import").count() == 0
    assert not Job.objects.filter(kind="reevaluate").exists()


def test_cancel_while_checking_rows_writes_nothing(worker, users, jurisdictions):
    # 试导入 reports progress and can be cancelled; 正式导入 writes from its first row, so it
    # can be cancelled only while queued.
    firms = many_enterprises(jurisdictions["gxq"], 1200)
    rows = [[f.credit_code, year, 10, 2, 100, 5] for year in range(2001, 2025) for f in firms]
    job = job_start(
        owner=users["gxq"], kind="figures_check", upload=("big.xlsx", figures_file(rows))
    )
    worker()
    wait_for(lambda: Job.objects.filter(pk=job.pk, done__gte=1000).exists(), what="progress")
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING and job.total == len(rows) and job.cancellable
    job_cancel(actor=users["gxq"], job=job)
    job = wait_for(lambda: finished(job), what="the cancelled job")
    assert (job.state, job.error) == (Job.State.CANCELLED, CANCELLED_MESSAGE)
    assert 1000 <= job.done < len(rows)
    assert AnnualFigures.objects.unscoped().count() == 0
    assert AuditEvent.all_objects.filter(action="import").count() == 0


def test_two_workers_share_the_queue_and_run_each_job_once(worker, users, make_enterprise):
    from django_tasks_db.models import DBTaskResult

    for i in range(3):
        make_enterprise(f"甲{i}", "gxq", revenue=100)
    jobs = [
        job_start(owner=users["gxq"], kind="enterprise_export", params={"query": ""})
        for _ in range(12)
    ]
    worker("w1")
    worker("w2")
    for job in jobs:
        wait_for(lambda job=job: finished(job), what=f"job {job.pk}")
    assert [j.state for j in Job.objects.filter(pk__in=[j.pk for j in jobs])] == ["succeeded"] * 12
    # One result file per job (a second run would break the one-file-per-purpose constraint).
    assert JobFile.objects.filter(job__in=jobs, purpose="result").count() == 12
    tasks = DBTaskResult.objects.filter(id__in=[j.task_id for j in jobs])
    assert sorted(t.status for t in tasks) == ["SUCCESSFUL"] * 12
    assert all(len(t.worker_ids) == 1 for t in tasks)
    assert {w for t in tasks for w in t.worker_ids} <= {"w1", "w2"}
