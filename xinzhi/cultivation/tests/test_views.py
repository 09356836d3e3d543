import io
import re
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from xinzhi.cultivation.models import CultivationTrack, QualificationProfile
from xinzhi.cultivation.services import evaluations_refresh, track_move
from xinzhi.enterprises.models import Enterprise

from .conftest import LAST_YEAR


@pytest.fixture
def two_parks(qualified):
    mine = qualified("常州高新评估有限公司", "gxq")
    other = qualified("常州西太湖评估有限公司", "xth")
    weak = qualified("常州高新弱势有限公司", "gxq", rd=Decimal("100"), tech_staff=10, class1=0)
    evaluations_refresh(Enterprise.objects.unscoped())
    return mine, other, weak


def test_candidate_list_shows_own_park_only_and_exports_it(login, users, two_parks):
    mine, other, weak = two_parks
    client = login(users["gxq"])
    html = client.get("/cultivation/candidates/tech_sme/").content.decode()
    assert "常州高新评估有限公司" in html
    assert "常州西太湖评估有限公司" not in html
    assert "常州高新弱势有限公司" not in html  # ineligible: not a candidate
    assert re.search(r'data-testid="total">1<', html)
    response = client.get("/cultivation/candidates/tech_sme/export.xlsx")
    rows = (
        CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        .get_sheet_by_index(0)
        .to_python()
    )
    assert rows[0][:5] == ["统一社会信用代码", "企业名称", "所属板块", "政策", "结论"]
    assert [(r[1], r[3], r[4], r[5], r[8]) for r in rows[1:]] == [
        ("常州高新评估有限公司", "科技型中小企业评价（国科发政〔2017〕115号）", "符合", 100.0, 0.0)
    ]
    assert client.get("/cultivation/candidates/nobel/").status_code == 404


def test_ladder_counts_are_scoped(login, users, two_parks):
    mine, other, _ = two_parks
    track_move(actor=users["admin"], enterprise=mine, family="hnte", to_stage="apply")
    track_move(actor=users["admin"], enterprise=other, family="hnte", to_stage="apply")
    gxq = login(users["gxq"]).get("/cultivation/").content.decode()
    row = re.search(r'<tr data-family="hnte">(.*?)</tr>', gxq, re.S).group(1)
    cells = re.findall(r'<td class="text-end[^"]*">(?:<a[^>]*>)?(\d+)', row)
    assert cells[:6] == ["0", "0", "1", "0", "0", "1"]  # 储备 培育 申报 认定 成长 合计
    # The funnel's numbers are the lists behind them.
    stage_page = login(users["gxq"]).get("/cultivation/stages/hnte/apply/").content.decode()
    assert stage_page.count('data-testid="stage-row"') == 1
    assert "常州高新评估有限公司" in stage_page and "常州西太湖评估有限公司" not in stage_page
    candidates = re.search(r'data-testid="candidates-tech_sme">(\d+)<', gxq).group(1)
    listed = login(users["gxq"]).get("/cultivation/candidates/tech_sme/").content.decode()
    assert listed.count('data-testid="candidate-row"') == int(candidates) == 1
    admin = login(users["admin"]).get("/cultivation/").content.decode()
    row = re.search(r'<tr data-family="hnte">(.*?)</tr>', admin, re.S).group(1)
    assert re.findall(r'<td class="text-end[^"]*">(?:<a[^>]*>)?(\d+)', row)[5] == "2"


def test_health_card_explains_each_title(login, users, two_parks):
    _, _, weak = two_parks
    html = login(users["gxq"]).get(f"/cultivation/enterprises/{weak.pk}/card/").content.decode()
    assert 'data-testid="health-tech_sme"' in html
    assert "14 / 60" in html
    assert "综合评价得分" in html
    assert "研发费用增加" in html  # a lever with its number


