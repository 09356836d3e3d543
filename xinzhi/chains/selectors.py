"""Reads of the industry-chain map; every one takes the acting user and is scoped by it.

"三度一率" live here and nowhere else (`chain_metrics`): computed from the records, never typed.
Who counts as *local* (本地): an enterprise in the 企业库. An enterprise is *on a node* when a
membership puts it there (链上企业) or when a 招商 lead carrying that node has landed with it
(招商落地: the landing flow links the enterprise, so the chain changes without a second entry).
For a user who does not see the whole district, numerators count only their 板块 (the figure is
their 板块's share) while denominators stay the chain's or the district's.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.utils import timezone

from xinzhi.accounts import permissions
from xinzhi.accounts.models import User
from xinzhi.attraction.choices import STAGE_REGISTERED, LeadStatus
from xinzhi.attraction.models import Lead, StageChange
from xinzhi.chains.choices import CORE_ROLES, MemberRole, MetricKey, Presence, TargetStatus
from xinzhi.chains.filters import MembershipFilterSet, SupplyFilterSet, TargetFilterSet
from xinzhi.chains.models import (
    Chain,
    GapTarget,
    LeadNode,
    Membership,
    Node,
    SupplyRelation,
    ValueAdded,
)
from xinzhi.enterprises.models import AnnualFigures, Enterprise

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

DEFAULT_DEFINITIONS: dict[str, str] = {
    MetricKey.CONCENTRATION: (
        "位于本区的核心企业（链主 + 核心配套）家数，及其占本链核心企业名录（本地 + 外地）的比重。"
    ),
    MetricKey.COMPLETENESS: "至少有一家本地企业的关键环节数 ÷ 关键环节总数。",
    MetricKey.VALUE_ADDED: (
        "本链本地企业当年增加值之和 ÷ 全区企业当年增加值总额；未填报增加值的企业按"
        "销售收入 × 增加值率估算（标注为估算）。"
    ),
    MetricKey.LOCAL_SUPPLY: "链主当年向本地供应商的采购额 ÷ 链主当年登记的采购总额。",
}


# ---------------------------------------------------------------- who counts, and where


def share_jurisdiction_ids(user: User) -> list[int] | None:
    """None for a user who sees the whole district; else the 板块 their numerators count."""
    if permissions.sees_whole_district(user) and user.jurisdiction_id is None:
        return None
    return user.visible_jurisdiction_ids()


def share_label(user: User) -> str:
    """ "" for the whole district; else the 板块 whose share the figures are."""
    if share_jurisdiction_ids(user) is None:
        return ""
    return user.jurisdiction.label if user.jurisdiction_id else "—"


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


@dataclass(frozen=True)
class Seat:
    """One local enterprise on one node (链上席位), from a membership or a landed lead."""

    enterprise_id: int
    node_id: int
    role: str
    source: str  # "membership" | "lead"


def _landed_on(lead_ids: Iterable[int]) -> dict[int, dt.date]:
    """The day each lead entered 落地注册 (its first move there), in one query."""
    return dict(
        StageChange.all_objects.filter(lead_id__in=list(lead_ids), to_stage__code=STAGE_REGISTERED)
        .values("lead_id")
        .annotate(first=Min("changed_on"))
        .values_list("lead_id", "first")
    )


def chain_seats(
    chain: Chain, *, year: int | None = None, jurisdiction_ids: Iterable[int] | None = None
) -> list[Seat]:
    """Local enterprises on the chain's nodes (as at the end of `year` when given).

    `jurisdiction_ids` restricts to enterprises of those 板块 (a user's share). A membership wins
    over a landed lead for the same enterprise and node.
    """
    members = Membership.objects.unscoped().filter(node__chain=chain, enterprise__isnull=False)
    links = LeadNode.objects.unscoped().filter(
        node__chain=chain, lead__enterprise__isnull=False, lead__status=LeadStatus.ACTIVE
    )
    if year is not None:
        members = members.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=year_end(year)))
    if jurisdiction_ids is not None:
        ids = list(jurisdiction_ids)
        members = members.filter(enterprise__jurisdiction_id__in=ids)
        links = links.filter(lead__enterprise__jurisdiction_id__in=ids)
    landed = list(links.values_list("lead_id", "lead__enterprise_id", "node_id", "role"))
    dates = _landed_on(row[0] for row in landed) if year is not None and landed else {}
    seats: dict[tuple[int, int], Seat] = {}
    for lead_id, enterprise_id, node_id, role in landed:
        on = dates.get(lead_id)
        if year is not None and on is not None and on > year_end(year):
            continue  # landed after that year
        seats[(enterprise_id, node_id)] = Seat(enterprise_id, node_id, role, "lead")
    for enterprise_id, node_id, role in members.values_list("enterprise_id", "node_id", "role"):
        seats[(enterprise_id, node_id)] = Seat(enterprise_id, node_id, role, "membership")
    return list(seats.values())


# ---------------------------------------------------------------- 三度一率


@dataclass
class Figure:
    """One of the four figures with what it is made of (分子、分母、口径)."""

    key: str
    label: str
    definition: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    numerator_label: str = ""
    denominator_label: str = ""
    unit: str = ""
    reason: str = ""  # why there is no value ("—")
    notes: list[str] = field(default_factory=list)
    count: int | None = None  # 核心企业集聚度 also reports the number of core enterprises

    @property
    def value(self) -> Decimal | None:
        """The ratio (0..1), or None when it cannot be computed (see `reason`)."""
        if self.reason or not self.denominator:
            return None
        return (self.numerator or Decimal(0)) / self.denominator

    @property
    def percent(self) -> Decimal | None:
        value = self.value
        if value is None:
            return None
        return (value * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class ChainMetrics:
    chain: Chain
    year: int
    share: str  # "" for the whole district, else the 板块 whose share the figures are
    figures: list[Figure]
    previous: dict[str, Figure]

    def change(self, key: str) -> Decimal | None:
        """Year-on-year change in percentage points, when both years have a value."""
        now = next(f for f in self.figures if f.key == key).percent
        before = self.previous[key].percent if key in self.previous else None
        if now is None or before is None:
            return None
        return now - before

    @property
    def rows(self) -> list[tuple[Figure, Figure | None, Decimal | None]]:
        return [(f, self.previous.get(f.key), self.change(f.key)) for f in self.figures]


def definition(chain: Chain, key: str) -> str:
    """The district's wording of a figure (Chain.definitions), else the default."""
    custom = (chain.definitions or {}).get(str(key))
    return custom if isinstance(custom, str) and custom.strip() else DEFAULT_DEFINITIONS[key]


def _figure(chain: Chain, key: MetricKey, **values: Any) -> Figure:
    return Figure(key=str(key), label=key.label, definition=definition(chain, key), **values)


def _concentration(
    chain: Chain, year: int | None, ids: list[int] | None, seats: _Seats | None = None
) -> Figure:
    seats = seats or _Seats(chain, year, ids)
    share = {s.enterprise_id for s in seats.share if s.role in CORE_ROLES}
    local = {s.enterprise_id for s in seats.district if s.role in CORE_ROLES}
    outside = Membership.objects.unscoped().filter(
        node__chain=chain, enterprise__isnull=True, role__in=CORE_ROLES
    )
    if year is not None:
        outside = outside.filter(Q(joined_on__isnull=True) | Q(joined_on__lte=year_end(year)))
    outside = outside.values("outside_name").distinct().count()
    total = len(local) + outside
    figure = _figure(
        chain,
        MetricKey.CONCENTRATION,
        numerator=Decimal(len(share)),
        denominator=Decimal(total),
        numerator_label="本地核心企业",
        denominator_label="核心企业名录（本地 + 外地）",
        unit="家",
        count=len(share),
    )
    if total == 0:
        figure.reason = "本链尚未登记核心企业（链主、核心配套）"
    return figure


def subtrees(chain: Chain) -> dict[int, set[int]]:
    """Each node's id with its descendants' (a key node counts what sits under it)."""
    parents = dict(Node.objects.filter(chain=chain).values_list("id", "parent_id"))
    found: dict[int, set[int]] = {pk: {pk} for pk in parents}
    for pk in parents:
        up = parents[pk]
        while up is not None:
            found[up].add(pk)
            up = parents[up]
    return found


def _completeness(
    chain: Chain, year: int | None, ids: list[int] | None, seats: _Seats | None = None
) -> Figure:
    seats = seats or _Seats(chain, year, ids)
    key_nodes = set(Node.objects.filter(chain=chain, is_key=True).values_list("id", flat=True))
    seated = {s.node_id for s in seats.share}
    tree = subtrees(chain)
    covered = {pk for pk in key_nodes if tree[pk] & seated}
    figure = _figure(
        chain,
        MetricKey.COMPLETENESS,
        numerator=Decimal(len(covered)),
        denominator=Decimal(len(key_nodes)),
        numerator_label="有本地企业的关键环节",
        denominator_label="关键环节",
        unit="个",
    )
    if not key_nodes:
        figure.reason = "本链尚未标记关键环节"
    return figure


@dataclass
class ValueAddedRow:
    """One enterprise's value added for a year: reported, estimated from revenue, or missing."""

    enterprise_id: int
    amount: Decimal | None
    estimated: bool
    revenue: Decimal | None = None


def value_added_rows(
    enterprise_ids: Iterable[int], year: int, rate: Decimal
) -> list[ValueAddedRow]:
    ids = sorted(set(enterprise_ids))
    reported = dict(
        ValueAdded.objects.unscoped()
        .filter(enterprise_id__in=ids, year=year)
        .values_list("enterprise_id", "amount")
    )
    revenue = dict(
        AnnualFigures.objects.unscoped()
        .filter(enterprise_id__in=ids, year=year, revenue__isnull=False)
        .values_list("enterprise_id", "revenue")
    )
    rows = []
    for pk in ids:
        if pk in reported:
            rows.append(ValueAddedRow(pk, reported[pk], False, revenue.get(pk)))
        elif pk in revenue:
            rows.append(
                ValueAddedRow(pk, (revenue[pk] * rate).quantize(Decimal("0.01")), True, revenue[pk])
            )
        else:
            rows.append(ValueAddedRow(pk, None, False))
    return rows


def _district_sums(year: int) -> tuple[Decimal, Decimal, int]:
    """Reported value added, and revenue and count of the enterprises without it, for `year`."""
    reported = ValueAdded.objects.unscoped().filter(year=year)
    total = reported.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    agg = (
        AnnualFigures.objects.unscoped()
        .filter(year=year, revenue__isnull=False)
        .exclude(enterprise_id__in=reported.values("enterprise_id"))
        .aggregate(s=Sum("revenue"), n=Count("id"))
    )
    return total, agg["s"] or Decimal(0), agg["n"]


def district_value_added(
    year: int, rate: Decimal, sums: dict[int, tuple] | None = None
) -> tuple[Decimal, int]:
    """All district enterprises' value added for `year` and how many of them were estimated.

    `sums` memoises the district sums by year across the chains of one page or report.
    """
    if sums is None or year not in (sums or {}):
        found = _district_sums(year)
        if sums is not None:
            sums[year] = found
    else:
        found = sums[year]
    total, revenue, estimated = found
    return total + (revenue * rate).quantize(CENT), estimated


def _value_added(
    chain: Chain, year: int, ids: list[int] | None, seats: _Seats, sums: dict | None
) -> Figure:
    rows = value_added_rows({s.enterprise_id for s in seats.share}, year, chain.value_added_rate)
    known = [r for r in rows if r.amount is not None]
    district, district_estimated = district_value_added(year, chain.value_added_rate, sums)
    figure = _figure(
        chain,
        MetricKey.VALUE_ADDED,
        numerator=sum((r.amount for r in known), Decimal(0)).quantize(CENT),
        denominator=district.quantize(CENT),
        numerator_label="本链本地企业增加值",
        denominator_label="全区企业增加值",
        unit="万元",
    )
    estimated = sum(1 for r in known if r.estimated)
    if estimated:
        figure.notes.append(
            f"其中 {estimated} 家按销售收入 × 增加值率 {chain.value_added_rate:.0%} 估算"
        )
    if missing := len(rows) - len(known):
        figure.notes.append(f"{missing} 家该年度无增加值或销售收入数据，未计入")
    if district_estimated:
        figure.notes.append(f"全区总额中 {district_estimated} 家为估算")
    if not district:
        figure.reason = f"{year}年全区尚无增加值或销售收入数据"
    elif not known:
        figure.reason = (
            f"本链本地企业{year}年均无增加值或销售收入数据" if rows else "本链尚无本地企业"
        )
    return figure


def chain_leader_ids(
    chain: Chain, year: int | None = None, seats: list[Seat] | None = None
) -> list[int]:
    """The chain's local 链主 enterprises (whole district: the 链主 is the chain's)."""
    seats = chain_seats(chain, year=year) if seats is None else seats
    return sorted({s.enterprise_id for s in seats if s.role == MemberRole.CHAIN_LEADER})


def _local_supply(chain: Chain, year: int, ids: list[int] | None, seats: _Seats) -> Figure:
    leaders = chain_leader_ids(chain, year, seats.district)
    purchases = SupplyRelation.objects.unscoped().filter(buyer_id__in=leaders, year=year)
    local = purchases.filter(supplier__isnull=False)
    if ids is not None:
        local = local.filter(supplier__jurisdiction_id__in=ids)
    figure = _figure(
        chain,
        MetricKey.LOCAL_SUPPLY,
        numerator=(local.aggregate(s=Sum("amount"))["s"] or Decimal(0)).quantize(CENT),
        denominator=(purchases.aggregate(s=Sum("amount"))["s"] or Decimal(0)).quantize(CENT),
        numerator_label="向本地供应商采购",
        denominator_label="链主采购总额",
        unit="万元",
    )
    if not leaders:
        figure.reason = "本链尚未登记本地链主企业"
    elif not figure.denominator:
        figure.reason = f"链主{year}年尚无采购记录（可导入链主采购清单）"
    return figure


class _Seats:
    """A chain's seats at one year, district-wide and for a share, each read once."""

    def __init__(self, chain: Chain, year: int | None, ids: list[int] | None) -> None:
        self.district = chain_seats(chain, year=year)
        if ids is None:
            self.share = self.district
        else:
            self.share = chain_seats(chain, year=year, jurisdiction_ids=ids)


def chain_figures(
    chain: Chain, year: int, jurisdiction_ids: list[int] | None, sums: dict | None = None
) -> list[Figure]:
    """The four figures of `chain` for `year`; numerators restricted to `jurisdiction_ids`.

    `sums` (a dict) memoises the district totals across chains; leave it out for one chain.
    """
    seats = _Seats(chain, year, jurisdiction_ids)
    sums = {} if sums is None else sums
    return [
        _concentration(chain, year, jurisdiction_ids, seats),
        _completeness(chain, year, jurisdiction_ids, seats),
        _value_added(chain, year, jurisdiction_ids, seats, sums),
        _local_supply(chain, year, jurisdiction_ids, seats),
    ]


def chain_metrics(*, user: User, chain: Chain, year: int, sums: dict | None = None) -> ChainMetrics:
    """The "三度一率" of `chain` for `year` as `user` may see them, with last year's.

    `sums` may be shared across the chains of one page (district totals computed once a year).
    """
    ids = share_jurisdiction_ids(user)
    sums = {} if sums is None else sums
    return ChainMetrics(
        chain=chain,
        year=year,
        share=share_label(user),
        figures=chain_figures(chain, year, ids, sums),
        previous={f.key: f for f in chain_figures(chain, year - 1, ids, sums)},
    )


def district_chain_figures(
    *, year: int, jurisdiction_ids: list[int] | None = None
) -> dict[str, list[Figure]]:
    """Every active chain's four figures for `year`, by chain code (for targets and reports).

    `jurisdiction_ids` gives a 板块's share (numerators of its enterprises only); None the
    district. Each Figure carries numerator, denominator, definition and, when it has no
    value, the reason — a report shows "—" with it, never a 0 that looks real.
    """
    sums: dict = {}
    return {c.code: chain_figures(c, year, jurisdiction_ids, sums) for c in chain_list()}


def chain_structure_now(*, user: User, chain: Chain) -> list[Figure]:
    """核心企业集聚度 and 产业链完整度 as of today (a landing shows at once, before year end)."""
    ids = share_jurisdiction_ids(user)
    return [_concentration(chain, None, ids), _completeness(chain, None, ids)]


def default_year(chain: Chain) -> int:
    """The latest year of the 链主's recorded purchases, else last year."""
    latest = (
        SupplyRelation.objects.unscoped()
        .filter(buyer_id__in=chain_leader_ids(chain))
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    return latest or timezone.localdate().year - 1


def metric_years(chain: Chain, around: int) -> list[int]:
    """Years offered by the year picker: recorded purchase and figure years near `around`."""
    years = set(
        SupplyRelation.objects.unscoped()
        .filter(buyer_id__in=chain_leader_ids(chain))
        .values_list("year", flat=True)
    )
    years |= {around - 2, around - 1, around, timezone.localdate().year}
    return sorted(y for y in years if y <= timezone.localdate().year)[::-1]


# ---------------------------------------------------------------- chains, nodes, the map


def chain_list() -> list[Chain]:
    return list(Chain.objects.filter(is_active=True).order_by("order", "id"))


def chain_get(pk: int) -> Chain:
    """An active chain (structure is district reference data: every bureau user sees it)."""
    return Chain.objects.get(pk=pk, is_active=True)


def node_get(pk: int) -> Node:
    return Node.objects.select_related("chain", "parent").get(pk=pk, chain__is_active=True)


def chain_leaders(chains: Iterable[Chain]) -> dict[int, list[Enterprise]]:
    """The local 链主 of each chain (names are public: the chain's structure)."""
    rows = (
        Membership.objects.unscoped()
        .filter(
            node__chain__in=list(chains), role=MemberRole.CHAIN_LEADER, enterprise__isnull=False
        )
        .select_related("enterprise")
        .order_by("node__chain_id", "enterprise__name")
    )
    found: dict[int, list[Enterprise]] = defaultdict(list)
    for m in rows:
        if m.enterprise not in found[m.node.chain_id]:
            found[m.node.chain_id].append(m.enterprise)
    return found


@dataclass
class NodeState:
    """A node with its local presence (district-wide: gaps are the district's)."""

    node: Node
    enterprises: int
    core: int
    presence: str
    targets: int = 0
    leads: int = 0

    @property
    def presence_label(self) -> str:
        return Presence(self.presence).label

    @property
    def is_gap(self) -> bool:
        return self.presence != Presence.PRESENT


def node_states(chain: Chain) -> list[NodeState]:
    """Every node of `chain` (tree order) with its count of local enterprises and gap status."""
    nodes = list(Node.objects.filter(chain=chain).order_by("order", "id"))
    per_node: dict[int, set[int]] = defaultdict(set)
    core: dict[int, set[int]] = defaultdict(set)
    for seat in chain_seats(chain):
        per_node[seat.node_id].add(seat.enterprise_id)
        if seat.role in CORE_ROLES:
            core[seat.node_id].add(seat.enterprise_id)
    targets = Counter(
        GapTarget.objects.filter(node__chain=chain)
        .exclude(status=TargetStatus.SHELVED)
        .values_list("node_id", flat=True)
    )
    leads = Counter(
        LeadNode.objects.unscoped()
        .filter(node__chain=chain, lead__status=LeadStatus.ACTIVE, lead__enterprise__isnull=True)
        .values_list("node_id", flat=True)
    )
    tree = subtrees(chain)
    states = []
    for node in _tree_order(nodes):
        under = set().union(*(per_node[pk] for pk in tree[node.pk]))
        core_under = set().union(*(core[pk] for pk in tree[node.pk]))
        count = len(under)
        if count == 0:
            presence = Presence.MISSING
        elif count < chain.weak_threshold:
            presence = Presence.WEAK
        else:
            presence = Presence.PRESENT
        states.append(
            NodeState(node, count, len(core_under), presence, targets[node.pk], leads[node.pk])
        )
    return states


def _tree_order(nodes: list[Node]) -> list[Node]:
    """Depth-first order (parent before children); sets `depth` and `is_leaf` on each node."""
    children: dict[int | None, list[Node]] = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)
    ordered: list[Node] = []

    def walk(parent: int | None, depth: int) -> None:
        for node in children[parent]:
            node.depth = depth
            node.is_leaf = not children[node.pk]
            ordered.append(node)
            walk(node.pk, depth + 1)

    walk(None, 0)
    return ordered


def chain_gaps(states: list[NodeState]) -> list[NodeState]:
    """Key or leaf nodes with no (缺链) or too few (弱链) local enterprises: the 招商 targets."""
    return [s for s in states if s.is_gap and (s.node.is_key or s.node.is_leaf)]


PRESENCE_COLOURS = {
    Presence.MISSING: "#c0392b",
    Presence.WEAK: "#e6a23c",
    Presence.PRESENT: "#2e8b57",
}


def chain_map_spec(chain: Chain, states: list[NodeState], node_url: str) -> dict:
    """The ECharts tree of the chain (json_script → static/js/chains.js).

    Colour by local presence, symbol size by the number of local enterprises; `node_url` has
    "0" where the node id goes (the click opens the node page).
    """
    by_parent: dict[int | None, list[NodeState]] = defaultdict(list)
    for state in states:
        by_parent[state.node.parent_id].append(state)

    def item(state: NodeState) -> dict:
        node = state.node
        return {
            "name": node.name,
            "id": node.pk,
            "url": node_url.replace("/0/", f"/{node.pk}/"),
            "value": state.enterprises,
            "presence": state.presence_label,
            "position": node.get_position_display(),
            "key": node.is_key,
            "symbolSize": 12 + min(state.enterprises, 10) * 3,
            "itemStyle": {
                "color": PRESENCE_COLOURS[state.presence],
                "borderColor": "#1f3b57" if node.is_key else PRESENCE_COLOURS[state.presence],
                "borderWidth": 3 if node.is_key else 1,
            },
            "children": [item(child) for child in by_parent[node.pk]],
        }

    return {
        "kind": "chainTree",
        "root": {
            "name": chain.name,
            "id": 0,
            "value": sum(s.enterprises for s in states),
            "symbolSize": 18,
            "itemStyle": {"color": "#2a6fb0"},
            "children": [item(state) for state in by_parent[None]],
        },
    }


@dataclass
class LoopSummary:
    """Gaps → targets → leads by stage → landed (补链闭环)."""

    gaps: int
    targets: int
    targets_open: int
    targets_converted: int
    leads_by_stage: list[tuple[str, int]]
    leads_active: int
    landed: int


def chain_loop(*, user: User, chain: Chain, states: list[NodeState]) -> LoopSummary:
    targets = Counter(GapTarget.objects.filter(node__chain=chain).values_list("status", flat=True))
    leads = Lead.objects.visible_to(user).filter(chain_node__node__chain=chain)
    stages = Counter(
        leads.filter(status=LeadStatus.ACTIVE, enterprise__isnull=True).values_list(
            "stage__name", "stage__order"
        )
    )
    return LoopSummary(
        gaps=len(chain_gaps(states)),
        targets=sum(targets.values()),
        targets_open=targets[TargetStatus.OPEN],
        targets_converted=targets[TargetStatus.CONVERTED],
        leads_by_stage=[
            (name, n) for (name, _), n in sorted(stages.items(), key=lambda x: x[0][1])
        ],
        leads_active=sum(stages.values()),
        landed=leads.filter(status=LeadStatus.ACTIVE, enterprise__isnull=False).count(),
    )


# ---------------------------------------------------------------- a node's page


@dataclass
class NodeMember:
    """An enterprise on the node as the user may see it."""

    enterprise: Enterprise
    role: str
    role_label: str
    source: str
    membership: Membership | None = None
    lead: Lead | None = None


def node_members(*, user: User, node: Node) -> tuple[list[NodeMember], int]:
    """Local enterprises on `node` the user may see, and how many others are outside their 板块."""
    seats = [s for s in chain_seats(node.chain) if s.node_id == node.pk]
    visible = Enterprise.objects.visible_to(user).filter(pk__in=[s.enterprise_id for s in seats])
    enterprises = {e.pk: e for e in visible.select_related("jurisdiction")}
    memberships = {
        m.enterprise_id: m
        for m in Membership.objects.visible_to(user).filter(node=node, enterprise__isnull=False)
    }
    leads = {
        link.lead.enterprise_id: link.lead
        for link in LeadNode.objects.visible_to(user)
        .filter(node=node, lead__enterprise__isnull=False)
        .select_related("lead__stage")
    }
    rows = [
        NodeMember(
            enterprises[s.enterprise_id],
            s.role,
            MemberRole(s.role).label,
            s.source,
            memberships.get(s.enterprise_id),
            leads.get(s.enterprise_id),
        )
        for s in seats
        if s.enterprise_id in enterprises
    ]
    order = {r: i for i, r in enumerate(MemberRole.values)}
    rows.sort(key=lambda r: (order[r.role], r.enterprise.name))
    return rows, len(seats) - len(rows)


def node_outside_members(node: Node) -> list[Membership]:
    """Outside core companies listed on the node (names are the chain's structure)."""
    return list(Membership.objects.unscoped().filter(node=node, enterprise__isnull=True))


def node_targets(node: Node) -> list[GapTarget]:
    return list(GapTarget.objects.filter(node=node).select_related("lead__stage"))


def node_leads(*, user: User, node: Node) -> list[Lead]:
    return list(
        Lead.objects.visible_to(user)
        .filter(chain_node__node=node)
        .select_related("stage", "jurisdiction", "enterprise")
        .order_by("status", "-last_activity_on")
    )


def node_suppliers(*, user: User, node: Node) -> list[SupplyRelation]:
    """Purchases recorded on the node (buyer-scoped), newest year first."""
    return list(
        SupplyRelation.objects.visible_to(user)
        .filter(node=node)
        .select_related("buyer", "supplier")
        .order_by("-year", "-amount")[:200]
    )


# ---------------------------------------------------------------- the 链主 page


@dataclass
class LeaderView:
    enterprise: Enterprise
    year: int
    total: Decimal
    local: Decimal
    local_suppliers: list[SupplyRelation]
    outside_by_region: list[tuple[str, Decimal, list[SupplyRelation]]]

    @property
    def local_percent(self) -> Decimal | None:
        if not self.total:
            return None
        return (self.local / self.total * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def leader_view(*, user: User, enterprise: Enterprise, year: int) -> LeaderView:
    """A 链主's purchases for `year`: local suppliers, local share, outside suppliers by region.

    `enterprise` must have been read through the user's scope; the purchases are its own rows.
    """
    rows = list(
        SupplyRelation.objects.visible_to(user)
        .filter(buyer=enterprise, year=year)
        .select_related("supplier", "node")
        .order_by("-amount", "id")
    )
    local = [r for r in rows if r.supplier_id]
    regions: dict[str, list[SupplyRelation]] = defaultdict(list)
    for r in rows:
        if not r.supplier_id:
            regions[r.supplier_region or "未注明"].append(r)
    outside = sorted(
        (
            (region, sum((r.amount for r in items), Decimal(0)), items)
            for region, items in regions.items()
        ),
        key=lambda x: -x[1],
    )
    return LeaderView(
        enterprise=enterprise,
        year=year,
        total=sum((r.amount for r in rows), Decimal(0)),
        local=sum((r.amount for r in local), Decimal(0)),
        local_suppliers=local,
        outside_by_region=outside,
    )


def leader_enterprise(*, user: User, chain: Chain, enterprise_id: int) -> Enterprise:
    """A 链主 of `chain` the user may see; Enterprise.DoesNotExist otherwise (→ 404)."""
    if enterprise_id not in chain_leader_ids(chain):
        raise Enterprise.DoesNotExist
    return Enterprise.objects.visible_to(user).select_related("jurisdiction").get(pk=enterprise_id)


def outside_target_names(node_ids: Iterable[int]) -> set[tuple[int, str]]:
    return set(GapTarget.objects.filter(node_id__in=list(node_ids)).values_list("node_id", "name"))


# ---------------------------------------------------------------- drill-down behind a figure


@dataclass
class DrillRow:
    cells: list[Any]
    url: str = ""


def metric_records(
    *, user: User, chain: Chain, key: str, year: int
) -> tuple[list[str], list[DrillRow]]:
    """The records behind one figure as the user may see them (headers, rows)."""
    ids = share_jurisdiction_ids(user)
    seats = chain_seats(chain, year=year, jurisdiction_ids=ids)
    names = dict(Node.objects.filter(chain=chain).values_list("id", "name"))
    visible = {
        e.pk: e
        for e in Enterprise.objects.visible_to(user)
        .filter(pk__in={s.enterprise_id for s in seats})
        .select_related("jurisdiction")
    }
    if key == MetricKey.CONCENTRATION:
        rows = [
            DrillRow(
                [
                    visible[s.enterprise_id].name,
                    names[s.node_id],
                    MemberRole(s.role).label,
                    visible[s.enterprise_id].jurisdiction.label,
                    "本地",
                ],
                visible[s.enterprise_id].get_absolute_url(),
            )
            for s in seats
            if s.role in CORE_ROLES and s.enterprise_id in visible
        ]
        rows += [
            DrillRow([m.outside_name, m.node.name, m.get_role_display(), m.outside_region, "外地"])
            for m in Membership.objects.unscoped()
            .filter(node__chain=chain, enterprise__isnull=True, role__in=CORE_ROLES)
            .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=year_end(year)))
            .select_related("node")
        ]
        return ["企业", "环节", "角色", "所在板块/地区", "本地/外地"], rows
    if key == MetricKey.COMPLETENESS:
        direct: dict[int, set[str]] = defaultdict(set)
        for s in seats:
            if s.enterprise_id in visible:
                direct[s.node_id].add(visible[s.enterprise_id].name)
        tree = subtrees(chain)
        seated = {s.node_id for s in seats}
        rows = []
        for n in Node.objects.filter(chain=chain, is_key=True).order_by("order", "id"):
            names = set().union(*(direct[pk] for pk in tree[n.pk]))
            covered = bool(tree[n.pk] & seated)
            rows.append(
                DrillRow(
                    [
                        n.name,
                        n.get_position_display(),
                        "是" if covered else "否（缺链）",
                        "、".join(sorted(names)) or "—",
                    ],
                    n.get_absolute_url(),
                )
            )
        return ["关键环节", "产业链位置", "是否有本地企业", "本地企业（可见范围）"], rows
    if key == MetricKey.VALUE_ADDED:
        rows = []
        for r in value_added_rows(visible, year, chain.value_added_rate):
            e = visible[r.enterprise_id]
            basis = (
                "填报"
                if r.amount is not None and not r.estimated
                else ("估算（销售收入 × 增加值率）" if r.estimated else "无数据，未计入")
            )
            rows.append(
                DrillRow(
                    [e.name, e.jurisdiction.label, r.revenue, r.amount, basis], e.get_absolute_url()
                )
            )
        return ["企业", "所属板块", "销售收入（万元）", "增加值（万元）", "口径"], rows
    if key == MetricKey.LOCAL_SUPPLY:
        relations = (
            SupplyRelation.objects.visible_to(user)
            .filter(buyer_id__in=chain_leader_ids(chain, year), year=year)
            .select_related("buyer", "supplier", "node")
            .order_by("-amount")
        )
        return ["链主", "供应商", "本地/外地", "所在地", "环节", "配套产品", "采购额（万元）"], [
            DrillRow(
                [
                    r.buyer.name,
                    r.supplier_name,
                    "本地" if r.supplier_id else "外地",
                    r.supplier.jurisdiction.label if r.supplier_id else r.supplier_region,
                    r.node.name if r.node_id else "",
                    r.product,
                    r.amount,
                ]
            )
            for r in relations.select_related("supplier__jurisdiction")
        ]
    raise KeyError(key)


