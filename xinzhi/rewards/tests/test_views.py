"""Pages, export and API as each role, and another jurisdiction's objects (404, nothing changed)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from xinzhi.rewards import services
from xinzhi.rewards.models import Entitlement

D = dt.date


@pytest.fixture
def two(users, policy, make_enterprise, give_title):
    """A new 高企 in 高新区 (gxq) and one in 西太湖 (xth), 2024, run by the admin."""
    a = make_enterprise("高新区甲有限公司", "gxq")
    b = make_enterprise("西太湖乙有限公司", "xth")
    give_title(a, "hnte", D(2024, 5, 1))
    give_title(b, "hnte", D(2024, 6, 1))
    services.entitlement_run(actor=users["admin"], year=2024)
    return (
        Entitlement.objects.unscoped().get(enterprise=a),
        Entitlement.objects.unscoped().get(enterprise=b),
    )


def test_officer_list_shows_only_their_jurisdiction_with_totals(login, users, two):
    response = login(users["gxq"]).get("/rewards/?year=2024")
    assert response.status_code == 200
    body = response.content.decode()
    assert "高新区甲有限公司" in body and "西太湖乙有限公司" not in body
    assert response.context["totals"]["owed_yuan"] == Decimal(200000)
    assert response.context["totals"]["count"] == 1


def test_another_jurisdictions_entitlement_is_404_and_unchanged(login, users, two):
    mine, theirs = two
    client = login(users["gxq"])
    assert client.get(f"/rewards/{theirs.pk}/").status_code == 404
    assert client.post(f"/rewards/{theirs.pk}/confirm/").status_code == 404
    assert client.post(f"/rewards/{theirs.pk}/return/", {"reason": "x"}).status_code == 404
    response = client.post("/rewards/bulk/", {"action": "confirm", "ids": [theirs.pk]})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert (theirs.status, theirs.version) == ("calculated", 1)


def test_officer_confirms_from_the_page_but_cannot_approve(login, users, two):
    mine, _ = two
    client = login(users["gxq"])
    client.post(f"/rewards/{mine.pk}/confirm/")
    mine.refresh_from_db()
    assert mine.status == "confirmed"
    assert client.post(f"/rewards/{mine.pk}/approve/").status_code == 403
    assert client.post("/rewards/bulk/", {"action": "approve", "ids": [mine.pk]}).status_code == 403
    mine.refresh_from_db()
    assert mine.status == "confirmed"


def test_export_is_the_same_filtered_list(login, users, two):
    response = login(users["admin"]).get("/rewards/export.xlsx?year=2024&q=西太湖")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[0][:6] == [
        "年度",
        "企业名称",
        "统一社会信用代码",
        "所属板块",
        "奖补事项",
        "兑现金额（元）",
    ]
    assert len(sheet) == 2
    assert sheet[1][1] == "西太湖乙有限公司"
    assert sheet[1][5] == 200000
    assert sheet[1][7] == "2024年新认定高新技术企业，奖励20万元"


def test_api_lists_entitlements_exactly_as_specified_and_scoped(client, login, users, two):
    mine, _ = two
    response = login(users["gxq"]).get("/api/rewards/entitlements?year=2024")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert data["results"] == [
        {
            "id": mine.pk,
            "enterprise_id": mine.enterprise_id,
            "enterprise_name": "高新区甲有限公司",
            "jurisdiction_name": "武进国家高新技术产业开发区",
            "item": "首次认定高企奖励",
            "amount_yuan": "200000.00",
            "status": "calculated",
            "explanation": "2024年新认定高新技术企业，奖励20万元",
        }
    ]
    assert login(users["admin"]).get("/api/rewards/entitlements?year=2024").json()["count"] == 2
    assert login(users["admin"]).get("/api/rewards/entitlements?year=2023").json()["count"] == 0
    bad = login(users["gxq"]).get("/api/rewards/entitlements?year=2024&status=nope")
    assert bad.status_code == 400


def test_public_page_shows_only_what_was_approved_for_publicity(client, users, two):
    admin = users["admin"]
    mine, theirs = two
    services.entitlements_confirm(actor=admin, ids=[mine.pk, theirs.pk])
    services.entitlements_approve(actor=admin, ids=[mine.pk])
    today = timezone.localdate()
    publicity = services.publicity_create(
        actor=admin, year=2024, title="", starts_on=today, ends_on=today + dt.timedelta(days=6)
    )
    client.logout()
    response = client.get(f"/rewards/publicity/{publicity.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "高新区甲有限公司" in body and "西太湖乙有限公司" not in body
    assert "2024年度科技奖补兑现名单公示" in body
    posted = client.post(
        f"/rewards/publicity/{publicity.pk}/",
        {"entitlement": mine.pk, "submitter": "李四", "contact": "", "content": "该企业已注销"},
    )
    assert posted.status_code == 302
    assert mine.objections.model.objects.unscoped().filter(submitter="李四").count() == 1
    wrong = client.post(
        f"/rewards/publicity/{publicity.pk}/",
        {"entitlement": theirs.pk, "submitter": "李四", "content": "x"},
    )
    assert wrong.status_code == 200
    assert "请选择公示名单中的事项。" in wrong.content.decode()


def test_a_publicity_not_yet_started_is_not_public(client, users, two):
    admin = users["admin"]
    mine, _ = two
    services.entitlements_confirm(actor=admin, ids=[mine.pk])
    services.entitlements_approve(actor=admin, ids=[mine.pk])
    today = timezone.localdate()
    later = services.publicity_create(
        actor=admin,
        year=2024,
        title="",
        starts_on=today + dt.timedelta(days=3),
        ends_on=today + dt.timedelta(days=9),
    )
    assert client.get(f"/rewards/publicity/{later.pk}/").status_code == 404


def test_enterprise_user_sees_own_confirmed_rewards_and_confirms_bank(client, users, two):
    from xinzhi.accounts.services import user_create

    mine, theirs = two
    firm = user_create(
        username="firm",
        password="xinzhi-test-pass",
        role="enterprise",
        enterprise_id=mine.enterprise_id,
    )
    client.force_login(firm)
    page = client.get("/rewards/mine/")
    assert "首次认定高企奖励" not in page.content.decode()  # not confirmed by the 板块 yet
    services.entitlements_confirm(actor=users["gxq"], ids=[mine.pk])
    page = client.get("/rewards/mine/")
    assert "首次认定高企奖励" in page.content.decode()
    assert "西太湖乙有限公司" not in page.content.decode()
    response = client.post(
        "/rewards/mine/",
        {
            "account_name": "高新区甲有限公司",
            "bank_name": "江南农商行",
            "account_no": "6228480012345678",
        },
    )
    assert response.status_code == 302
    from xinzhi.rewards.models import BankAccount

    account = BankAccount.objects.unscoped().get()
    assert (account.enterprise_id, account.confirmed_by) == (mine.enterprise_id, firm)


def test_rewards_on_the_enterprise_timeline(login, users, two):
    mine, _ = two
    response = login(users["gxq"]).get(f"/enterprises/{mine.enterprise_id}/")
    assert "2024年首次认定高企奖励20万元（测算）" in response.content.decode()


def test_budget_page_moves_with_approval(login, users, two):
    admin = users["admin"]
    mine, _ = two
    client = login(admin)
    before = client.get("/rewards/budget/?year=2024").context["rows"]
    line = next(r for r in before if r["line"].code == "titles")
    assert (line["budget"], line["committed"], line["remaining"]) == (
        Decimal(1000000),
        Decimal(0),
        Decimal(1000000),
    )
    services.entitlements_confirm(actor=admin, ids=[mine.pk])
    services.entitlements_approve(actor=admin, ids=[mine.pk])
    after = client.get("/rewards/budget/?year=2024").context["rows"]
    line = next(r for r in after if r["line"].code == "titles")
    assert (line["committed"], line["remaining"]) == (Decimal(200000), Decimal(800000))
    assert login(users["gxq"]).get("/rewards/budget/?year=2024").status_code == 403


def test_admin_sets_a_budget_audited_and_a_stale_form_is_refused(login, users, policy):
    from xinzhi.core.models import AuditEvent
    from xinzhi.rewards.models import BudgetLine

    line = BudgetLine.objects.get(year=2024, code="titles")
    assert (
        login(users["leader"])
        .post(f"/rewards/budget/{line.pk}/", {"amount_wan": "1", "version": line.version})
        .status_code
        == 403
    )
    client = login(users["admin"])
    client.post(f"/rewards/budget/{line.pk}/", {"amount_wan": "150", "version": line.version})
    line.refresh_from_db()
    assert (line.amount_wan, line.version) == (Decimal(150), 2)
    event = AuditEvent.all_objects.get(object_type="rewards.budgetline", object_id=str(line.pk))
    assert event.changes["amount_wan"] == {
        "label": "年度预算（万元）",
        "before": "100.00",
        "after": "150",
    }
    response = client.post(
        f"/rewards/budget/{line.pk}/", {"amount_wan": "90", "version": 1}, follow=True
    )
    assert "该记录已被他人修改" in response.content.decode()
    line.refresh_from_db()
    assert line.amount_wan == Decimal(150)
