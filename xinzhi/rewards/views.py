"""政策兑现 pages: thin views over selectors and services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.core.errors import run_service
from xinzhi.rewards import jobs, selectors, services
from xinzhi.rewards.choices import EntitlementStatus, ObjectionStatus
from xinzhi.rewards.forms import (
    ApproveForm,
    BankAccountForm,
    BudgetForm,
    ObjectionForm,
    PaymentForm,
    PublicityForm,
    ResolveForm,
    ReturnForm,
    RunForm,
)
from xinzhi.rewards.models import BudgetLine, Entitlement, EntitlementRun, Objection, Publicity
from xinzhi.rewards.triggers import trigger_label

S = EntitlementStatus


def _rules(user: Any) -> dict[str, bool]:
    """What this user may do here, for the templates."""
    return {
        "view": permissions.can_view_rewards(user),
        "manage": permissions.can_manage_rewards(user),
        "confirm": permissions.can_confirm_rewards(user),
        "budget": permissions.sees_reward_budget(user),
    }


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(request, template, {"rw": _rules(request.user), **context})


def _require_view(request: HttpRequest) -> None:
    permissions.require(permissions.can_view_rewards(request.user))


def _require_admin(request: HttpRequest) -> None:
    permissions.require(
        permissions.can_manage_rewards(request.user), permissions.ADMIN_ONLY_MESSAGE
    )


def _entitlement_or_404(request: HttpRequest, pk: int) -> Entitlement:
    try:
        return selectors.entitlement_get(user=request.user, pk=pk)
    except Entitlement.DoesNotExist as exc:
        raise Http404("兑现事项不存在或不在您的管辖范围内") from exc


def _params(request: HttpRequest) -> Any:
    return selectors.with_default_year(request.GET)


# --- list, detail, export ------------------------------------------------------------------


def entitlement_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    filterset, queryset = selectors.entitlement_list(user=request.user, params=_params(request))
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    context = {
        "filterset": filterset,
        "page": page,
        "totals": selectors.entitlement_totals(queryset),
        "year": filterset.form.cleaned_data.get("year") if filterset.is_valid() else None,
        "approve_form": ApproveForm(),
    }
    if request.htmx:
        return _render(request, "rewards/entitlement_list.html#results", context)
    return _render(request, "rewards/entitlement_list.html", context)


def entitlement_export(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    return jobs.ENTITLEMENT_EXPORT.response(request)


def entitlement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_view(request)
    entitlement = _entitlement_or_404(request, pk)
    payment = getattr(entitlement, "payment", None) if entitlement.status == S.PAID else None
    return _render(
        request,
        "rewards/entitlement_detail.html",
        {
            "e": entitlement,
            "payment": payment,
            "history": selectors.entitlement_history(entitlement=entitlement),
            "objections": selectors.objections(user=request.user).filter(entitlement=entitlement),
            "trigger_label": trigger_label(entitlement.item.trigger.get("kind", "")),
            "return_form": ReturnForm(),
            "approve_form": ApproveForm(),
            "payment_form": PaymentForm(),
            "S": S,
        },
    )


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/rewards/") and "//" not in target:
        return redirect(target)
    return redirect(fallback)


def _ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("ids") if v.isdigit()]


@require_POST
def entitlement_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    entitlement = _entitlement_or_404(request, pk)
    permissions.require(
        permissions.can_confirm_rewards(request.user), "只有板块专员或区管理员可以确认"
    )
    run_service(
        request,
        lambda: services.entitlements_confirm(actor=request.user, ids=[entitlement.pk]),
        success="已确认。",
    )
    return _back(request, entitlement.get_absolute_url())


@require_POST
def entitlement_return(request: HttpRequest, pk: int) -> HttpResponse:
    entitlement = _entitlement_or_404(request, pk)
    permissions.require(
        permissions.can_confirm_rewards(request.user), "只有板块专员或区管理员可以退回"
    )
    form = ReturnForm(request.POST)
    reason = form.data.get("reason", "")
    run_service(
        request,
        lambda: services.entitlement_return(
            actor=request.user, entitlement=entitlement, reason=reason
        ),
        success="已退回。",
    )
    return redirect(entitlement)


@require_POST
def entitlement_approve(request: HttpRequest, pk: int) -> HttpResponse:
    entitlement = _entitlement_or_404(request, pk)
    _require_admin(request)
    reason = request.POST.get("override_reason", "")
    run_service(
        request,
        lambda: services.entitlements_approve(
            actor=request.user, ids=[entitlement.pk], override_reason=reason
        ),
        success="已审批。",
    )
    return redirect(entitlement)


@require_POST
def entitlement_bulk(request: HttpRequest) -> HttpResponse:
    """确认所选 / 审批所选 from the list page."""
    _require_view(request)
    action, ids = request.POST.get("action"), _ids(request)
    if not ids:
        messages.error(request, "请先勾选事项。")
    elif action == "confirm":
        permissions.require(
            permissions.can_confirm_rewards(request.user), "只有板块专员或区管理员可以确认"
        )
        outcome = run_service(
            request, lambda: services.entitlements_confirm(actor=request.user, ids=ids)
        )
        if outcome:
            messages.success(request, f"已确认 {outcome.value} 项。")
    elif action == "approve":
        _require_admin(request)
        reason = request.POST.get("override_reason", "")
        outcome = run_service(
            request,
            lambda: services.entitlements_approve(
                actor=request.user, ids=ids, override_reason=reason
            ),
        )
        if outcome:
            messages.success(request, f"已审批 {outcome.value} 项。")
    else:
        messages.error(request, "未知操作。")
    return _back(request, reverse("rewards:list"))


def entitlement_pay(request: HttpRequest, pk: int) -> HttpResponse:
    entitlement = _entitlement_or_404(request, pk)
    _require_admin(request)
    form = PaymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            lambda: services.payment_record(
                actor=request.user,
                entitlement=entitlement,
                paid_on=form.cleaned_data["paid_on"],
                voucher_no=form.cleaned_data["voucher_no"],
            ),
            form=form,
        )
        if outcome:
            messages.success(
                request, f"已登记拨付（凭证号 {outcome.value.voucher_no}），事项已兑现。"
            )
            return redirect(entitlement)
    return _render(request, "rewards/payment_form.html", {"e": entitlement, "form": form})


# --- runs ----------------------------------------------------------------------------------


def run_page(request: HttpRequest) -> HttpResponse:
    """测算: run a year and see the history of runs (admin)."""
    _require_admin(request)
    form = RunForm(request.POST or None, initial={"year": timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            lambda: services.entitlement_run(actor=request.user, year=form.cleaned_data["year"]),
            form=form,
        )
        if outcome:
            run = outcome.value
            messages.success(
                request,
                f"{run.year}年测算完成：应兑现{run.counts['entitled']}项，新增{run.counts['added']}项，"
                f"变化{run.counts['changed']}项，撤销{run.counts['withdrawn']}项。",
            )
            return redirect("rewards:run_detail", pk=run.pk)
    return _render(request, "rewards/run_page.html", {"form": form, "runs": selectors.runs()[:30]})


def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    try:
        run = selectors.runs().get(pk=pk)
    except EntitlementRun.DoesNotExist as exc:
        raise Http404("测算记录不存在") from exc
    labels = {"added": "新增", "changed": "变化", "withdrawn": "撤销", "frozen": "已签核未改动"}
    changes = [{**c, "label": labels.get(c["change"], c["change"])} for c in run.changes]
    return _render(request, "rewards/run_detail.html", {"run": run, "changes": changes})


# --- rules, budget ----------------------------------------------------------------------------


def policy_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    policies = list(selectors.policies())
    for policy in policies:
        for item in policy.items.all():
            item.trigger_text = trigger_label(item.trigger.get("kind", ""))
    return _render(request, "rewards/policy_list.html", {"policies": policies})


def budget(request: HttpRequest) -> HttpResponse:
    permissions.require(permissions.sees_reward_budget(request.user))
    try:
        year = int(request.GET.get("year") or selectors.default_year())
    except ValueError:
        year = selectors.default_year()
    rows = selectors.budget_summary(user=request.user, year=year)
    return _render(
        request,
        "rewards/budget.html",
        {
            "year": year,
            "rows": rows,
            "chart": selectors.budget_chart(rows),
            "stats": selectors.paid_statistics(user=request.user, year=year),
            "payments": selectors.payments(user=request.user, year=year)[:20],
        },
    )


@require_POST
def budget_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a year's budget of one line (admin, audited; a concurrent edit is refused)."""
    _require_admin(request)
    line = BudgetLine.objects.filter(pk=pk).first()
    if line is None:
        raise Http404("预算科目不存在")
    form = BudgetForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.budget_update(
                actor=request.user,
                line=line,
                amount_wan=form.cleaned_data["amount_wan"],
                expected_version=form.cleaned_data["version"],
            ),
            success=f"{line.year}年“{line.name}”预算已保存。",
        )
    else:
        messages.error(request, "请填写不小于0的预算金额（万元）。")
    return redirect(f"{reverse('rewards:budget')}?year={line.year}")


