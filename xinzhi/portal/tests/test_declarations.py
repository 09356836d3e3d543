"""企业填报: the enterprise declares, the officer compares, accepts (maybe corrected) or returns."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from xinzhi.attraction.models import AftercareRequest
from xinzhi.core.exceptions import ApplicationError, ConcurrentEditError
from xinzhi.core.models import AuditEvent
from xinzhi.enterprises.models import AnnualFigures
from xinzhi.portal import services
from xinzhi.portal.models import Declaration

FIGURES = {
    "employees": 120,
    "tech_staff": 30,
    "revenue": Decimal("5200"),
    "rd_expense": Decimal("310.5"),
}


def _record(enterprise, year=2024):
    return AnnualFigures.objects.unscoped().get(enterprise=enterprise, year=year)


def test_declared_figures_count_only_once_accepted(users, firm_enterprise, manager):
    declaration = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    assert declaration.status == "submitted"
    assert _record(firm_enterprise).revenue == Decimal("4000")  # the record is unchanged
    with pytest.raises(ApplicationError, match="已有待审核的填报"):
        services.declaration_submit(actor=manager, year=2024, data=FIGURES)

    corrected = {**FIGURES, "revenue": Decimal("5100")}
    services.declaration_accept(
        actor=users["gxq"], declaration_id=declaration.pk, values=corrected, version=1
    )

    record = _record(firm_enterprise)
    assert (record.revenue, record.rd_expense, record.employees) == (
        Decimal("5100"),
        Decimal("310.5"),
        120,
    )
    declaration.refresh_from_db()
    assert (declaration.status, declaration.reviewed_by, declaration.version) == (
        "accepted",
        users["gxq"],
        2,
    )
    assert declaration.revenue == Decimal("5200")  # what the enterprise declared stays
    event = AuditEvent.objects.unscoped().filter(object_id=str(declaration.pk)).latest("id")
    assert event.changes["revenue"] == {"label": "销售收入", "before": "5200", "after": "5100"}
    assert event.changes["rd_expense"] == {"label": "研发费用", "before": "310.5", "after": "310.5"}
    # The record's own audit (through figures_save) shows the officer changing it.
    figures_event = (
        AuditEvent.objects.unscoped()
        .filter(object_id=str(record.pk), actor=users["gxq"])
        .latest("id")
    )
    assert figures_event.changes["revenue"]["after"] == "5100"


def test_accepting_refreshes_the_stored_evaluation(
    users, firm_enterprise, manager, django_capture_on_commit_callbacks
):
    from xinzhi.cultivation.models import Evaluation

    declaration = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    assert not Evaluation.objects.unscoped().filter(enterprise=firm_enterprise).exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.declaration_accept(actor=users["gxq"], declaration_id=declaration.pk)
    assert Evaluation.objects.unscoped().filter(enterprise=firm_enterprise).count() > 0


def test_return_needs_a_reason_and_changes_nothing(users, firm_enterprise, manager):
    declaration = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    with pytest.raises(ApplicationError, match="请填写退回原因"):
        services.declaration_return(actor=users["gxq"], declaration_id=declaration.pk, reason=" ")
    services.declaration_return(
        actor=users["gxq"], declaration_id=declaration.pk, reason="研发费用请附审计报告口径"
    )
    declaration.refresh_from_db()
    assert (declaration.status, declaration.return_reason) == (
        "returned",
        "研发费用请附审计报告口径",
    )
    assert _record(firm_enterprise).revenue == Decimal("4000")
    with pytest.raises(ApplicationError, match="已退回，不能再审核"):
        services.declaration_accept(actor=users["gxq"], declaration_id=declaration.pk)
    # After a return the enterprise may declare the year again.
    again = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    assert again.status == "submitted"


def test_who_may_review(users, firm_enterprise, manager):
    declaration = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    with pytest.raises(Declaration.DoesNotExist):
        services.declaration_accept(actor=users["xth"], declaration_id=declaration.pk)
    with pytest.raises(ApplicationError) as refused:
        services.declaration_accept(actor=users["leader"], declaration_id=declaration.pk)
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError) as refused:
        services.declaration_accept(actor=manager, declaration_id=declaration.pk)
    assert refused.value.code == "forbidden"
    with pytest.raises(ApplicationError) as refused:
        services.declaration_submit(actor=users["gxq"], year=2024, data=FIGURES)
    assert refused.value.code == "forbidden"
    declaration.refresh_from_db()
    assert declaration.status == "submitted"


def test_a_stale_review_is_refused(users, firm_enterprise, manager):
    declaration = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    services.declaration_return(
        actor=users["admin"], declaration_id=declaration.pk, reason="缺少数据", version=1
    )
    with pytest.raises(ConcurrentEditError):
        services.declaration_accept(actor=users["gxq"], declaration_id=declaration.pk, version=1)
    assert _record(firm_enterprise).revenue == Decimal("4000")


def test_bad_figures_are_refused_with_chinese_messages(manager):
    with pytest.raises(ValidationError) as exc:
        services.declaration_submit(
            actor=manager, year=2024, data={"employees": 10, "tech_staff": 20}
        )
    assert exc.value.message_dict == {"tech_staff": ["科技人员数不能超过职工总数。"]}
    with pytest.raises(ValidationError) as exc:
        services.declaration_submit(actor=manager, year=2024, data={"revenue": Decimal("-1")})
    assert exc.value.message_dict == {"revenue": ["销售收入不能为负数"]}
    with pytest.raises(ApplicationError, match="填报年度应在1990至"):
        services.declaration_submit(actor=manager, year=2099, data=FIGURES)
    assert not Declaration.objects.unscoped().exists()


def test_pages_side_by_side_and_accept(client, users, firm_enterprise, manager):
    client.force_login(manager)
    response = client.post(
        reverse("portal:declare"),
        {"year": 2024, "employees": 120, "tech_staff": 30, "revenue": "5200", "rd_expense": "300"},
    )
    assert response.status_code == 302
    declaration = Declaration.objects.unscoped().get()
    home = client.get(reverse("portal:home")).content.decode()
    assert "待审核" in home

    client.force_login(users["gxq"])
    listing = client.get(reverse("portal:declarations")).content.decode()
    assert firm_enterprise.name in listing
    page = client.get(reverse("portal:declaration", args=[declaration.pk]))
    rows = {r.name: r for r in page.context["rows"]}
    assert (rows["revenue"].record, rows["revenue"].declared, rows["revenue"].differs) == (
        Decimal("4000.00"),
        Decimal("5200.00"),
        True,
    )
    form = {"version": 1, "employees": 120, "tech_staff": 30, "revenue": "5200"}
    form["rd_expense"] = "300"
    response = client.post(reverse("portal:declaration_accept", args=[declaration.pk]), form)
    assert response.status_code == 302
    assert _record(firm_enterprise).revenue == Decimal("5200")
    # A second accept (a double click) is refused and changes nothing.
    response = client.post(reverse("portal:declaration_accept", args=[declaration.pk]), form)
    assert response.status_code == 400
    assert "该填报已被他人处理" in response.content.decode()


def test_return_page_requires_a_reason(client, users, manager):
    declaration = services.declaration_submit(actor=manager, year=2024, data=FIGURES)
    client.force_login(users["gxq"])
    url = reverse("portal:declaration_return", args=[declaration.pk])
    response = client.post(url, {"version": 1, "reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"version": 1, "reason": "口径不符"})
    assert response.status_code == 302
    client.force_login(manager)
    page = client.get(reverse("portal:declaration", args=[declaration.pk])).content.decode()
    assert "退回原因：口径不符" in page


def test_growth_path_shows_the_card_and_open_calls(client, manager):
    client.force_login(manager)
    response = client.get(reverse("portal:growth"))
    assert response.status_code == 200
    families = [f.family for f in response.context["report"]]
    assert "tech_sme" in families
    assert response.context["calls"] == []


def test_service_request_from_the_enterprise_and_the_officers_reply(client, users, manager):
    from xinzhi.attraction import services as attraction

    client.force_login(manager)
    response = client.post(
        reverse("portal:requests"),
        {"kind": "premises", "title": "扩租标准厂房 2000 平方米", "description": "二期产线"},
    )
    assert response.status_code == 302
    item = AftercareRequest.objects.unscoped().get()
    assert (item.enterprise_id, item.status, item.owner) == (manager.enterprise_id, "open", None)
    # The 板块's officer sees it on the aftercare list and answers it there.
    client.force_login(users["gxq"])
    assert "扩租标准厂房" in client.get(reverse("attraction:aftercare_list")).content.decode()
    attraction.aftercare_advance(
        actor=users["gxq"], request=item, status="closed", resolution="已对接高新区标准厂房三期"
    )
    client.force_login(manager)
    page = client.get(reverse("portal:requests")).content.decode()
    assert "办理结果：已对接高新区标准厂房三期" in page
    with pytest.raises(ApplicationError) as refused:
        services.service_request_submit(actor=users["gxq"], kind="premises", title="x")
    assert refused.value.code == "forbidden"