def test_what_if_turns_ineligible_into_eligible_without_saving(login, users, two_parks):
    _, _, weak = two_parks
    client = login(users["gxq"])
    response = client.post(
        f"/cultivation/enterprises/{weak.pk}/what-if/",
        {
            f"f_financials_{LAST_YEAR}__rd_expense": "300",
            "f_tech_staff": "30",
            "f_ip_class1": "1",
        },
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    row = re.search(r'data-testid="what-if-tech-sme-2017".*?</tr>', html, re.S).group(0)
    assert "暂不符合" in row and "符合</span>" in row.split("暂不符合")[1]
    assert "14 → 100" in row
    adjusted = (
        f"调整：{LAST_YEAR}年研发费用（万元） 100 → 300；"
        "科技人员数 10 → 30；Ⅰ类知识产权（件） 0 → 1"
    )
    assert adjusted in html
    assert "financials." not in html
    weak.refresh_from_db()
    assert weak.figures.model.objects.unscoped().get(
        enterprise=weak, year=LAST_YEAR
    ).rd_expense == Decimal("100")


def test_what_if_rejects_impossible_input(login, users, two_parks):
    _, _, weak = two_parks
    html = (
        login(users["gxq"])
        .post(
            f"/cultivation/enterprises/{weak.pk}/what-if/",
            {"f_employees": "10", "f_tech_staff": "30"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert "科技人员数 30 大于职工总数 10" in html  # the engine's shared validation


def test_move_from_the_list_records_the_stage(login, users, two_parks):
    mine, _, _ = two_parks
    client = login(users["gxq"])
    response = client.post(
        f"/cultivation/enterprises/{mine.pk}/move/",
        {"family": "tech_sme", "stage": "apply", "next": "/cultivation/candidates/tech_sme/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/cultivation/candidates/tech_sme/"
    assert CultivationTrack.objects.unscoped().get(enterprise=mine).stage == "apply"
    evil = client.post(
        f"/cultivation/enterprises/{mine.pk}/move/",
        {"family": "tech_sme", "stage": "certified", "next": "https://evil.example/"},
    )
    assert evil["Location"] == mine.get_absolute_url()


@pytest.mark.parametrize("path", ["card/", "what-if/", "profile/"])
def test_other_jurisdiction_reads_are_not_found(login, users, two_parks, path):
    _, other, _ = two_parks
    assert login(users["gxq"]).get(f"/cultivation/enterprises/{other.pk}/{path}").status_code == 404


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("move/", {"family": "hnte", "stage": "apply"}),
        ("profile/", {"resident": "False"}),
        ("what-if/", {"rd_expense": "1"}),
    ],
)
def test_other_jurisdiction_writes_are_not_found_and_change_nothing(
    login, users, two_parks, path, data
):
    _, other, _ = two_parks
    response = login(users["gxq"]).post(f"/cultivation/enterprises/{other.pk}/{path}", data)
    assert response.status_code == 404
    assert not CultivationTrack.objects.unscoped().filter(enterprise=other).exists()
    assert QualificationProfile.objects.unscoped().get(enterprise=other).resident is True


def test_leader_cannot_move(login, users, two_parks):
    mine, _, _ = two_parks
    response = login(users["leader"]).post(
        f"/cultivation/enterprises/{mine.pk}/move/", {"family": "hnte", "stage": "apply"}
    )
    assert response.status_code == 403


def test_api_is_scoped(login, users, two_parks):
    mine, other, _ = two_parks
    client = login(users["gxq"])
    body = client.get("/api/cultivation/candidates/tech_sme").json()
    assert [r["enterprise_name"] for r in body["results"]] == ["常州高新评估有限公司"]
    assert body["results"][0]["policy_name"] == "科技型中小企业评价（国科发政〔2017〕115号）"
    live = client.get(f"/api/cultivation/enterprises/{mine.pk}/evaluation").json()
    tech = next(r for r in live["results"] if r["policy"] == "tech-sme-2017")
    assert tech["verdict"] == "eligible" and tech["score"]["min"] == 100
    assert client.get(f"/api/cultivation/enterprises/{other.pk}/evaluation").status_code == 404
    ladder = client.get("/api/cultivation/ladder").json()
    assert next(r for r in ladder["rows"] if r["family"] == "tech_sme")["candidates"] == 1


def test_expiring_titles_are_flagged_months_ahead(login, users, make_enterprise):
    import datetime as dt

    from xinzhi.enterprises.models import TitleHeld

    soon = make_enterprise("即将到期企业", "gxq")
    later = make_enterprise("远期企业", "gxq")
    other = make_enterprise("西太湖到期企业", "xth")
    today = dt.date.today()
    for enterprise, days in ((soon, 60), (later, 400), (other, 30)):
        TitleHeld.objects.unscoped().create(
            enterprise=enterprise, title="hnte", valid_until=today + dt.timedelta(days=days)
        )
    html = login(users["gxq"]).get("/cultivation/expiring/").content.decode()
    assert "即将到期企业" in html
    assert "远期企业" not in html and "西太湖到期企业" not in html


def test_reevaluate_command(two_parks, capsys):
    from django.core.management import call_command

    call_command("reevaluate", "--workers", "1")
    out = capsys.readouterr().out
    assert "评估 3 家企业 × 11 项政策" in out
    assert "完成：保存 33 条评估结论" in out
    with pytest.raises(Exception, match="--as-of 日期格式应为 YYYY-MM-DD"):
        call_command("reevaluate", "--as-of", "2025/01/01")


def test_profile_edit_without_the_version_is_refused(login, users, two_parks):
    mine, _, _ = two_parks
    profile = QualificationProfile.objects.unscoped().get(enterprise=mine)
    assert profile.resident is True
    response = login(users["gxq"]).post(
        f"/cultivation/enterprises/{mine.pk}/profile/", {"resident": "False"}
    )
    assert response.status_code == 200
    assert "该记录已被他人修改，请刷新后在最新内容上重新编辑。" in response.content.decode()
    profile.refresh_from_db()
    assert (profile.resident, profile.version) == (True, 1)


def test_a_large_candidate_export_becomes_a_job_with_exactly_the_scoped_rows(
    settings, login, users, two_parks
):
    from xinzhi.jobs.models import Job

    settings.XINZHI_EXPORT_JOB_ROWS = 0
    client = login(users["gxq"])
    response = client.get("/cultivation/candidates/tech_sme/export.xlsx")
    job = Job.objects.get(kind="candidate_export")
    assert response.url == f"/jobs/{job.pk}/"
    assert job.params == {"family": "tech_sme", "query": ""}
    assert (job.state, job.done, job.total) == (Job.State.SUCCEEDED, 1, 1)
    assert "共导出 1 家企业" in client.get(response.url).content.decode()
    download = client.get(f"/jobs/{job.pk}/result/")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(download.content)).get_sheet_by_index(0)
    assert [r[1] for r in rows.to_python()[1:]] == ["常州高新评估有限公司"]
    # The admin's job holds both parks' candidates, and only the candidates.
    login(users["admin"]).get("/cultivation/candidates/tech_sme/export.xlsx")
    job = Job.objects.filter(kind="candidate_export").latest("id")
    download = login(users["admin"]).get(f"/jobs/{job.pk}/result/")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(download.content)).get_sheet_by_index(0)
    assert sorted(r[1] for r in rows.to_python()[1:]) == [
        "常州西太湖评估有限公司",
        "常州高新评估有限公司",
    ]
