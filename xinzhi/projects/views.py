"""项目推进 pages: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.core.errors import run_service
from xinzhi.projects import jobs, selectors, services
from xinzhi.projects.choices import IssueStatus
from xinzhi.projects.delays import due_month
from xinzhi.projects.forms import (
    FundedProjectForm,
    FundedStageForm,
    IssueCloseForm,
    IssueForm,
    KeyProjectForm,
    MilestoneForm,
    MilestonesForm,
    ReportEditForm,
    ReportForm,
)
from xinzhi.projects.models import (
    CoordinationIssue,
    FundedProject,
    KeyProject,
    Milestone,
    MonthlyReport,
    ReportPhoto,
    WarningSettings,
)

view_required = rule_required(permissions.can_view_projects)
edit_message = permissions.READ_ONLY_MESSAGE


def _require_editor(request: HttpRequest) -> None:
    permissions.require(permissions.can_edit_projects(request.user), edit_message)


def _project_or_404(request: HttpRequest, pk: int) -> KeyProject:
    try:
        return selectors.key_get(user=request.user, pk=pk)
    except KeyProject.DoesNotExist as exc:
        raise Http404("重点项目不存在或不在您的管辖范围内") from exc


def _funded_or_404(request: HttpRequest, pk: int) -> FundedProject:
    try:
        return selectors.funded_get(user=request.user, pk=pk)
    except FundedProject.DoesNotExist as exc:
        raise Http404("科技计划项目不存在或不在您的管辖范围内") from exc


def _report_or_404(request: HttpRequest, pk: int) -> MonthlyReport:
    try:
        return selectors.report_get(user=request.user, pk=pk)
    except MonthlyReport.DoesNotExist as exc:
        raise Http404("月报不存在或不在您的管辖范围内") from exc


def _list_template(request: HttpRequest, template: str) -> str:
    return f"{template}#results" if request.htmx and request.htmx.target == "results" else template


# ---------------------------------------------------------------- key projects


@view_required
def project_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.key_filterset(user=request.user, params=request.GET)
    context = {
        "filterset": filterset,
        "page": Paginator(filterset.qs, 50).get_page(request.GET.get("page")),
    }
    return render(request, _list_template(request, "projects/project_list.html"), context)


@view_required
def project_export(request: HttpRequest) -> HttpResponse:
    return jobs.KEY_PROJECT_EXPORT.response(request)


@view_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    today = timezone.localdate()
    milestones = selectors.key_milestones(user=request.user, project=project)
    reports = selectors.key_reports(user=request.user, project=project)
    context = {
        "project": project,
        "milestones": milestones,
        "reports": reports,
        "issues": selectors.key_issues(user=request.user, project=project),
        "progress": selectors.project_progress(project, reports),
        "gantt": selectors.gantt_chart(milestones, today),
        "audit_events": selectors.key_audit_events(user=request.user, project=project),
        "today": today,
        "issue_form": IssueForm(),
    }
    return render(request, "projects/project_detail.html", context)


@view_required
def project_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = KeyProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.PROJECT_FIELDS}
        created = run_service(
            request, lambda: services.key_project_create(actor=request.user, data=data), form=form
        )
        if created:
            messages.success(
                request, f"已登记重点项目“{created.value.name}”，请填写各节点计划日期。"
            )
            return redirect("projects:milestones_edit", pk=created.value.pk)
    return render(request, "projects/form.html", {"form": form, "heading": "登记区重点项目"})


@view_required
def project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    _require_editor(request)
    form = KeyProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.PROJECT_FIELDS if k != "project_type"}
        saved = run_service(
            request,
            lambda: services.key_project_update(
                actor=request.user,
                project=project,
                data=data,
                expected_version=form.cleaned_data["version"],
            ),
            success="重点项目已保存。",
            form=form,
        )
        if saved:
            return redirect(project)
    context = {
        "form": form,
        "heading": f"编辑重点项目：{project.name}",
        "back": project.get_absolute_url(),
    }
    return render(request, "projects/form.html", context)


@view_required
def milestone_edit(request: HttpRequest, pk: int, milestone_id: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    _require_editor(request)
    try:
        milestone = selectors.milestone_get(user=request.user, project=project, pk=milestone_id)
    except Milestone.DoesNotExist as exc:
        raise Http404("节点不存在") from exc
    initial = {
        "planned_on": milestone.planned_on,
        "actual_on": milestone.actual_on,
        "note": milestone.note,
        "version": project.version,
    }
    form = MilestoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: services.milestone_record(
                actor=request.user,
                milestone=milestone,
                planned_on=data["planned_on"],
                actual_on=data["actual_on"],
                note=data["note"],
                expected_version=data["version"],
            ),
            success=f"“{milestone.kind.name}”节点已更新。",
            form=form,
        )
        if saved:
            return redirect(project)
    context = {
        "form": form,
        "heading": f"{project.name}：{milestone.kind.name}节点",
        "back": project.get_absolute_url(),
    }
    return render(request, "projects/form.html", context)


@view_required
def milestones_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """节点计划与实际: every milestone of the project in one form, saved all or nothing."""
    project = _project_or_404(request, pk)
    _require_editor(request)
    milestones = selectors.key_milestones(user=request.user, project=project)
    form = MilestonesForm(
        request.POST or None, milestones=milestones, initial={"version": project.version}
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            request,
            lambda: services.milestones_record(
                actor=request.user,
                project=project,
                dates=form.dates(),
                expected_version=form.cleaned_data["version"],
            ),
            form=form,
        )
        if saved:
            messages.success(request, f"已更新{saved.value}个节点。")
            return redirect(project)
    context = {"form": form, "project": project}
    return render(request, "projects/milestones_form.html", context)


# ---------------------------------------------------------------- monthly reports


@view_required
def report_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    _require_editor(request)
    rules = WarningSettings.current()
    initial = {
        "month": request.GET.get("month") or due_month(timezone.localdate(), rules.report_due_day)
    }
    form = ReportForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        issues = []
        if data["issue_description"].strip() or data["issue_owner"].strip():
            issues.append(
                services.IssueSpec(
                    data["issue_description"], data["issue_owner"], data["issue_due_on"]
                )
            )
        filed = run_service(
            request,
            lambda: services.report_submit(
                actor=request.user,
                project=project,
                month=data["month"],
                data={k: data[k] for k in services.REPORT_FIELDS},
                issues=issues,
                photos=data["photos"],
            ),
            form=form,
        )
        if filed:
            messages.success(request, f"已报送{filed.value.month:%Y年%m月}月报。")
            return redirect(project)
    context = {
        "form": form,
        "heading": f"报送月报：{project.name}",
        "back": project.get_absolute_url(),
        "multipart": True,
    }
    return render(request, "projects/form.html", context)


@view_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_or_404(request, pk)
    _require_editor(request)
    initial = {
        "invested_month": report.invested_month,
        "invested_total": report.invested_total,
        "progress": report.progress,
        "version": report.version,
    }
    form = ReportEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            request,
            lambda: services.report_update(
                actor=request.user,
                report=report,
                data={k: data[k] for k in services.REPORT_FIELDS},
                expected_version=data["version"],
            ),
            success=f"{report.month:%Y年%m月}月报已更正。",
            form=form,
        )
        if saved:
            return redirect(report.project)
    context = {
        "form": form,
        "heading": f"更正{report.month:%Y年%m月}月报：{report.project.name}",
        "back": report.project.get_absolute_url(),
    }
    return render(request, "projects/form.html", context)


@view_required
def photo(request: HttpRequest, pk: int) -> FileResponse:
    try:
        item = selectors.photo_get(user=request.user, pk=pk)
    except ReportPhoto.DoesNotExist as exc:
        raise Http404("照片不存在或不在您的管辖范围内") from exc
    return FileResponse(item.file.open("rb"), filename=item.name)


@view_required
def reports_due(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "rows": selectors.reports_due(user=request.user, today=today),
        "rules": WarningSettings.current(),
        "today": today,
    }
    return render(request, "projects/reports_due.html", context)


# ---------------------------------------------------------------- coordination problems


@view_required
def issue_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", IssueStatus.OPEN)
    status = status if status in IssueStatus.values else ""
    queryset = selectors.issue_list(user=request.user, status=status)
    context = {
        "page": Paginator(queryset, 50).get_page(request.GET.get("page")),
        "status": status,
        "statuses": IssueStatus.choices,
        "close_form": IssueCloseForm(),
    }
    return render(request, "projects/issue_list.html", context)


@require_POST
@view_required
def issue_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    _require_editor(request)
    form = IssueForm(request.POST)
    if form.is_valid():
        spec = services.IssueSpec(**form.cleaned_data)
        run_service(
            request,
            lambda: services.issue_create(actor=request.user, project=project, spec=spec),
            success="需协调问题已登记。",
        )
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect(project)


@require_POST
@view_required
def issue_close(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        issue = selectors.issue_get(user=request.user, pk=pk)
    except CoordinationIssue.DoesNotExist as exc:
        raise Http404("问题不存在或不在您的管辖范围内") from exc
    _require_editor(request)
    form = IssueCloseForm(request.POST)
    form.is_valid()
    run_service(
        request,
        lambda: services.issue_close(
            actor=request.user,
            issue=issue,
            resolution=form.cleaned_data.get("resolution", ""),
            on=form.cleaned_data.get("on"),
        ),
        success="问题已办结。",
    )
    target = request.POST.get("next")
    return redirect(issue.project if target == "project" else reverse("projects:issue_list"))


# ---------------------------------------------------------------- dashboard


@view_required
def dashboard(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() and 2000 <= int(year) <= 2100 else None
    context = selectors.dashboard(user=request.user, year=year)
    this_year = timezone.localdate().year
    context["years"] = range(this_year, this_year - 4, -1)
    context["funded"] = selectors.funded_by_level(user=request.user, year=context["year"])
    return render(request, "projects/dashboard.html", context)


# ---------------------------------------------------------------- 科技计划项目


@view_required
def funded_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.funded_filterset(user=request.user, params=request.GET)
    context = {
        "filterset": filterset,
        "page": Paginator(filterset.qs, 50).get_page(request.GET.get("page")),
        "summary": selectors.funded_summary(filterset.qs),
    }
    return render(request, _list_template(request, "projects/funded_list.html"), context)


@view_required
def funded_export(request: HttpRequest) -> HttpResponse:
    return jobs.FUNDED_EXPORT.response(request)


@view_required
def funded_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = _funded_or_404(request, pk)
    context = {
        "project": project,
        "audit_events": selectors.funded_audit_events(user=request.user, project=project),
        "stage_form": FundedStageForm(initial={"version": project.version}),
    }
    return render(request, "projects/funded_detail.html", context)


@view_required
def funded_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = FundedProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.FUNDED_FIELDS}
        created = run_service(
            request, lambda: services.funded_create(actor=request.user, data=data), form=form
        )
        if created:
            messages.success(request, f"已登记科技计划项目“{created.value.name}”。")
            return redirect(created.value)
    context = {"form": form, "heading": "登记科技计划项目", "back": reverse("projects:funded_list")}
    return render(request, "projects/form.html", context)


@view_required
def funded_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _funded_or_404(request, pk)
    _require_editor(request)
    form = FundedProjectForm(request.POST or None, instance=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.FUNDED_FIELDS}
        saved = run_service(
            request,
            lambda: services.funded_update(
                actor=request.user,
                project=project,
                data=data,
                expected_version=form.cleaned_data["version"],
            ),
            success="科技计划项目已保存。",
            form=form,
        )
        if saved:
            return redirect(project)
    context = {
        "form": form,
        "heading": f"编辑科技计划项目：{project.name}",
        "back": project.get_absolute_url(),
    }
    return render(request, "projects/form.html", context)


@require_POST
@view_required
def funded_stage(request: HttpRequest, pk: int) -> HttpResponse:
    project = _funded_or_404(request, pk)
    _require_editor(request)
    form = FundedStageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(project)
    data = form.cleaned_data
    service = services.funded_midterm if data["step"] == "midterm" else services.funded_accept
    run_service(
        request,
        lambda: service(
            actor=request.user,
            project=project,
            on=data["on"],
            result=data["result"],
            note=data["note"],
            expected_version=data["version"],
        ),
        success="已登记。",
    )
    return redirect(project)
