"""Enterprise pages: thin views over selectors and services."""

from __future__ import annotations

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
from xinzhi.enterprises import imports, selectors, services
from xinzhi.enterprises.exports import enterprise_columns
from xinzhi.enterprises.forms import EnterpriseForm, FiguresForm, IncidentForm, IPForm, TitleForm
from xinzhi.enterprises.models import Enterprise, Incident
from xinzhi.spreadsheets import staging
from xinzhi.spreadsheets.export import write_workbook, xlsx_response
from xinzhi.spreadsheets.importing import ImportFileError, read_upload


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
    page, deep_prompt = capped_page(queryset, per_page=50, number=request.GET.get("page"))
    context = {"filterset": filterset, "page": page, "year": year, "deep_prompt": deep_prompt}
    template = "enterprises/enterprise_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@rule_required(permissions.can_use_enterprise_lists)
def enterprise_export(request: HttpRequest) -> HttpResponse:
    queryset, year = selectors.enterprise_list(user=request.user, params=request.GET)
    queryset = queryset.prefetch_related("tags")
    book = write_workbook(
        [("企业名录", enterprise_columns(year), queryset.iterator(chunk_size=2000))]
    )
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


IMPORT_DONE_KEY = "figures_import_done"
SHOWN_ENTERPRISES = 300


def _import_summary(result: imports.FiguresImportResult) -> dict:
    """What the result page lists after the redirect (kept in the session, so JSON only)."""
    return {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "enterprise_count": len(result.enterprises),
        "enterprises": [
            {
                "id": c.enterprise_id,
                "name": c.name,
                "credit_code": c.credit_code,
                "created_years": c.created_years,
                "updated_years": c.updated_years,
            }
            for c in result.enterprises[:SHOWN_ENTERPRISES]
        ],
    }


@rule_required(permissions.can_use_enterprise_lists)
def figures_import(request: HttpRequest) -> HttpResponse:
    """Upload annual figures from Excel: check first (试导入), then import all rows or none.

    A file that passed the check is kept on the server (see `spreadsheets.staging`), so 正式导入
    commits exactly those bytes without choosing the file again.
    """
    _require_editor(request)
    result, staged, error = None, None, ""
    done = request.session.pop(IMPORT_DONE_KEY, None) if request.method == "GET" else None
    if request.method == "POST":
        commit = request.POST.get("mode") == "commit"
        upload = request.FILES.get("file")
        token = request.POST.get("token", "")
        try:
            if upload is not None:
                data, name = read_upload(upload), upload.name or "upload.xlsx"
            elif commit and token:
                data = staging.load_staged(
                    user_id=request.user.pk, token=token, digest=request.POST.get("digest", "")
                )
                name = ""
            else:
                raise ImportFileError("请选择要导入的 Excel 文件。")
            result = imports.figures_import(actor=request.user, data=data, dry_run=not commit)
            if result.ok and not commit:
                staged = staging.stage_upload(user_id=request.user.pk, data=data, name=name)
        except (ImportFileError, ApplicationError) as exc:
            error = exc.message
        else:
            if result.ok and commit:
                if token:
                    staging.discard_staged(user_id=request.user.pk, token=token)
                # The result page says what was written (see `done`), so no flash message too.
                request.session[IMPORT_DONE_KEY] = _import_summary(result)
                return redirect("enterprises:figures_import")
    return render(
        request,
        "enterprises/figures_import.html",
        {
            "result": result,
            "staged": staged,
            "error": error,
            "errors": (result.errors[:300] if result else []),
            "done": done,
            "preview": _import_summary(result) if result and result.ok else None,
        },
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
