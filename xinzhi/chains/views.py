"""产业链图谱 pages: thin views over selectors and services."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from xinzhi.accounts import permissions
from xinzhi.accounts.permissions import rule_required
from xinzhi.chains import imports, jobs, selectors, services
from xinzhi.chains.choices import MetricKey
from xinzhi.chains.exports import node_columns
from xinzhi.chains.forms import (
    ConvertForm,
    LeadLinkForm,
    MembershipForm,
    TargetForm,
    TargetStatusForm,
)
from xinzhi.chains.models import Chain, GapTarget, Membership, Node
from xinzhi.core.errors import run_service
from xinzhi.core.exceptions import ApplicationError
from xinzhi.enterprises.models import Enterprise
from xinzhi.jobs.imports import import_page
from xinzhi.spreadsheets.export import write_workbook, xlsx_response

view_rule = rule_required(permissions.can_view_chains)


def _chain_or_404(pk: int) -> Chain:
    try:
        return selectors.chain_get(pk)
    except Chain.DoesNotExist as exc:
        raise Http404("产业链不存在或已停用") from exc


def _node_or_404(pk: int) -> Node:
    try:
        return selectors.node_get(pk)
    except Node.DoesNotExist as exc:
        raise Http404("产业链环节不存在") from exc


def _target_or_404(pk: int) -> GapTarget:
    try:
        return selectors.target_get(pk)
    except GapTarget.DoesNotExist as exc:
        raise Http404("补链招商目标不存在") from exc


def _year(request: HttpRequest, chain: Chain) -> int:
    """The year asked for (?year=), within sensible bounds; else the chain's latest year."""
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= timezone.localdate().year:
        return int(raw)
    return selectors.default_year(chain)


def _rules(request: HttpRequest) -> dict:
    return {
        "can_manage": permissions.can_manage_chains(request.user),
        "can_edit": permissions.can_edit_chain_members(request.user),
    }


# ---------------------------------------------------------------- chains and their map


@view_rule
def chain_list(request: HttpRequest) -> HttpResponse:
    chains = selectors.chain_list()
    leaders = selectors.chain_leaders(chains)
    rows = []
    sums: dict = {}  # district totals, computed once per year for all chains
    for chain in chains:
        year = selectors.default_year(chain)
        metrics = selectors.chain_metrics(user=request.user, chain=chain, year=year, sums=sums)
        states = selectors.node_states(chain)
        rows.append(
            {
                "chain": chain,
                "year": year,
                "leaders": leaders.get(chain.pk, []),
                "metrics": metrics,
                "gaps": selectors.chain_gaps(states),
            }
        )
    return render(
        request,
        "chains/chain_list.html",
        {"rows": rows, "share": selectors.share_label(request.user), **_rules(request)},
    )


@view_rule
def chain_detail(request: HttpRequest, chain_id: int) -> HttpResponse:
    chain = _chain_or_404(chain_id)
    year = _year(request, chain)
    states = selectors.node_states(chain)
    node_url = reverse("chains:node", args=[0])
    context = {
        "chain": chain,
        "year": year,
        "years": selectors.metric_years(chain, year),
        "metrics": selectors.chain_metrics(user=request.user, chain=chain, year=year),
        "now": selectors.chain_structure_now(user=request.user, chain=chain),
        "states": states,
        "gaps": selectors.chain_gaps(states),
        "map": selectors.chain_map_spec(chain, states, node_url),
        "loop": selectors.chain_loop(user=request.user, chain=chain, states=states),
        "leaders": selectors.chain_leaders([chain]).get(chain.pk, []),
        **_rules(request),
    }
    return render(request, "chains/chain_detail.html", context)


@view_rule
def metric_detail(request: HttpRequest, chain_id: int, metric: str) -> HttpResponse:
    chain = _chain_or_404(chain_id)
    if metric not in MetricKey.values:
        raise Http404("没有这个指标")
    year = _year(request, chain)
    metrics = selectors.chain_metrics(user=request.user, chain=chain, year=year)
    figure = next(f for f in metrics.figures if f.key == metric)
    headers, rows = selectors.metric_records(user=request.user, chain=chain, key=metric, year=year)
    return render(
        request,
        "chains/metric_detail.html",
        {
            "chain": chain,
            "year": year,
            "metrics": metrics,
            "figure": figure,
            "headers": headers,
            "rows": rows,
        },
    )


@view_rule
def nodes_export(request: HttpRequest, chain_id: int) -> HttpResponse:
    chain = _chain_or_404(chain_id)
    book = write_workbook([("产业链环节", node_columns(), selectors.node_states(chain))])
    return xlsx_response(book, f"产业链环节_{chain.name}_{timezone.localdate():%Y%m%d}.xlsx")


