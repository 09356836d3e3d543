"""The 统计报告 pages: scope (another 板块 gets 404 and changes nothing), roles, downloads."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document
from python_calamine import CalamineWorkbook

from xinzhi.briefings import services
from xinzhi.briefings.models import Briefing, SentenceTemplate
from xinzhi.jobs.models import Job

pytestmark = pytest.mark.django_db


@pytest.fixture
def gxq_briefing(world):
    return services.briefing_generate(
        actor=world["users"]["gxq"],
        year=2024,
        month=9,
        jurisdiction_id=world["jurisdictions"]["gxq"].pk,
    )


def _rows(response):
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def test_another_borough_reaches_nothing_and_changes_nothing(client, world, gxq_briefing):
    client.force_login(world["users"]["xth"])
    pk = gxq_briefing.pk
    for name in ("briefings:detail", "briefings:docx", "briefings:xlsx"):
        assert client.get(reverse(name, args=[pk])).status_code == 404, name
    edit = {"version": 1, **{f"text_{i}": "篡改" for i in range(len(gxq_briefing.paragraphs))}}
    assert client.post(reverse("briefings:detail", args=[pk]), edit).status_code == 404
    finalise = client.post(reverse("briefings:finalise", args=[pk]), {"version": 1})
    assert finalise.status_code == 404
    stored = Briefing.objects.unscoped().get(pk=pk)
    assert (stored.paragraphs, stored.status, stored.version) == (
        gxq_briefing.paragraphs,
        "draft",
        1,
    )
    listing = client.get(reverse("briefings:list"))
    assert (
        listing.status_code == 200 and "武进国家高新区 科技工作月报" not in listing.content.decode()
    )


def test_a_leader_reads_but_cannot_edit(client, world, gxq_briefing):
    client.force_login(world["users"]["leader"])
    url = reverse("briefings:detail", args=[gxq_briefing.pk])
    page = client.get(url).content.decode()
    assert "武进国家高新区 科技工作月报 2024年第9期" in page and "保存正文" not in page
    edit = {"version": 1, **{f"text_{i}": "改" for i in range(len(gxq_briefing.paragraphs))}}
    assert client.post(url, edit).status_code == 403
    assert Briefing.objects.unscoped().get(pk=gxq_briefing.pk).version == 1


def test_admin_generates_edits_and_downloads(client, world):
    admin = world["users"]["admin"]
    client.force_login(admin)
    response = client.post(
        reverse("briefings:generate"), {"year": 2024, "month": 9, "unit": "district"}
    )
    # The worker writes it (run where it is enqueued in tests); the job page links to it.
    job = Job.objects.get(kind="briefing_generate")
    briefing = Briefing.objects.unscoped().get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.state, job.owner, job.link) == ("succeeded", admin, briefing.get_absolute_url())
    assert job.params == {"year": 2024, "month": 9, "jurisdiction": None}
    job_page = client.get(job.get_absolute_url()).content.decode()
    assert "已生成《常州市武进区科技局 科技工作月报 2024年第9期》第 1 版草稿。" in job_page
    assert f'href="{briefing.get_absolute_url()}" data-testid="open-briefing"' in job_page
    texts = [p["text"] for p in briefing.paragraphs]
    texts[0] = texts[0].replace("1—9月，", "今年1—9月，")
    data = {"version": 1, **{f"text_{i}": t for i, t in enumerate(texts)}}
    assert client.post(briefing.get_absolute_url(), data).status_code == 302
    stale = client.post(briefing.get_absolute_url(), data, follow=True).content.decode()
    assert "该月报已被他人修改，请刷新后在最新内容上重新编辑。" in stale
    docx = client.get(reverse("briefings:docx", args=[briefing.pk]))
    assert docx["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    paragraphs = [p.text for p in Document(io.BytesIO(docx.content)).paragraphs]
    assert paragraphs[:2] == ["常州市武进区科技局 科技工作月报", "2024年第9期"]
    assert paragraphs[2].startswith("编制单位：常州市武进区科技局")
    assert paragraphs[3] == "一、科技创新主要指标"
    assert paragraphs[4].startswith("今年1—9月，全区申报高企757家，全市第一；")
    assert "招引科技型中小微企业372家（市目标240家），系全市第一" in paragraphs[4]
    rows = _rows(client.get(reverse("briefings:xlsx", args=[briefing.pk])))
    assert rows[0][0] == "常州市武进区科技创新主要指标完成情况表（2024年1—9月）"
    assert rows[1][3] == "常州市武进区" and rows[1][9] == "武进国家高新区"
    attracted = next(r for r in rows if r[1] == "招引科技型中小微企业数※")  # typed in
    assert attracted[3:9] == [372, "—", 240, 1.55, 0.75, "全市第一"]
    assert attracted[9] == 120  # 高新区's typed-in figure
    final = client.post(reverse("briefings:finalise", args=[briefing.pk]), {"version": 2})
    assert final.status_code == 302
    page = client.get(briefing.get_absolute_url()).content.decode()
    assert "保存正文" not in page and "今年1—9月" in page


def test_the_live_report_is_an_officers_own_borough(client, world):
    client.force_login(world["users"]["gxq"])
    gxq = world["jurisdictions"]["gxq"].pk
    response = client.get(reverse("briefings:report"), {"year": 2024, "month": 9, "unit": gxq})
    rows = _rows(response)
    assert rows[0][0] == "武进国家高新区科技创新主要指标完成情况表（2024年1—9月）"
    assert rows[1][3:] == ["武进国家高新区", "", "", "", "", ""]
    other = world["jurisdictions"]["xth"].pk
    asked = client.get(reverse("briefings:report"), {"year": 2024, "month": 9, "unit": other})
    assert asked.status_code == 404
    district = client.get(
        reverse("briefings:report"), {"year": 2024, "month": 9, "unit": "district"}
    )
    assert district.status_code == 404


def test_a_template_is_checked_and_previewed(client, world):
    client.force_login(world["users"]["admin"])
    template = SentenceTemplate.objects.get(code="attracted_tsme")
    url = reverse("briefings:template_edit", args=[template.pk])
    form = {
        "version": 1,
        "section": template.section_id,
        "order": template.order,
        "text": "招引{实绩}家",
        "rank_text": "，系{排名}",
        "joiner": "；",
        "is_active": "on",
    }
    page = client.post(url, form).content.decode()
    assert "未知占位符 {实绩}" in page
    assert SentenceTemplate.objects.get(pk=template.pk).text == template.text
    preview = client.post(
        url,
        {
            **form,
            "text": "招引科技型中小微企业{实际}{单位}[（市目标{市目标}{单位}）]",
            "preview": "1",
        },
        headers={"HX-Request": "true"},
    ).content.decode()
    # last month's district figure: no leads landed and no target in this world (computed 0)
    assert '<p class="mb-0">招引科技型中小微企业0家</p>' in preview
    assert "<html" not in preview  # the partial only
    broken = client.post(url, {**form, "preview": "1"}, headers={"HX-Request": "true"})
    assert "未知占位符 {实绩}" in broken.content.decode()


def test_the_api_gives_the_text_and_the_snapshot_in_scope(client, world, gxq_briefing):
    client.force_login(world["users"]["gxq"])
    body = client.get(f"/api/briefings/{gxq_briefing.pk}").json()
    assert body["title"] == "武进国家高新区 科技工作月报 2024年第9期"
    assert body["paragraphs"][0]["heading"] == "一、科技创新主要指标"
    attracted = next(f for f in body["figures"] if f["code"] == "attracted_tsme")
    assert (attracted["actual"], attracted["source"]) == ("120", "manual")
    assert attracted["jurisdiction_id"] == world["jurisdictions"]["gxq"].pk
    listing = client.get("/api/briefings", {"unit": world["jurisdictions"]["gxq"].pk}).json()
    assert [r["id"] for r in listing["results"]] == [gxq_briefing.pk]
    client.force_login(world["users"]["xth"])
    assert client.get(f"/api/briefings/{gxq_briefing.pk}").status_code == 404
    assert client.get("/api/briefings").json()["count"] == 0
    assert client.get("/api/briefings", {"unit": "elsewhere"}).status_code == 400


def test_the_list_keeps_every_version_and_filters_the_latest(client, world):
    admin = world["users"]["admin"]
    first = services.briefing_generate(actor=admin, year=2024, month=9, jurisdiction_id=None)
    second = services.briefing_generate(actor=admin, year=2024, month=9, jurisdiction_id=None)
    client.force_login(admin)
    page = client.get(reverse("briefings:list")).content.decode()
    assert page.count('data-testid="briefing-row"') == 2 and "全部版本" in page
    latest = client.get(reverse("briefings:list"), {"latest": "true"})
    assert [b.pk for b in latest.context["page"].object_list] == [second.pk]
    district = client.get(reverse("briefings:list"), {"unit": "district", "month": 9})
    assert {b.pk for b in district.context["page"].object_list} == {first.pk, second.pk}


def test_a_generation_whose_owner_lost_the_right_fails_and_writes_nothing(world, settings):
    """The job checks the owner's rights when it runs: an officer moved to a leader's role
    after submitting gets a failed job with the reason, and no briefing."""
    from xinzhi.briefings.jobs import BRIEFING_GENERATE
    from xinzhi.jobs.services import job_run, job_start

    settings.XINZHI_TASK_BACKEND = "database"  # the job waits in the queue until run below
    gxq = world["users"]["gxq"]
    params = {"year": 2024, "month": 9, "jurisdiction": world["jurisdictions"]["gxq"].pk}
    job = job_start(owner=gxq, kind=BRIEFING_GENERATE, params=params)
    assert job.state == "queued"
    gxq.role = "leader"
    gxq.jurisdiction = None
    gxq.save()
    job_run(job.pk)  # what the worker does with the queued task
    job.refresh_from_db()
    assert (job.state, job.error, job.link) == ("failed", "当前角色只能查看统计报告", "")
    assert not Briefing.objects.unscoped().exists()
