"""Enterprise pages: thin views over selectors and services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.core.errors import form_add_service_error, run_service
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.pagination import capped_page
from xinzhi.core.panels import enterprise_panels
from xinzhi.core.timeline import enterprise_timeline
from xinzhi.enterprises import imports, jobs, selectors, services
from xinzhi.enterprises.exports import enterprise_columns
from xinzhi.enterprises.forms import EnterpriseForm, FiguresForm, IncidentForm, IPForm, TitleForm
from xinzhi.enterprises.models import Enterprise, Incident
from xinzhi.jobs import services as job_services
from xinzhi.jobs.imports import import_page
from xinzhi.spreadsheets.export import write_workbook, xlsx_response


def _enterprise_or_404(request: HttpRequest, pk: int) -> Enterprise:
    try:
        return selectors.enterprise_get(user=request.user, pk=pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404("企业不存在或不在您的管辖范围内") from exc


def _require_editor(request: HttpRequest) -> None:
    permissions.require_editor(request.user)


@rule_required(permissions.can_use_enterprise_lists)
def enterprise_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.enterprise_filterset(user=request.user, params=request.GET)
    queryset, year = selectors.enterprise_list(
        user=request.user, params=request.GET, filterset=filterset
    )
    rows = selectors.enterprise_rows(queryset, filterset)
    count = selectors.enterprise_count(user=request.user, filterset=filterset)
    page, deep_prompt = capped_page(rows, per_page=50, number=request.GET.get("page"), count=count)
    context = {"filterset": filterset, "page": page, "year": year, "deep_prompt": deep_prompt}
    template = "enterprises/enterprise_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@rule_required(permissions.can_use_enterprise_lists)
def enterprise_export(request: HttpRequest) -> HttpResponse:
    queryset, year = selectors.enterprise_list(user=request.user, params=request.GET)
    if queryset.count() > settings.XINZHI_EXPORT_JOB_ROWS:
        # Large lists are written by the worker: the page answers at once, the file follows.
        job = job_services.job_start(
            owner=request.user,
            kind=jobs.ENTERPRISE_EXPORT,
            params={"query": request.GET.urlencode()},
        )
        return redirect(job)
    rows = selectors.enterprise_export_rows(queryset, year)
    book = write_workbook([("企业名录", enterprise_columns(year), rows)])
    return xlsx_response(book, f"企业名录_{timezone.localdate():%Y%m%d}.xlsx")


def enterprise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_or_404(request, pk)
    figures = selectors.enterprise_figures(user=request.user, enterprise=enterprise)
    rights = selectors.enterprise_ip(user=request.user, enterprise=enterprise)
    context = {
        "enterprise": enterprise,
        "figures": list(reversed(figures)),
        "chart": selectors.enterprise_chart(figures),
        "titles": selectors.enterprise_titles(user=request.user, enterprise=enterprise),
        "rights": rights,
        "ip_summary": selectors.enterprise_ip_summary(rights),
        "incidents": selectors.enterprise_incidents(user=request.user, enterprise=enterprise),
        "timeline": enterprise_timeline(enterprise=enterprise, user=request.user),
        "audit_events": selectors.enterprise_audit_events(user=request.user, enterprise=enterprise),
        "today": timezone.localdate(),
        "panels": enterprise_panels(),
    }
    return render(request, "enterprises/enterprise_detail.html", context)


def enterprise_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = EnterpriseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.ENTERPRISE_FIELDS}
        outcome = run_service(
            request,
            lambda: services.enterprise_create(
                actor=request.user,
                data=data,
                tags=services.tags_from_text(form.cleaned_data["tags_text"]),
            ),
            form=form,
        )
        if outcome:
            messages.success(request, f"已将“{outcome.value.name}”录入企业库。")
            return redirect(outcome.value)
    return render(request, "enterprises/enterprise_form.html", {"form": form})


def enterprise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_or_404(request, pk)
    _require_editor(request)
    form = EnterpriseForm(request.POST or None, instance=enterprise, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.ENTERPRISE_FIELDS}
        saved = run_service(
            request,
            lambda: services.enterprise_update(
                actor=request.user,
                enterprise=enterprise,
                data=data,
                expected_version=form.cleaned_data["version"] or 0,
                tags=services.tags_from_text(form.cleaned_data["tags_text"]),
            ),
            success="企业信息已保存。",
            form=form,
        )
        if saved:
            return redirect(enterprise)
    return render(
        request, "enterprises/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


def figures_edit(request: HttpRequest, pk: int, year: int | None = None) -> HttpResponse:
    enterprise = _enterprise_or_404(request, pk)
    _require_editor(request)
    instance = None
    if year is not None:
        instance = next(
            (
                f
                for f in selectors.enterprise_figures(user=request.user, enterprise=enterprise)
                if f.year == year
            ),
            None,
        )
        if instance is None:
            raise Http404("该年度数据不存在")
    form = FiguresForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.FIGURE_FIELDS}
        try:
            services.figures_save(
                actor=request.user,
                enterprise=enterprise,
                year=instance.year if instance else form.cleaned_data["year"],
                data=data,
                expected_updated_at=form.cleaned_data.get("updated_at") if instance else None,
                create_only=instance is None,
            )
        except (ApplicationError, ValidationError) as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "年度数据已保存。")
            return redirect(enterprise)
    return render(
        request,
        "enterprises/figures_form.html",
        {"form": form, "enterprise": enterprise, "instance": instance},
    )


def title_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_or_404(request, pk)
    _require_editor(request)
    form = TitleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def add() -> object:
            return services.title_add(
                actor=request.user, enterprise=enterprise, data=form.cleaned_data
            )

        if run_service(request, add, success="资质荣誉已登记。", form=form):
            return redirect(enterprise)
    return render(
        request,
        "enterprises/simple_form.html",
        {"form": form, "enterprise": enterprise, "heading": "登记资质荣誉"},
    )


def ip_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_or_404(request, pk)
    _require_editor(request)
    form = IPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def add() -> object:
            return services.ip_add(
                actor=request.user, enterprise=enterprise, data=form.cleaned_data
            )

        if run_service(request, add, success="知识产权已登记。", form=form):
            return redirect(enterprise)
    return render(
        request,
        "enterprises/simple_form.html",
        {"form": form, "enterprise": enterprise, "heading": "登记知识产权"},
    )


def incident_add(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_or_404(request, pk)
    _require_editor(request)
    form = IncidentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def add() -> object:
            return services.incident_add(
                actor=request.user, enterprise=enterprise, data=form.cleaned_data
            )

        if run_service(request, add, success="事件已登记，资格评估已更新。", form=form):
            return redirect(enterprise)
    return render(
        request,
        "enterprises/simple_form.html",
        {"form": form, "enterprise": enterprise, "heading": "登记事故与信用事件"},
    )


@require_POST
def incident_delete(request: HttpRequest, pk: int, incident_id: int) -> HttpResponse:
    enterprise = _enterprise_or_404(request, pk)
    _require_editor(request)
    try:
        services.incident_delete(actor=request.user, enterprise=enterprise, incident_id=incident_id)
    except Incident.DoesNotExist as exc:
        raise Http404("事件不存在") from exc
    messages.success(request, "事件已删除，资格评估已更新。")
    return redirect(enterprise)


@rule_required(permissions.can_use_enterprise_lists)
def figures_import(request: HttpRequest) -> HttpResponse:
    """Upload annual figures from Excel: check first (试导入), then import all rows or none.

    The upload is stored with a job and the worker checks or imports it; the page moves to the
    job page, which shows the progress and then the result. A file that passed the check is
    kept with its job, so 正式导入 commits exactly those bytes without choosing the file again.
    """
    _require_editor(request)
    return import_page(
        request,
        check_kind=jobs.FIGURES_CHECK,
        import_kind=jobs.FIGURES_IMPORT,
        template="enterprises/figures_import.html",
    )


@rule_required(permissions.can_use_enterprise_lists)
def figures_import_template(request: HttpRequest) -> HttpResponse:
    example = {
        "credit_code": "91320412XXXXXXXXXX",
        "name": "（示例）常州某某科技有限公司",
        "year": timezone.localdate().year - 1,
        "employees": 120,
        "tech_staff": 30,
        "revenue": 4800,
        "rd_expense": 300,
    }
    book = write_workbook([("年度经营数据", imports.template_columns(), [example])])
    return xlsx_response(book, "年度经营数据导入模板.xlsx")
