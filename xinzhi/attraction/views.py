"""科技招商 pages: thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.attraction import jobs, selectors, services
from xinzhi.attraction.choices import STAGE_REGISTERED
from xinzhi.attraction.forms import (
    AftercareAdvanceForm,
    AftercareForm,
    DockingForm,
    DropForm,
    LandForm,
    LeadForm,
    MoveForm,
    ReferralAdvanceForm,
    ReferralForm,
)
from xinzhi.attraction.models import AftercareRequest, Lead, Stage, TalentReferral
from xinzhi.core.errors import form_add_service_error, run_service, service_message
from xinzhi.core.exceptions import ApplicationError

SERVICE_ERRORS = (ApplicationError, ValidationError)


def _lead_or_404(request: HttpRequest, pk: int) -> Lead:
    try:
        return selectors.lead_get(user=request.user, pk=pk)
    except Lead.DoesNotExist as exc:
        raise Http404("招商项目不存在或不在您的管辖范围内") from exc


def _require_editor(request: HttpRequest) -> None:
    permissions.require_editor(request.user)


_message = service_message


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# ---------------------------------------------------------------- list, export, board


@rule_required(permissions.can_use_enterprise_lists)
def lead_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.lead_filterset(user=request.user, params=request.GET)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "stale_count": selectors.stale_count(user=request.user),
    }
    template = "attraction/lead_list.html"
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@rule_required(permissions.can_use_enterprise_lists)
def lead_export(request: HttpRequest) -> HttpResponse:
    # Large lists are written by the worker: the page answers at once, the file follows.
    return jobs.LEAD_EXPORT.response(request)


def _board_context(request: HttpRequest, params: dict | None = None) -> dict:
    params = params if params is not None else request.GET
    columns = selectors.lead_board(user=request.user, params=params)
    landing = services.landing_stage_ids()
    for column in columns:
        for lead in column.leads:
            lead.can_land = services.lead_can_land(lead, landing)  # the card's 落地登记
    return {
        "filterset": selectors.lead_filterset(user=request.user, params=params),
        "columns": columns,
        "stages": selectors.stages_active(),
        "board_query": params.urlencode() if hasattr(params, "urlencode") else "",
    }


@rule_required(permissions.can_use_enterprise_lists)
def board(request: HttpRequest) -> HttpResponse:
    template = "attraction/board.html"
    if request.htmx and request.htmx.target == "board":
        template += "#board"
    return render(request, template, _board_context(request))


@require_POST
def lead_move(request: HttpRequest, pk: int) -> HttpResponse:
    """阶段变更 from a board card or the detail page (HTMX swaps the board; else redirect)."""
    lead = _lead_or_404(request, pk)
    _require_editor(request)
    form = MoveForm(request.POST)
    error = ""
    if form.is_valid() and _lands(form.cleaned_data["stage"]) and services.lead_can_land(lead):
        # 落地注册 needs the landed enterprise: open the landing form instead of refusing.
        messages.info(
            request,
            f"“{lead.name}”进入“落地注册”须关联落地企业：请填写统一社会信用代码，"
            "关联已有企业或新建企业，提交后即进入“落地注册”阶段。",
        )
        url = reverse("attraction:lead_land", args=[lead.pk])
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if form.is_valid():
        try:
            services.lead_move(
                actor=request.user,
                lead=lead,
                to_stage=form.cleaned_data["stage"],
                note=form.cleaned_data["note"],
                on=form.cleaned_data["on"],
                expected_version=form.cleaned_data["version"],
            )
        except SERVICE_ERRORS as exc:
            error = _message(exc)
    else:
        error = "；".join(e for errs in form.errors.values() for e in errs)
    success = f"“{lead.name}”已移至“{lead.stage.name}”阶段。"
    if request.htmx and request.POST.get("from") == "board":
        context = _board_context(request, request.GET.copy())
        context["board_error" if error else "board_success"] = error or success
        return render(request, "attraction/board.html#board", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect(_next_url(request, lead.get_absolute_url()))


def _lands(stage: Stage) -> bool:
    return stage.code == STAGE_REGISTERED


@rule_required(permissions.can_use_enterprise_lists)
def follow_ups(request: HttpRequest) -> HttpResponse:
    """我的跟进: overdue first, then upcoming, then leads without a date; plus stale warnings."""
    context = {
        "leads": selectors.my_follow_ups(user=request.user),
        "stale": selectors.stale_leads(user=request.user),
        "today": timezone.localdate(),
    }
    return render(request, "attraction/follow_ups.html", context)


@rule_required(permissions.can_use_enterprise_lists)
def stats(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    context = selectors.attraction_stats(user=request.user, year=year)
    this_year = timezone.localdate().year
    context.update(year=year, years=range(this_year, this_year - 4, -1))
    return render(request, "attraction/stats.html", context)


# ---------------------------------------------------------------- one lead


def lead_detail(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_or_404(request, pk)
    changes = selectors.lead_stage_changes(user=request.user, lead=lead)
    dockings = selectors.lead_dockings(user=request.user, lead=lead)
    context = {
        "lead": lead,
        "changes": changes,
        "dockings": dockings,
        "timeline": selectors.lead_timeline(changes, dockings, lead),
        "audit_events": selectors.lead_audit_events(user=request.user, lead=lead),
        "move_form": MoveForm(initial={"stage": lead.stage_id, "version": lead.version}),
        "drop_form": DropForm(),
        "can_edit": request.user.can_edit_enterprises,
        "can_land": services.lead_can_land(lead),
    }
    return render(request, "attraction/lead_detail.html", context)


def lead_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = LeadForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.LEAD_FIELDS}
        created = run_service(
            request, lambda: services.lead_create(actor=request.user, data=data), form=form
        )
        if created:
            messages.success(request, f"已新建招商项目“{created.value.name}”。")
            return redirect(created.value)
    return render(request, "attraction/lead_form.html", {"form": form})


def lead_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_or_404(request, pk)
    _require_editor(request)
    form = LeadForm(request.POST or None, instance=lead, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.LEAD_FIELDS}
        saved = run_service(
            request,
            lambda: services.lead_update(
                actor=request.user,
                lead=lead,
                data=data,
                expected_version=form.cleaned_data["version"] or 0,
            ),
            success="招商项目已保存。",
            form=form,
        )
        if saved:
            return redirect(lead)
    return render(request, "attraction/lead_form.html", {"form": form, "lead": lead})


def docking_add(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_or_404(request, pk)
    _require_editor(request)
    form = DockingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.DOCKING_FIELDS}
        recorded = run_service(
            request,
            lambda: services.docking_record(actor=request.user, lead=lead, data=data),
            form=form,
        )
        if recorded:
            messages.success(request, f"已记录对接（累计{lead.docking_count}次）。")
            return redirect(lead)
    return render(
        request,
        "attraction/simple_form.html",
        {"form": form, "lead": lead, "heading": "记录对接"},
    )


def lead_land(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_or_404(request, pk)
    _require_editor(request)
    form = LandForm(request.POST or None, initial={"name": lead.name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise_data = {
            k: data[k]
            for k in ("name", "registered_on", "legal_representative", "address")
            if data[k]
        }
        try:
            enterprise = services.lead_land(
                actor=request.user,
                lead=lead,
                credit_code=data["credit_code"],
                create=data["mode"] == "create",
                enterprise_data=enterprise_data,
                note=data["note"],
                on=data["on"],
            )
        except SERVICE_ERRORS as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, f"项目已落地，关联企业“{enterprise.name}”。")
            return redirect(lead)
    return render(
        request,
        "attraction/simple_form.html",
        {"form": form, "lead": lead, "heading": "落地登记"},
    )


@require_POST
def lead_drop(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_or_404(request, pk)
    _require_editor(request)
    form = DropForm(request.POST)
    form.is_valid()
    try:
        services.lead_drop(
            actor=request.user,
            lead=lead,
            reason=form.cleaned_data.get("reason", ""),
            note=form.cleaned_data.get("note", ""),
        )
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "项目已标记为流失。")
    return redirect(lead)


@require_POST
def lead_restore(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_or_404(request, pk)
    _require_editor(request)
    try:
        services.lead_restore(actor=request.user, lead=lead)
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "项目已恢复跟进。")
    return redirect(lead)


# ---------------------------------------------------------------- aftercare


@rule_required(permissions.can_use_enterprise_lists)
def aftercare_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    queryset = selectors.aftercare_list(user=request.user, status=status)
    context = {
        "page": Paginator(queryset, 50).get_page(request.GET.get("page")),
        "summary": selectors.aftercare_summary(queryset),
        "status": status,
        "advance_form": AftercareAdvanceForm(),
    }
    return render(request, "attraction/aftercare_list.html", context)


def aftercare_create(request: HttpRequest, pk: int) -> HttpResponse:
    lead = _lead_or_404(request, pk)
    _require_editor(request)
    if lead.enterprise is None:
        raise Http404("项目尚未落地")
    form = AftercareForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.AFTERCARE_FIELDS}
        registered = run_service(
            request,
            lambda: services.aftercare_create(
                actor=request.user, enterprise=lead.enterprise, lead=lead, data=data
            ),
            success="服务诉求已登记。",
            form=form,
        )
        if registered:
            return redirect(lead)
    return render(
        request,
        "attraction/simple_form.html",
        {"form": form, "lead": lead, "heading": "登记服务诉求"},
    )


@require_POST
def aftercare_advance(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        item = selectors.aftercare_get(user=request.user, pk=pk)
    except AftercareRequest.DoesNotExist as exc:
        raise Http404("服务诉求不存在或不在您的管辖范围内") from exc
    _require_editor(request)
    form = AftercareAdvanceForm(request.POST)
    form.is_valid()
    try:
        services.aftercare_advance(
            actor=request.user,
            request=item,
            status=form.cleaned_data.get("status", ""),
            resolution=form.cleaned_data.get("resolution", ""),
        )
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "办理状态已更新。")
    return redirect(_next_url(request, reverse("attraction:aftercare_list")))


# ---------------------------------------------------------------- talent referrals


@rule_required(permissions.can_use_enterprise_lists)
def referral_list(request: HttpRequest) -> HttpResponse:
    queryset = selectors.referral_list(user=request.user)
    context = {
        "page": Paginator(queryset, 50).get_page(request.GET.get("page")),
        "summary": selectors.referral_summary(queryset),
    }
    return render(request, "attraction/referral_list.html", context)


def referral_create(request: HttpRequest) -> HttpResponse:
    _require_editor(request)
    form = ReferralForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        registered = run_service(
            request,
            lambda: services.referral_create(actor=request.user, data=data),
            success="人才项目推送已登记。",
            form=form,
        )
        if registered:
            return redirect("attraction:referral_list")
    return render(
        request, "attraction/simple_form.html", {"form": form, "heading": "登记人才项目推送"}
    )


@require_POST
def referral_advance(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        referral = selectors.referral_get(user=request.user, pk=pk)
    except TalentReferral.DoesNotExist as exc:
        raise Http404("推送记录不存在或不在您的管辖范围内") from exc
    _require_editor(request)
    form = ReferralAdvanceForm(request.POST)
    form.is_valid()
    try:
        services.referral_advance(
            actor=request.user, referral=referral, status=form.cleaned_data.get("status", "")
        )
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, "推送状态已更新。")
    return redirect("attraction:referral_list")
