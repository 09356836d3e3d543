"""科技金融 pages: thin views over selectors and services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.core.errors import run_service
from xinzhi.enterprises.models import Enterprise
from xinzhi.finance import imports, jobs, selectors, services
from xinzhi.finance.forms import (
    CapitalForm,
    CompensateForm,
    DecideForm,
    DisburseForm,
    GrantForm,
    InstitutionForm,
    LoanApplyForm,
    OrderForm,
    OrderStepForm,
    OverdueForm,
    RecoverForm,
    RedeemForm,
    RepayForm,
    RoundForm,
    VoidForm,
)
from xinzhi.finance.models import (
    GuaranteePool,
    Loan,
    ServiceInstitution,
    VoucherOrder,
)
from xinzhi.jobs.imports import import_page
from xinzhi.spreadsheets.export import write_workbook, xlsx_response

NOT_FOUND = "记录不存在或不在您的管辖范围内"


def _loan_or_404(request: HttpRequest, pk: int) -> Loan:
    try:
        return selectors.loan_get(user=request.user, pk=pk)
    except Loan.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc


def _order_or_404(request: HttpRequest, pk: int) -> VoucherOrder:
    try:
        return selectors.order_get(user=request.user, pk=pk)
    except VoucherOrder.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc


def _require_recorder(request: HttpRequest) -> None:
    permissions.require(permissions.can_record_finance(request.user), permissions.READ_ONLY_MESSAGE)


def _list_page(request: HttpRequest, filterset: Any, template: str, extra: dict | None = None):  # noqa: ANN202
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    context = {"filterset": filterset, "page": page, **(extra or {})}
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


def _parse_date(text: str | None, default: dt.date) -> tuple[dt.date, str]:
    if not text:
        return default, ""
    try:
        return dt.date.fromisoformat(text), ""
    except ValueError:
        return default, f"日期“{text}”格式有误，应为 YYYY-MM-DD。"


# ---------------------------------------------------------------- statistics


@rule_required(permissions.can_view_finance)
def stats(request: HttpRequest) -> HttpResponse:
    """科技金融统计 for any date range (default: this year to date)."""
    today = timezone.localdate()
    start, error1 = _parse_date(request.GET.get("start"), dt.date(today.year, 1, 1))
    end, error2 = _parse_date(request.GET.get("end"), today)
    error = error1 or error2
    if start > end:
        error, start, end = "开始日期不能晚于结束日期。", dt.date(today.year, 1, 1), today
    if (end - start).days > 366 * 10:
        error, start = "统计区间最长10年。", dt.date(end.year - 9, 1, 1)
    context = selectors.finance_stats(user=request.user, start=start, end=end)
    context["error"] = error
    context["scope_label"] = (
        request.user.jurisdiction.label if request.user.jurisdiction else "全区"
    )
    return render(request, "finance/stats.html", context)


# ---------------------------------------------------------------- loans


@rule_required(permissions.can_view_finance)
def loan_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.loan_filterset(user=request.user, params=request.GET)
    return _list_page(request, filterset, "finance/loan_list.html")


@rule_required(permissions.can_view_finance)
def loan_export(request: HttpRequest) -> HttpResponse:
    return jobs.LOAN_EXPORT.response(request)


def loan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    loan = _loan_or_404(request, pk)
    permissions.require(permissions.can_view_finance(request.user))
    context = {
        "loan": loan,
        "repayments": selectors.loan_repayments(user=request.user, loan=loan),
        "pool_entries": selectors.loan_pool_entries(loan=loan),
        "audit_events": selectors.audit_events(user=request.user, instance=loan),
        "can_record": permissions.can_record_finance(request.user),
    }
    return render(request, "finance/loan_detail.html", context)


def loan_create(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    initial = {}
    if request.GET.get("enterprise"):
        found = Enterprise.objects.visible_to(request.user).filter(pk=request.GET["enterprise"])
        initial = {"enterprise": found.values_list("name", flat=True).first() or ""}
    form = LoanApplyForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = run_service(
            request,
            lambda: services.loan_apply(
                actor=request.user,
                enterprise=data["enterprise"],
                product=data["product"],
                bank=data["bank"],
                applied_on=data["applied_on"],
                amount=data["amount"],
                purpose=data["purpose"],
            ),
            form=form,
        )
        if created:
            messages.success(request, "贷款申请已登记。")
            return redirect(created.value)
    return _form_page(request, form, "登记贷款申请", back=reverse("finance:loan_list"))


def _form_page(
    request: HttpRequest, form: Any, heading: str, *, back: str, obj: Any = None, note: str = ""
) -> HttpResponse:
    return render(
        request,
        "finance/form.html",
        {"form": form, "heading": heading, "back": back, "obj": obj, "note": note},
    )


def _loan_step(
    request: HttpRequest,
    pk: int,
    form_class: type,
    heading: str,
    action: Callable[[Loan, dict], Any],
    success: str,
) -> HttpResponse:
    loan = _loan_or_404(request, pk)
    _require_recorder(request)
    form = form_class(request.POST or None, initial={"version": loan.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if run_service(request, lambda: action(loan, data), form=form, success=success):
            return redirect(loan)
    note = f"{loan.enterprise.name} · {loan.product.name} · 当前{loan.get_status_display()}"
    if loan.balance:
        note += f"，余额{services.wan(loan.balance)}万元"
    return _form_page(request, form, heading, back=loan.get_absolute_url(), obj=loan, note=note)


def loan_decide(request: HttpRequest, pk: int) -> HttpResponse:
    return _loan_step(
        request,
        pk,
        DecideForm,
        "银行审批",
        lambda loan, d: services.loan_decide(
            actor=request.user,
            loan=loan,
            approved=d["approved"],
            on=d["on"],
            amount=d["amount"],
            reason=d["reason"],
            expected_version=d["version"],
        ),
        "审批结果已登记。",
    )


def loan_disburse(request: HttpRequest, pk: int) -> HttpResponse:
    return _loan_step(
        request,
        pk,
        DisburseForm,
        "登记放款",
        lambda loan, d: services.loan_disburse(
            actor=request.user,
            loan=loan,
            on=d["on"],
            amount=d["amount"],
            term_months=d["term_months"],
            rate=d["rate"],
            expected_version=d["version"],
        ),
        "放款已登记。",
    )


def loan_repay(request: HttpRequest, pk: int) -> HttpResponse:
    return _loan_step(
        request,
        pk,
        RepayForm,
        "登记还款",
        lambda loan, d: services.loan_repay(
            actor=request.user,
            loan=loan,
            on=d["on"],
            amount=d["amount"],
            expected_version=d["version"],
        ),
        "还款已登记。",
    )


def loan_overdue(request: HttpRequest, pk: int) -> HttpResponse:
    return _loan_step(
        request,
        pk,
        OverdueForm,
        "标记逾期",
        lambda loan, d: services.loan_mark_overdue(
            actor=request.user, loan=loan, on=d["on"], expected_version=d["version"]
        ),
        "已标记逾期。",
    )


def loan_compensate(request: HttpRequest, pk: int) -> HttpResponse:
    return _loan_step(
        request,
        pk,
        CompensateForm,
        "资金池代偿",
        lambda loan, d: services.loan_compensate(
            actor=request.user,
            loan=loan,
            on=d["on"],
            amount=d["amount"],
            expected_version=d["version"],
        ),
        "代偿已登记。",
    )


def loan_recover(request: HttpRequest, pk: int) -> HttpResponse:
    return _loan_step(
        request,
        pk,
        RecoverForm,
        "登记追偿回收",
        lambda loan, d: services.loan_recover(
            actor=request.user,
            loan=loan,
            on=d["on"],
            amount=d["amount"],
            expected_version=d["version"],
        ),
        "追偿回收已登记。",
    )


def ledger_import(request: HttpRequest) -> HttpResponse:
    """Upload a bank's monthly ledger: 试导入 first, then 正式导入 of exactly the checked file."""
    _require_recorder(request)
    return import_page(
        request,
        check_kind=jobs.LEDGER_CHECK,
        import_kind=jobs.LEDGER_IMPORT,
        template="finance/ledger_import.html",
    )