@view_rule
def leader(request: HttpRequest, chain_id: int, enterprise_id: int) -> HttpResponse:
    """The 链主 page: its local suppliers, local share, outside suppliers by region."""
    chain = _chain_or_404(chain_id)
    try:
        enterprise = selectors.leader_enterprise(
            user=request.user, chain=chain, enterprise_id=enterprise_id
        )
    except Enterprise.DoesNotExist as exc:
        raise Http404("该企业不是本链链主，或不在您的管辖范围内") from exc
    year = _year(request, chain)
    view = selectors.leader_view(user=request.user, enterprise=enterprise, year=year)
    node_ids = Node.objects.filter(chain=chain).values_list("id", flat=True)
    return render(
        request,
        "chains/leader.html",
        {
            "chain": chain,
            "year": year,
            "years": selectors.metric_years(chain, year),
            "view": view,
            "targeted": {name for _, name in selectors.outside_target_names(node_ids)},
            **_rules(request),
        },
    )


# ---------------------------------------------------------------- a node


@view_rule
def node_detail(request: HttpRequest, node_id: int) -> HttpResponse:
    node = _node_or_404(node_id)
    members, hidden = selectors.node_members(user=request.user, node=node)
    state = next(s for s in selectors.node_states(node.chain) if s.node.pk == node.pk)
    rules = _rules(request)
    return render(
        request,
        "chains/node_detail.html",
        {
            "node": node,
            "chain": node.chain,
            "state": state,
            "members": members,
            "hidden": hidden,
            "outside": selectors.node_outside_members(node),
            "targets": selectors.node_targets(node),
            "leads": selectors.node_leads(user=request.user, node=node),
            "suppliers": selectors.node_suppliers(user=request.user, node=node),
            "member_form": MembershipForm(allow_outside=rules["can_manage"]),
            "target_form": TargetForm(),
            "share": selectors.share_label(request.user),
            **rules,
        },
    )


def _enterprise_for(request: HttpRequest, text: str) -> Enterprise | None:
    text = text.strip()
    if not text:
        return None
    found = Enterprise.objects.visible_to(request.user).filter(
        Q(credit_code=text.upper()) | Q(name=text)
    )
    enterprise = found.first()
    if enterprise is None:
        raise ApplicationError(
            f"在您的管辖范围内未找到“{text}”，请核对统一社会信用代码或企业全称。",
            field="enterprise",
        )
    return enterprise


@rule_required(permissions.can_edit_chain_members, permissions.READ_ONLY_MESSAGE)
def membership_add(request: HttpRequest, node_id: int) -> HttpResponse:
    node = _node_or_404(node_id)
    allow_outside = permissions.can_manage_chains(request.user)
    form = MembershipForm(request.POST or None, allow_outside=allow_outside)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def add() -> Membership:
            enterprise = _enterprise_for(request, data["enterprise"])
            return services.membership_add(
                actor=request.user,
                node=node,
                enterprise=enterprise,
                outside_name="" if enterprise else data.get("outside_name", ""),
                outside_region="" if enterprise else data.get("outside_region", ""),
                data={k: data[k] for k in ("role", "function_kind", "joined_on", "note")},
            )

        if run_service(request, add, form=form, success=f"已加入“{node.name}”环节。"):
            return redirect(node.get_absolute_url())
    return render(
        request,
        "chains/simple_form.html",
        {"form": form, "title": f"{node.chain.name}·{node.name}：添加链上企业", "back": node},
    )


@require_POST
@rule_required(permissions.can_edit_chain_members, permissions.READ_ONLY_MESSAGE)
def membership_remove(request: HttpRequest, membership_id: int) -> HttpResponse:
    try:
        membership = selectors.membership_get(user=request.user, pk=membership_id)
    except Membership.DoesNotExist as exc:
        raise Http404("链上企业不存在或不在您的管辖范围内") from exc
    node = membership.node
    run_service(
        request,
        lambda: services.membership_remove(actor=request.user, membership=membership),
        success=f"已将{membership.display_name}移出“{node.name}”环节。",
    )
    return redirect(node.get_absolute_url())


# ---------------------------------------------------------------- targets


@rule_required(permissions.can_manage_chains, permissions.ADMIN_ONLY_MESSAGE)
def target_create(request: HttpRequest, node_id: int) -> HttpResponse:
    node = _node_or_404(node_id)
    # The 链主 page pre-fills an outside supplier (名称、所在地、来源) through the query string.
    initial = {k: request.GET[k] for k in ("name", "region", "source") if k in request.GET}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: form.cleaned_data[k] for k in form.Meta.fields}
        if run_service(
            request,
            lambda: services.target_create(actor=request.user, node=node, data=data),
            form=form,
            success=f"已添加补链招商目标“{data['name']}”。",
        ):
            return redirect(node.get_absolute_url())
    return render(
        request,
        "chains/simple_form.html",
        {"form": form, "title": f"{node.chain.name}·{node.name}：添加补链招商目标", "back": node},
    )


