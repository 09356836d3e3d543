"""Every list export goes through `jobs.exports.ListExport`: above `XINZHI_EXPORT_JOB_ROWS` rows
it becomes a job whose file has the list's sheet and columns; the rule is checked again when
the job runs."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from xinzhi.attraction import jobs as attraction
from xinzhi.chains import jobs as chains
from xinzhi.ecosystem import jobs as ecosystem
from xinzhi.finance import jobs as finance
from xinzhi.jobs.exports import ListExport
from xinzhi.jobs.models import Job
from xinzhi.projects import jobs as projects
from xinzhi.rewards import jobs as rewards

pytestmark = pytest.mark.django_db

EXPORTS = {
    "attraction:lead_export": attraction.LEAD_EXPORT,
    "chains:membership_export": chains.MEMBERSHIP_EXPORT,
    "chains:target_export": chains.TARGET_EXPORT,
    "chains:supply_export": chains.SUPPLY_EXPORT,
    "ecosystem:carrier_export": ecosystem.CARRIER_EXPORT,
    "ecosystem:entry_export": ecosystem.ENTRY_EXPORT,
    "ecosystem:listing_export": ecosystem.LISTING_EXPORT,
    "finance:loan_export": finance.LOAN_EXPORT,
    "finance:institution_export": finance.INSTITUTION_EXPORT,
    "finance:order_export": finance.ORDER_EXPORT,
    "finance:grant_export": finance.GRANT_EXPORT,
    "finance:round_export": finance.ROUND_EXPORT,
    "projects:export": projects.KEY_PROJECT_EXPORT,
    "projects:funded_export": projects.FUNDED_EXPORT,
    "rewards:export": rewards.ENTITLEMENT_EXPORT,
}


def _sheets(content: bytes) -> list[tuple[str, list]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]


def _expected_sheets(export: ListExport) -> list[tuple[str, list]]:
    if export.sheets is not None:
        return [(title, [[c.header for c in columns]]) for title, columns, _ in export.sheets([])]
    return [(export.title, [[c.header for c in export.columns()]])]


@pytest.mark.parametrize("url_name", sorted(EXPORTS))
def test_an_export_above_the_threshold_is_a_job_with_the_list_s_sheets(
    url_name, settings, login, users
):
    export = EXPORTS[url_name]
    settings.XINZHI_EXPORT_JOB_ROWS = -1  # every list, even an empty one, goes to the worker
    client = login(users["admin"])
    response = client.get(reverse(url_name), {"page": "1"})
    job = Job.objects.get(kind=export.code)
    assert (response.status_code, response["Location"]) == (302, job.get_absolute_url())
    assert (job.state, job.owner, job.params) == ("succeeded", users["admin"], {"query": "page=1"})
    assert job.kind_label == f"{export.title}导出"
    page = client.get(job.get_absolute_url()).content.decode()
    assert f"共导出 0 {export.unit}" in page
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert _sheets(download.content) == _expected_sheets(export)
    assert login(users["xth"]).get(reverse("jobs:download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("url_name", sorted(EXPORTS))
def test_a_short_list_is_written_in_the_request(url_name, login, users):
    export = EXPORTS[url_name]
    response = login(users["admin"]).get(reverse(url_name))
    assert response.status_code == 200
    assert quote(export.file_name()) in response["Content-Disposition"]
    assert _sheets(b"".join(response.streaming_content)) == _expected_sheets(export)
    assert not Job.objects.exists()


def test_an_export_job_whose_owner_lost_the_right_fails_and_writes_no_file(settings, users):
    from xinzhi.jobs.services import job_run, job_start

    settings.XINZHI_TASK_BACKEND = "database"  # queued until run below, as by the worker
    officer = users["gxq"]
    job = job_start(owner=officer, kind=finance.LOAN_EXPORT.code, params={"query": ""})
    officer.role = "enterprise"
    officer.save()
    job_run(job.pk)
    job.refresh_from_db()
    assert (job.state, job.error) == ("failed", "您已无权导出科技贷款。")
    assert not job.files.exists()