@rule_required(permissions.can_view_finance)
def ledger_template(request: HttpRequest) -> HttpResponse:
    example = {
        "credit_code": "91320412XXXXXXXXXX",
        "name": "（示例）常州某某科技有限公司",
        "product": "武科贷",
        "disbursed_on": dt.date(timezone.localdate().year, 1, 15),
        "paid_on": timezone.localdate(),
        "amount": 50,
    }
    book = write_workbook([("银行月度台账", imports.template_columns(), [example])])
    return xlsx_response(book, "银行月度台账导入模板.xlsx")


@rule_required(permissions.can_view_finance)
def product_list(request: HttpRequest) -> HttpResponse:
    return render(request, "finance/product_list.html", {"products": selectors.products()})


# ---------------------------------------------------------------- guarantee pool


@rule_required(permissions.can_view_guarantee_pool)
def pool(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    pools = []
    for item in GuaranteePool.objects.all():
        history = selectors.pool_history(
            item, start=dt.date(today.year - 1, today.month, 1), end=today
        )
        pools.append(
            {
                "status": selectors.pool_status(item),
                "entries": selectors.pool_entries(item),
                "chart_id": f"chart-pool-{item.pk}",
                "chart": {
                    "kind": "financePool",
                    "labels": [
                        f"{s_day:%Y-%m}"
                        for s_day in selectors.month_ends(
                            dt.date(today.year - 1, today.month, 1), today
                        )
                    ],
                    "balance": [float(s.balance) for s in history],
                    "outstanding": [float(s.outstanding) for s in history],
                    "leverage": [
                        float(s.leverage) if s.leverage is not None else None for s in history
                    ],
                },
            }
        )
    return render(request, "finance/pool.html", {"pools": pools})


def pool_capital(request: HttpRequest, pk: int) -> HttpResponse:
    permissions.require(
        permissions.can_manage_finance_reference(request.user), permissions.ADMIN_ONLY_MESSAGE
    )
    target = GuaranteePool.objects.filter(pk=pk).first()
    if target is None:
        raise Http404(NOT_FOUND)
    form = CapitalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            request,
            lambda: services.pool_capital_add(
                actor=request.user, pool=target, amount=d["amount"], on=d["on"], note=d["note"]
            ),
            form=form,
            success="注资已登记。",
        ):
            return redirect("finance:pool")
    return _form_page(request, form, f"{target.name}：登记注资", back=reverse("finance:pool"))


