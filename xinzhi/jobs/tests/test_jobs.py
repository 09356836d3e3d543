"""Job pages, cancel and scope; the work runs where it is enqueued here (test settings)."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from xinzhi.core.exceptions import ApplicationError
from xinzhi.enterprises.models import AnnualFigures
from xinzhi.jobs.models import Job
from xinzhi.jobs.services import (
    CANCELLED_MESSAGE,
    COMMIT_STARTED_MESSAGE,
    job_cancel,
    job_run,
    job_start,
)
from xinzhi.jobs.tests.test_worker import figures_file


@pytest.fixture
def queue_only(settings):
    """Jobs wait in the database queue: no worker runs in these tests."""
    settings.XINZHI_TASK_BACKEND = "database"


def test_a_job_cancelled_in_the_queue_never_runs(queue_only, users, make_enterprise):
    firm = make_enterprise("甲", "gxq")
    data = figures_file([[firm.credit_code, 2024, 1, 1, 1, 1]])
    job = job_start(owner=users["gxq"], kind="figures_import", upload=("a.xlsx", data))
    job = job_cancel(actor=users["gxq"], job=job)
    assert (job.state, job.error) == (Job.State.CANCELLED, CANCELLED_MESSAGE)
    job_run(job.pk)  # what the worker does when it reaches the task
    job.refresh_from_db()
    assert (job.state, job.started_at) == (Job.State.CANCELLED, None)
    assert AnnualFigures.objects.unscoped().count() == 0


def test_cancel_is_refused_once_writing_started_and_after_the_end(queue_only, users):
    job = job_start(owner=users["gxq"], kind="enterprise_export")
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, committing=True)
    with pytest.raises(ApplicationError, match=COMMIT_STARTED_MESSAGE):
        job_cancel(actor=users["gxq"], job=job)
    Job.objects.filter(pk=job.pk).update(state=Job.State.SUCCEEDED, committing=False)
    with pytest.raises(ApplicationError, match="任务已结束，无需取消。"):
        job_cancel(actor=users["gxq"], job=job)


def test_only_the_owner_or_the_admin_cancels(queue_only, login, users):
    job = job_start(owner=users["gxq"], kind="enterprise_export")
    assert login(users["xth"]).post(f"/jobs/{job.pk}/cancel/").status_code == 404
    with pytest.raises(ApplicationError, match="只能取消您本人提交的任务。"):
        job_cancel(actor=users["xth"], job=job)
    response = login(users["admin"]).post(f"/jobs/{job.pk}/cancel/", follow=True)
    assert "已请求取消任务。" in response.content.decode()
    job.refresh_from_db()
    assert job.state == Job.State.CANCELLED


def test_job_page_polls_while_the_job_runs_and_stops_when_it_ends(queue_only, login, users):
    job = job_start(owner=users["gxq"], kind="enterprise_export")
    client = login(users["gxq"])
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "排队中" in page and "取消任务" in page
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, done=250, total=1000)
    part = client.get(
        f"/jobs/{job.pk}/", headers={"HX-Request": "true", "HX-Target": "job-status"}
    ).content.decode()
    assert part.strip().startswith('<div id="job-status"')
    assert (
        '<progress class="xz-progress" data-testid="job-progress" value="250" max="1000">' in part
    )
    assert "已处理 250 / 1000 行（25%）" in part
    assert "<nav" not in part
    job_run(job.pk)  # not QUEUED any more: the worker skips it
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error="某某原因")
    part = client.get(
        f"/jobs/{job.pk}/", headers={"HX-Request": "true", "HX-Target": "job-status"}
    ).content.decode()
    assert "hx-trigger" not in part
    assert "某某原因" in part


def test_an_unreadable_upload_fails_with_a_chinese_message(login, users):
    client = login(users["gxq"])
    response = client.post(
        "/enterprises/import/",
        {"mode": "commit", "file": io.BytesIO(b"PK\x03\x04 not really a workbook")},
        follow=True,
    )
    job = Job.objects.get()
    assert job.state == Job.State.FAILED
    assert job.error in response.content.decode()
    assert "Excel" in job.error


def test_a_large_export_becomes_a_job_with_a_file_to_download(
    settings, login, users, make_enterprise
):
    for name in ("甲", "乙", "丙"):
        make_enterprise(name, "gxq", revenue=100)
    client = login(users["gxq"])
    settings.XINZHI_EXPORT_JOB_ROWS = 3
    small = client.get("/enterprises/export.xlsx?q=")
    assert small["Content-Type"].startswith("application/vnd.openxmlformats")
    settings.XINZHI_EXPORT_JOB_ROWS = 2
    response = client.get("/enterprises/export.xlsx?q=")
    job = Job.objects.get(kind="enterprise_export")
    assert response.url == f"/jobs/{job.pk}/"
    assert job.params == {"query": "q="}
    page = client.get(response.url).content.decode()
    assert "共导出 3 家企业" in page
    download = client.get(f"/jobs/{job.pk}/result/")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(download.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert sorted(r[1] for r in rows[1:]) == ["丙", "乙", "甲"]
    assert login(users["xth"]).get(f"/jobs/{job.pk}/result/").status_code == 404


def test_my_jobs_lists_only_mine_and_the_admin_sees_everyones(queue_only, login, users):
    mine = job_start(owner=users["gxq"], kind="enterprise_export")
    theirs = job_start(owner=users["xth"], kind="enterprise_export")
    page = login(users["gxq"]).get("/jobs/").content.decode()
    assert f'href="/jobs/{mine.pk}/"' in page and f'href="/jobs/{theirs.pk}/"' not in page
    page = login(users["admin"]).get("/jobs/").content.decode()
    assert f'href="/jobs/{mine.pk}/"' in page and f'href="/jobs/{theirs.pk}/"' in page
    assert "GXQ" in page and "XTH" in page


def test_the_admin_reevaluates_every_enterprise_as_a_job(login, users, make_enterprise):
    from xinzhi.cultivation.models import Evaluation

    firms = [make_enterprise(name, "gxq", revenue=3000) for name in ("甲", "乙")]
    assert login(users["gxq"]).post("/jobs/start/reevaluate_all/").status_code == 403
    client = login(users["admin"])
    assert 'data-testid="job-start-reevaluate_all"' in client.get("/jobs/").content.decode()
    assert client.post("/jobs/start/reevaluate/").status_code == 404  # not startable
    response = client.post("/jobs/start/reevaluate_all/")
    job = Job.objects.get(kind="reevaluate_all")
    assert response.url == f"/jobs/{job.pk}/"
    assert (job.state, job.done, job.total) == (Job.State.SUCCEEDED, 2, 2)
    stored = Evaluation.all_objects.filter(enterprise__in=firms)
    assert stored.values("enterprise").distinct().count() == 2
    assert job.summary == {"enterprises": 2, "evaluations": stored.count()}
    assert (
        f"已重新评估 2 家企业，保存 {stored.count()} 条评估结论。"
        in client.get(response.url).content.decode()
    )


def test_a_change_to_many_enterprises_queues_the_reevaluation_instead_of_running_it(
    queue_only, jurisdictions
):
    from xinzhi.cultivation.jobs import INLINE_LIMIT, refresh_or_enqueue
    from xinzhi.cultivation.models import Evaluation
    from xinzhi.jobs.tests.test_worker import many_enterprises

    firms = many_enterprises(jurisdictions["gxq"], INLINE_LIMIT + 1)
    ids = [f.pk for f in firms]
    refresh_or_enqueue(ids[:INLINE_LIMIT])  # a few: refreshed here, in one process
    assert Evaluation.all_objects.values("enterprise").distinct().count() == INLINE_LIMIT
    assert not Job.objects.exists()
    Evaluation.all_objects.all().delete()
    refresh_or_enqueue(ids)  # more: nothing evaluated in this (web) process, one job queued
    assert Evaluation.all_objects.count() == 0
    job = Job.objects.get()
    assert (job.kind, job.state, job.owner, job.params) == (
        "reevaluate",
        Job.State.QUEUED,
        None,
        {"ids": ids},
    )