@rule_required(permissions.can_edit_chain_members, permissions.READ_ONLY_MESSAGE)
def target_convert(request: HttpRequest, target_id: int) -> HttpResponse:
    """转为招商项目: one form (板块, 责任人), then the new lead's page."""
    target = _target_or_404(target_id)
    initial = {"version": target.version, "officer": request.user.pk}
    if request.user.jurisdiction_id:
        initial["jurisdiction"] = request.user.jurisdiction_id
    form = ConvertForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        outcome = run_service(
            request,
            lambda: services.target_convert(
                actor=request.user,
                target=target,
                jurisdiction=form.cleaned_data["jurisdiction"],
                officer=form.cleaned_data["officer"],
                expected_version=form.cleaned_data["version"],
            ),
            form=form,
            success=f"已将“{target.name}”转为招商项目，落地后将计入“{target.node.name}”环节。",
        )
        if outcome:
            return redirect(outcome.value.get_absolute_url())
    return render(
        request,
        "chains/target_convert.html",
        {"form": form, "target": target, "node": target.node},
    )


@require_POST
@rule_required(permissions.can_manage_chains, permissions.ADMIN_ONLY_MESSAGE)
def target_status(request: HttpRequest, target_id: int) -> HttpResponse:
    target = _target_or_404(target_id)
    form = TargetStatusForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: services.target_set_status(
                actor=request.user,
                target=target,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            ),
            success="已更新目标状态。",
        )
    return redirect(target.node.get_absolute_url())


# ---------------------------------------------------------------- lists and exports


def _list(
    request: HttpRequest, filterset, template: str, extra: dict | None = None
) -> HttpResponse:  # noqa: ANN001
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("page"))
    context = {"filterset": filterset, "page": page, **_rules(request), **(extra or {})}
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


@view_rule
def membership_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.membership_filterset(user=request.user, params=request.GET)
    return _list(request, filterset, "chains/membership_list.html")


@view_rule
def membership_export(request: HttpRequest) -> HttpResponse:
    return jobs.MEMBERSHIP_EXPORT.response(request)


@view_rule
def target_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.target_filterset(user=request.user, params=request.GET)
    return _list(request, filterset, "chains/target_list.html")


@view_rule
def target_export(request: HttpRequest) -> HttpResponse:
    return jobs.TARGET_EXPORT.response(request)


@view_rule
def supply_list(request: HttpRequest) -> HttpResponse:
    filterset = selectors.supply_filterset(user=request.user, params=request.GET)
    return _list(request, filterset, "chains/supply_list.html")


@view_rule
def supply_export(request: HttpRequest) -> HttpResponse:
    return jobs.SUPPLY_EXPORT.response(request)


# ---------------------------------------------------------------- the 链主's purchasing list


@rule_required(permissions.can_edit_chain_members, permissions.READ_ONLY_MESSAGE)
def supply_import(request: HttpRequest) -> HttpResponse:
    """Upload a purchasing list: 试导入 checks every row, 正式导入 writes all rows or none;
    the task worker does either, and the job page shows the result."""
    return import_page(
        request,
        check_kind=jobs.SUPPLY_CHECK,
        import_kind=jobs.SUPPLY_IMPORT,
        template="chains/supply_import.html",
    )


@rule_required(permissions.can_edit_chain_members, permissions.READ_ONLY_MESSAGE)
def supply_import_template(request: HttpRequest) -> HttpResponse:
    example = {
        "buyer_code": "91320412XXXXXXXXXX",
        "buyer_name": "（示例）江苏某某汽车有限公司",
        "year": timezone.localdate().year - 1,
        "supplier_name": "（示例）外地某电池有限公司",
        "supplier_region": "福建宁德",
        "chain": "新能源汽车",
        "node": "动力电池",
        "product": "动力电池包",
        "amount": 12000,
    }
    book = write_workbook([("链主采购清单", imports.template_columns(), [example])])
    return xlsx_response(book, "链主采购清单导入模板.xlsx")


def enterprise_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The 产业链 card on the enterprise page: the nodes the enterprise sits on."""
    try:
        enterprise = Enterprise.objects.visible_to(request.user).get(pk=pk)
    except Enterprise.DoesNotExist as exc:
        raise Http404("企业不存在或不在您的管辖范围内") from exc
    template = "chains/enterprise_panel.html"
    if request.htmx:
        template += "#card"
    return render(
        request,
        template,
        {
            "enterprise": enterprise,
            "seats": selectors.enterprise_seats(user=request.user, enterprise=enterprise),
            "links": permissions.can_view_chains(request.user),
        },
    )


@rule_required(permissions.can_edit_chain_members, permissions.READ_ONLY_MESSAGE)
def lead_link(request: HttpRequest, node_id: int) -> HttpResponse:
    """关联已有招商项目: say that a lead in the pipeline serves this node."""
    node = _node_or_404(node_id)
    form = LeadLinkForm(request.POST or None, leads=selectors.linkable_leads(user=request.user))
    if request.method == "POST" and form.is_valid():
        lead = form.cleaned_data["lead"]
        if run_service(
            request,
            lambda: services.lead_node_set(
                actor=request.user, lead=lead, node=node, role=form.cleaned_data["role"]
            ),
            form=form,
            success=f"“{lead.name}”已关联到“{node.name}”环节，落地后计入该环节。",
        ):
            return redirect(node.get_absolute_url())
    return render(
        request,
        "chains/simple_form.html",
        {"form": form, "title": f"{node.chain.name}·{node.name}：关联已有招商项目", "back": node},
    )