# --- publicity -----------------------------------------------------------------------------


def publicity_list(request: HttpRequest) -> HttpResponse:
    _require_view(request)
    return _render(
        request,
        "rewards/publicity_list.html",
        {
            "publicities": selectors.publicities(user=request.user),
            "objections": selectors.objections(user=request.user).filter(
                status=ObjectionStatus.OPEN
            ),
            "resolve_form": ResolveForm(),
            "today": timezone.localdate(),
        },
    )


def publicity_create(request: HttpRequest) -> HttpResponse:
    _require_admin(request)
    today = timezone.localdate()
    form = PublicityForm(
        request.POST or None,
        initial={
            "year": selectors.default_year(),
            "starts_on": today,
            "ends_on": today + dt.timedelta(days=7),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_service(
            request,
            lambda: services.publicity_create(
                actor=request.user,
                year=data["year"],
                title=data["title"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                contact=data["contact"],
            ),
            form=form,
        )
        if outcome:
            count = selectors.publicity_rows(outcome.value).count()
            messages.success(request, f"公示已发布：{count} 项。")
            return redirect("rewards:publicity_list")
    return _render(request, "rewards/publicity_form.html", {"form": form})


@login_not_required
def publicity_public(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page (公示): anyone may read it and raise an objection while it is open."""
    try:
        publicity = selectors.publicity_public(pk=pk)
    except Publicity.DoesNotExist as exc:
        raise Http404("公示不存在或尚未开始") from exc
    rows = list(selectors.publicity_rows(publicity))
    form = ObjectionForm(request.POST or None)
    form.fields["entitlement"].widget.choices = [
        (r.pk, f"{r.enterprise.name} · {r.item.name}") for r in rows
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_service(
            request,
            lambda: services.objection_record(
                publicity=publicity,
                entitlement_id=data["entitlement"],
                submitter=data["submitter"],
                contact=data["contact"],
                content=data["content"],
            ),
            form=form,
        )
        if outcome:
            messages.success(request, "异议已登记，我们将在公示期满前核实处理。")
            return redirect(publicity)
    total = sum((r.amount_yuan for r in rows if r.status != S.WITHDRAWN), start=0)
    return render(
        request,
        "rewards/publicity_public.html",
        {
            "publicity": publicity,
            "rows": rows,
            "form": form,
            "total": total,
            "is_open": publicity.is_open(),
            "ended": publicity.has_ended(),
        },
    )


@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    try:
        objection = Objection.objects.visible_to(request.user).get(pk=pk)
    except Objection.DoesNotExist as exc:
        raise Http404("异议不存在") from exc
    form = ResolveForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.objection_resolve(
                actor=request.user,
                objection=objection,
                upheld=form.cleaned_data["upheld"],
                resolution=form.cleaned_data["resolution"],
            ),
            success="异议已处理。",
        )
    else:
        messages.error(request, "请填写处理意见。")
    return redirect("rewards:publicity_list")


# --- the enterprise's own page -----------------------------------------------------------------


def mine(request: HttpRequest) -> HttpResponse:
    """本企业奖补: what the enterprise is owed and its bank account (enterprise users)."""
    permissions.require(permissions.can_confirm_bank_account(request.user), "本页仅供企业用户使用")
    rows, account = selectors.enterprise_rewards(user=request.user)
    initial = {}
    if account is not None:
        initial = {
            "account_name": account.account_name,
            "bank_name": account.bank_name,
            "account_no": account.account_no,
            "version": account.version,
        }
    else:
        initial = {"account_name": request.user.enterprise.name}
    form = BankAccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        outcome = run_service(
            request,
            lambda: services.bank_account_confirm(
                actor=request.user,
                enterprise=request.user.enterprise,
                data=data,
                expected_version=data.get("version"),
            ),
            form=form,
        )
        if outcome:
            messages.success(request, "收款账户已确认。")
            return redirect("rewards:mine")
    return _render(request, "rewards/mine.html", {"rows": rows, "account": account, "form": form})