# ---------------------------------------------------------------- lists (page, API, export)


def membership_filterset(*, user: User, params: Mapping[str, Any]) -> MembershipFilterSet:
    return MembershipFilterSet(
        params,
        queryset=Membership.objects.visible_to(user)
        .filter(node__chain__is_active=True)
        .select_related("node__chain", "enterprise__jurisdiction"),
        user=user,
    )


def membership_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[Membership]:
    return membership_filterset(user=user, params=params).qs


def target_filterset(*, user: User, params: Mapping[str, Any]) -> TargetFilterSet:
    return TargetFilterSet(
        params,
        queryset=GapTarget.objects.filter(node__chain__is_active=True).select_related(
            "node__chain", "lead__stage"
        ),
        user=user,
    )


def target_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[GapTarget]:
    return target_filterset(user=user, params=params).qs


def target_get(pk: int) -> GapTarget:
    return GapTarget.objects.select_related("node__chain", "lead").get(pk=pk)


def supply_filterset(*, user: User, params: Mapping[str, Any]) -> SupplyFilterSet:
    return SupplyFilterSet(
        params,
        queryset=SupplyRelation.objects.visible_to(user).select_related(
            "buyer", "supplier__jurisdiction", "node__chain"
        ),
        user=user,
    )


def supply_list(*, user: User, params: Mapping[str, Any]) -> QuerySet[SupplyRelation]:
    return supply_filterset(user=user, params=params).qs


