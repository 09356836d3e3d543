"""Ladder pages (培育跃升): thin views over selectors and services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from xinzhi import eligibility
from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.core.errors import form_add_service_error
from xinzhi.core.exceptions import ApplicationError
from xinzhi.core.pagination import CountedPaginator
from xinzhi.cultivation import jobs, selectors, services
from xinzhi.cultivation.choices import LADDER_FAMILIES, STAGE_ORDER, LadderStage
from xinzhi.cultivation.exports import candidate_columns
from xinzhi.cultivation.facts import enterprise_facts
from xinzhi.cultivation.forms import MoveForm, ProfileForm, WhatIfForm
from xinzhi.enterprises.models import Enterprise
from xinzhi.enterprises.selectors import enterprise_get
from xinzhi.jobs.exports import export_as_job
from xinzhi.jobs.services import job_start
from xinzhi.spreadsheets.export import write_workbook, xlsx_response


def _enterprise_or_404(request: HttpRequest, pk: int) -> Enterprise:
    try:
        return enterprise_get(user=request.user, pk=pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404("企业不存在或不在您的管辖范围内") from exc


def _family_or_404(family: str) -> str:
    names = eligibility.families()
    if family not in LADDER_FAMILIES or family not in names:
        raise Http404("未知的资质类型")
    return names[family]


@rule_required(permissions.can_use_enterprise_lists)
def ladder(request: HttpRequest) -> HttpResponse:
    return render(request, "cultivation/ladder.html", selectors.ladder_page(user=request.user))


@rule_required(permissions.can_use_enterprise_lists)
def candidates(request: HttpRequest, family: str) -> HttpResponse:
    name = _family_or_404(family)
    filterset = selectors.candidate_filterset(user=request.user, family=family, params=request.GET)
    queryset = selectors.candidate_list(
        user=request.user, family=family, params=request.GET, filterset=filterset
    )
    count = selectors.candidate_count(user=request.user, family=family, filterset=filterset)
    page = CountedPaginator(queryset, 50, count=count).get_page(request.GET.get("page"))
    policies = eligibility.policies_in_force(family, timezone.localdate())
    context = {
        "family": family,
        "family_name": name,
        "filterset": filterset,
        "page": page,
        "policies": policies,
        "families": selectors.ladder_families(),
        "stages": LadderStage.choices,
        "year": timezone.localdate().year - 1,
        "worklist": request.GET.get("readiness") == "data_missing",
    }
    return render(request, "cultivation/candidates.html", context)


@rule_required(permissions.can_use_enterprise_lists)
def candidates_export(request: HttpRequest, family: str) -> HttpResponse:
    name = _family_or_404(family)
    queryset = selectors.candidate_list(user=request.user, family=family, params=request.GET)
    if export_as_job(queryset.count()):
        # Large lists are written by the worker: the page answers at once, the file follows.
        params = {"family": family, "query": request.GET.urlencode()}
        job = job_start(owner=request.user, kind=jobs.CANDIDATE_EXPORT, params=params)
        return redirect(job)
    book = write_workbook(
        [(f"{name}候选名单", candidate_columns(), queryset.iterator(chunk_size=2000))]
    )
    return xlsx_response(book, f"{name}候选名单_{timezone.localdate():%Y%m%d}.xlsx")


@rule_required(permissions.can_use_enterprise_lists)
def stage_list(request: HttpRequest, family: str, stage: str) -> HttpResponse:
    name = _family_or_404(family)
    if stage not in STAGE_ORDER:
        raise Http404("未知的培育阶段")
    filterset = selectors.stage_filterset(
        user=request.user, family=family, stage=stage, params=request.GET
    )
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "cultivation/stage_list.html",
        {
            "family_name": name,
            "stage_label": LadderStage(stage).label,
            "page": page,
            "filterset": filterset,
        },
    )


@rule_required(permissions.can_use_enterprise_lists)
def expiring(request: HttpRequest) -> HttpResponse:
    try:
        months = max(1, min(24, int(request.GET.get("months", 6))))
    except ValueError:
        months = 6
    titles = selectors.expiring_titles(user=request.user, months=months)
    page = Paginator(titles, 50).get_page(request.GET.get("page"))
    return render(request, "cultivation/expiring.html", {"page": page, "months": months})


def health_card(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_or_404(request, pk)
    today = timezone.localdate()
    facts = enterprise_facts(enterprise, as_of=today)
    notice = ""
    what_if_form = None
    try:
        report = selectors.health_report(
            user=request.user, enterprise=enterprise, as_of=today, facts_data=facts
        )
        base, as_of = selectors.what_if_base(enterprise=enterprise, today=today)
        what_if_form = WhatIfForm(fact_fields=selectors.what_if_fields(base, as_of))
    except ApplicationError as exc:
        report, notice = [], exc.message
    context = {
        "enterprise": enterprise,
        "report": report,
        "notice": notice,
        "as_of": today,
        "what_if": what_if_form,
        "stages": LadderStage.choices,
        "profile": selectors.profile_get(user=request.user, enterprise=enterprise),
    }
    template = "cultivation/health_card.html"
    if request.htmx:
        template += "#card"
    return render(request, template, context)


def what_if(request: HttpRequest, pk: int) -> HttpResponse:
    """模拟测算: GET shows the form (or, with ?policy=…&lever=…, replays a card lever in its
    window); POST evaluates the entered figures. Nothing is saved."""
    enterprise = _enterprise_or_404(request, pk)
    params = request.POST if request.method == "POST" else request.GET
    lever = request.GET.get("lever")
    window = "next" if lever or params.get("window") == "next" else "now"
    context: dict = {"enterprise": enterprise, "window": window}
    try:
        facts, as_of = selectors.what_if_base(enterprise=enterprise, window=window)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(enterprise)
    fields = selectors.what_if_fields(facts, as_of)
    run = None
    if request.method == "POST":
        form = WhatIfForm(request.POST, fact_fields=fields)
        if form.is_valid():
            try:
                run = selectors.what_if_run(
                    facts=facts, as_of=as_of, changes=form.changes(), window=window
                )
            except eligibility.InputError as exc:
                form.add_engine_error(exc.field, exc.message)
    elif lever:
        try:
            changes = selectors.lever_changes(
                enterprise=enterprise, policy_id=request.GET.get("policy", ""), lever_key=lever
            )
            run = selectors.what_if_run(facts=facts, as_of=as_of, changes=changes, window=window)
        except (ApplicationError, eligibility.InputError) as exc:
            messages.error(request, exc.message)
        form = WhatIfForm(
            initial={"window": window, **(run.values if run else {})}, fact_fields=fields
        )
    else:
        form = WhatIfForm(initial={"window": window}, fact_fields=fields)
    context.update(
        form=form,
        run=run,
        as_of=as_of,
        changes=form.describe(run.applied) if run else [],
    )
    template = "cultivation/what_if.html"
    if request.htmx:
        template += "#result"
    return render(request, template, context)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def move(request: HttpRequest, pk: int) -> HttpResponse:
    """Move an enterprise to a ladder stage (e.g. 申报, 认定) from the card or a list."""
    enterprise = _enterprise_or_404(request, pk)
    if request.method != "POST":
        return redirect(enterprise)
    permissions.require_editor(request.user)
    form = MoveForm(request.POST)
    if form.is_valid():
        try:
            track = services.track_move(
                actor=request.user,
                enterprise=enterprise,
                family=form.cleaned_data["family"],
                to_stage=form.cleaned_data["stage"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                f"已将“{enterprise.name}”调整为"
                f"{eligibility.families()[track.family]}"
                f"“{track.get_stage_display()}”阶段。",
            )
    else:
        messages.error(request, "请选择有效的阶段。")
    return redirect(_safe_next(request, enterprise.get_absolute_url()))


def profile_edit(request: HttpRequest, pk: int) -> HttpResponse:
    enterprise = _enterprise_or_404(request, pk)
    permissions.require_editor(request.user)
    profile = selectors.profile_get(user=request.user, enterprise=enterprise)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.PROFILE_EDITABLE}
        try:
            services.profile_update(
                actor=request.user,
                enterprise=enterprise,
                data=data,
                expected_version=form.cleaned_data.get("version") or 0,
            )
        except (ApplicationError, ValidationError) as exc:
            form_add_service_error(form, exc)
        else:
            messages.success(request, "认定要素已保存，资格评估已更新。")
            return redirect(enterprise)
    return render(
        request,
        "enterprises/simple_form.html",
        {"form": form, "enterprise": enterprise, "heading": "认定要素（补充资格条件）"},
    )
