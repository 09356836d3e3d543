"""One of each 项目推进 object in 高新区, for the permission table (core/tests)."""

from __future__ import annotations

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xinzhi.projects import services
from xinzhi.projects.delays import previous_month
from xinzhi.projects.models import CoordinationIssue, Milestone, ReportPhoto


def permission_world(*, admin, jurisdiction, enterprise) -> dict[str, int]:
    """A key project (with a report two months back, a problem and a photo) and a funded one.

    Last month's report is left unfiled, so the table's POST of a report succeeds once.
    """
    project_type = services.types_ensure_defaults()[0]
    today = timezone.localdate()
    project = services.key_project_create(
        actor=admin,
        data={
            "name": "智能电网GIS组合式电力设备项目",
            "project_type": project_type,
            "enterprise": enterprise,
            "jurisdiction": jurisdiction,
            "year": today.year,
            "total_investment": Decimal("12000"),
            "reports_from": previous_month(previous_month(today)),
        },
    )
    report = services.report_submit(
        actor=admin,
        project=project,
        month=previous_month(previous_month(today)),
        data={"invested_month": Decimal("10"), "invested_total": Decimal("10"), "progress": "开工"},
        issues=[services.IssueSpec("用电增容", "区供电公司")],
        photos=[SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff")],
    )
    funded = services.funded_create(
        actor=admin,
        data={
            "name": "新型无掩膜直写微米光刻系统关键技术研发",
            "level": "municipal",
            "programme": "常州市重点研发计划（产业前瞻与关键核心技术）",
            "year": 2023,
            "enterprise": enterprise,
            "budget_total": Decimal("500"),
            "funding_grant": Decimal("100"),
            "funding_self": Decimal("400"),
            "starts_on": today.replace(year=today.year - 2),
            "ends_on": today.replace(year=today.year + 1),
            "approved_on": today.replace(year=today.year - 2),
        },
    )
    return {
        "project": project.pk,
        "milestone": Milestone.all_objects.filter(project=project).first().pk,
        "report": report.pk,
        "report_month": previous_month(today).isoformat(),
        "issue": CoordinationIssue.all_objects.get(report=report).pk,
        "photo": ReportPhoto.all_objects.get(report=report).pk,
        "funded": funded.pk,
    }


def page_key(url_name: str) -> str:
    """Which object a projects page's `<int:pk>` names."""
    if url_name.startswith("funded"):
        return "funded"
    return {"report_edit": "report", "photo": "photo", "issue_close": "issue"}.get(
        url_name, "project"
    )