# ---------------------------------------------------------------- 双创券


@rule_required(permissions.can_view_finance)
def institution_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.institution_filterset(user=request.user, params=request.GET)
    return _list_page(request, filterset, "finance/institution_list.html")


@rule_required(permissions.can_view_finance)
def institution_export(request: HttpRequest) -> HttpResponse:
    return jobs.INSTITUTION_EXPORT.response(request)


def institution_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    permissions.require(
        permissions.can_manage_finance_reference(request.user), permissions.ADMIN_ONLY_MESSAGE
    )
    institution = None
    if pk is not None:
        institution = ServiceInstitution.objects.filter(pk=pk).first()
        if institution is None:
            raise Http404(NOT_FOUND)
    form = InstitutionForm(request.POST or None, instance=institution)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in services.INSTITUTION_FIELDS}
        # The form's instance is not saved: the service writes (and audits) the change.
        if institution is not None:
            institution.refresh_from_db()
        saved = run_service(
            request,
            lambda: services.institution_save(
                actor=request.user,
                data=data,
                institution=institution,
                expected_version=form.cleaned_data["version"],
            ),
            form=form,
            success="服务机构已保存。",
        )
        if saved:
            return redirect("finance:institution_list")
    heading = f"修改服务机构：{institution.name}" if institution else "新增服务机构"
    return _form_page(request, form, heading, back=reverse("finance:institution_list"))


def institution_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return institution_form(request, pk)


def institution_create(request: HttpRequest) -> HttpResponse:
    return institution_form(request)


@rule_required(permissions.can_view_finance)
def order_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.order_filterset(user=request.user, params=request.GET)
    return _list_page(request, filterset, "finance/order_list.html")


@rule_required(permissions.can_view_finance)
def order_export(request: HttpRequest) -> HttpResponse:
    return jobs.ORDER_EXPORT.response(request)


def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_or_404(request, pk)
    permissions.require(permissions.can_view_finance(request.user))
    context = {
        "order": order,
        "grant": order.grant,
        "step_form": OrderStepForm(initial={"version": order.version}),
        "void_form": VoidForm(initial={"version": order.version}),
        "audit_events": selectors.audit_events(user=request.user, instance=order),
        "can_record": permissions.can_record_finance(request.user),
    }
    return render(request, "finance/order_detail.html", context)