def membership_get(*, user: User, pk: int) -> Membership:
    return (
        Membership.objects.visible_to(user).select_related("node__chain", "enterprise").get(pk=pk)
    )


# ---------------------------------------------------------------- the enterprise page's card


@dataclass
class EnterpriseSeat:
    chain: Chain
    node: Node
    role_label: str
    source: str
    is_leader: bool


def enterprise_seats(*, user: User, enterprise: Enterprise) -> list[EnterpriseSeat]:
    """Where `enterprise` (already read through the user's scope) sits on the chains."""
    seats: dict[int, EnterpriseSeat] = {}
    for link in (
        LeadNode.objects.visible_to(user)
        .filter(lead__enterprise=enterprise, lead__status=LeadStatus.ACTIVE)
        .select_related("node__chain")
    ):
        seats[link.node_id] = EnterpriseSeat(
            link.node.chain,
            link.node,
            MemberRole(link.role).label,
            "招商落地",
            link.role == MemberRole.CHAIN_LEADER,
        )
    for m in (
        Membership.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("node__chain")
    ):
        seats[m.node_id] = EnterpriseSeat(
            m.node.chain,
            m.node,
            m.get_role_display(),
            "链上登记",
            m.role == MemberRole.CHAIN_LEADER,
        )
    return sorted(seats.values(), key=lambda s: (s.chain.order, s.node.order, s.node.pk))


def linkable_leads(*, user: User) -> QuerySet[Lead]:
    """Active leads the user may see that serve no node yet (关联已有招商项目)."""
    return (
        Lead.objects.visible_to(user)
        .filter(status=LeadStatus.ACTIVE, chain_node__isnull=True)
        .select_related("jurisdiction", "stage")
        .order_by("name")
    )