def order_create(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    form = OrderForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        grant = selectors.grant_for_order(
            user=request.user, enterprise=d["enterprise"], on=d["initiated_on"]
        )
        if grant is None:
            form.add_error("enterprise", "该企业在发起日没有有效的双创券额度，请先发放额度。")
        else:
            created = run_service(
                request,
                lambda: services.order_create(
                    actor=request.user,
                    grant=grant,
                    institution=d["institution"],
                    service_type=d["service_type"],
                    title=d["title"],
                    contract_amount=d["contract_amount"],
                    voucher_share=d["voucher_share"],
                    initiated_on=d["initiated_on"],
                ),
                form=form,
            )
            if created:
                messages.success(request, "双创券订单已发起。")
                return redirect(created.value)
    return _form_page(request, form, "发起双创券订单", back=reverse("finance:order_list"))


@require_POST
def order_advance(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_or_404(request, pk)
    _require_recorder(request)
    form = OrderStepForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.order_advance(
                actor=request.user,
                order=order,
                on=form.cleaned_data["on"],
                expected_version=form.cleaned_data["version"],
            ),
            success="订单已推进。",
        )
    else:
        messages.error(request, "请填写日期。")
    return redirect(order)


def order_redeem(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_or_404(request, pk)
    _require_recorder(request)
    form = RedeemForm(
        request.POST or None, initial={"version": order.version, "amount": order.voucher_share}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            request,
            lambda: services.order_redeem(
                actor=request.user,
                order=order,
                on=d["on"],
                amount=d["amount"],
                expected_version=d["version"],
            ),
            form=form,
            success="兑付已登记。",
        ):
            return redirect(order)
    note = (
        f"{order.grant.enterprise.name} · 用券金额{services.wan(order.voucher_share)}万元 · "
        f"双创券剩余额度{services.wan(order.grant.remaining)}万元"
    )
    return _form_page(
        request, form, "登记兑付", back=order.get_absolute_url(), obj=order, note=note
    )


@require_POST
def order_void(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_or_404(request, pk)
    _require_recorder(request)
    form = VoidForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.order_void(
                actor=request.user,
                order=order,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            ),
            success="订单已作废。",
        )
    else:
        messages.error(request, "请填写作废原因。")
    return redirect(order)


@rule_required(permissions.can_view_finance)
def grant_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.grant_filterset(user=request.user, params=request.GET)
    extra = {"today": timezone.localdate()}
    return _list_page(request, filterset, "finance/grant_list.html", extra)


@rule_required(permissions.can_view_finance)
def grant_export(request: HttpRequest) -> HttpResponse:
    return jobs.GRANT_EXPORT.response(request)


def grant_create(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    form = GrantForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(
            request,
            lambda: services.grant_create(
                actor=request.user,
                enterprise=d["enterprise"],
                granted_on=d["granted_on"],
                use_by=d["use_by"],
                quota=d["quota"],
            ),
            form=form,
            success="双创券额度已发放。",
        ):
            return redirect("finance:grant_list")
    return _form_page(request, form, "发放双创券额度", back=reverse("finance:grant_list"))


# ---------------------------------------------------------------- equity rounds


@rule_required(permissions.can_view_finance)
def round_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.round_filterset(user=request.user, params=request.GET)
    return _list_page(request, filterset, "finance/round_list.html")


@rule_required(permissions.can_view_finance)
def round_export(request: HttpRequest) -> HttpResponse:
    return jobs.ROUND_EXPORT.response(request)


def round_create(request: HttpRequest) -> HttpResponse:
    _require_recorder(request)
    initial = {}
    if request.GET.get("enterprise"):
        found = Enterprise.objects.visible_to(request.user).filter(pk=request.GET["enterprise"])
        initial = {"enterprise": found.values_list("name", flat=True).first() or ""}
    form = RoundForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        created = run_service(
            request,
            lambda: services.round_record(
                actor=request.user,
                enterprise=d["enterprise"],
                round_name=d["round_name"],
                closed_on=d["closed_on"],
                amount=d["amount"],
                investors=d["investors"],
                post_money_valuation=d["post_money_valuation"],
                is_institutional=d["is_institutional"],
            ),
            form=form,
        )
        if created:
            messages.success(
                request, "融资已登记，企业的估值与融资要素已更新，培育体检随之重新评估。"
            )
            return redirect(created.value.enterprise)
    return _form_page(request, form, "登记股权融资", back=reverse("finance:round_list"))


# ---------------------------------------------------------------- enterprise page


def enterprise_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """融资 tab of the enterprise page (loaded lazily by HTMX)."""
    try:
        enterprise = Enterprise.objects.visible_to(request.user).get(pk=pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404(NOT_FOUND) from exc
    context = {
        "enterprise": enterprise,
        **selectors.enterprise_finance(user=request.user, enterprise=enterprise),
        "can_record": permissions.can_record_finance(request.user),
    }
    template = "finance/enterprise_panel.html"
    if request.htmx:
        template += "#panel"
    return render(request, template, context)
