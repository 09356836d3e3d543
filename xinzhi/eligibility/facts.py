"""Enterprise facts: frozen dataclasses parsed (and validated) from the DESIGN §5 input JSON.

Money is in 万元 as :class:`decimal.Decimal`; ratios are Decimals in [0, 1]; dates are
:class:`datetime.date`. ``None`` always means "not known" (the check needing it goes to
manual review), except for the ``*_valid_until`` title dates, where ``None`` means "holds no
such title".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

__all__ = [
    "EnterpriseFacts",
    "Flags",
    "Funding",
    "Honours",
    "IPHoldings",
    "Incident",
    "InputError",
    "Specialisation",
    "YearFigures",
    "facts_from_dict",
    "validate_facts",
]


class InputError(ValueError):
    """Bad input: names the enterprise and the field."""

    def __init__(self, enterprise_id: str | None, field: str, message: str) -> None:
        self.enterprise_id = enterprise_id
        self.field = field
        self.message = message
        who = f"企业 {enterprise_id}" if enterprise_id else "企业（缺少 id）"
        super().__init__(f"{who} 字段 {field}: {message}")


# --------------------------------------------------------------------------- dataclasses


@dataclass(frozen=True, slots=True)
class YearFigures:
    """One fiscal year's figures (万元 unless noted)."""

    year: int
    revenue: Decimal | None = None  # 销售收入 = 主营 + 其他业务收入 (also used as 营业收入)
    main_revenue: Decimal | None = None  # 主营业务收入
    total_income: Decimal | None = None  # 总收入 = 收入总额 − 不征税收入
    hightech_revenue: Decimal | None = None  # 高新技术产品（服务）收入
    rd_expense: Decimal | None = None
    rd_expense_domestic: Decimal | None = None
    total_cost: Decimal | None = None  # 成本费用支出总额
    total_assets: Decimal | None = None
    total_liabilities: Decimal | None = None
    net_assets: Decimal | None = None  # may be negative
    net_profit: Decimal | None = None  # may be negative
    equity_financing: Decimal | None = None  # 新增股权融资（合格机构投资者实缴）
    sci_activity_expense: Decimal | None = None  # 科技活动费用支出 (瞪羚)
    employees: int | None = None  # year-end/average headcount of this year (瞪羚 path 2)

    def net_assets_value(self) -> Decimal | None:
        if self.net_assets is not None:
            return self.net_assets
        if self.total_assets is not None and self.total_liabilities is not None:
            return self.total_assets - self.total_liabilities
        return None


@dataclass(frozen=True, slots=True)
class IPHoldings:
    class1: int | None = None
    class1_self_developed: int | None = None
    class1_high_value: int | None = None
    class2: int | None = None
    standards_participation: bool | None = None  # 参与编制国家/行业标准、检测方法、技术规范


@dataclass(frozen=True, slots=True)
class Flags:
    resident: bool | None = None
    prohibited_industry: bool | None = None
    major_incident: bool | None = None
    serious_dishonesty: bool | None = None
    listed: bool | None = None
    has_core_ip: bool | None = None
    sme: bool | None = None  # 中小企业（工信部联企业〔2011〕300号）
    excluded_sector: bool | None = None  # 瞪羚: 垄断行业、房地产、基建、金融
    branch_or_trading: bool | None = None  # 瞪羚: 央企/外资生产基地/分支/销售/贸易公司


@dataclass(frozen=True, slots=True)
class Honours:
    hnte_valid_until: date | None = None
    innovative_sme_valid_until: date | None = None
    tech_innovative_sme_valid_until: date | None = None
    srdi_sme_valid_until: date | None = None
    little_giant_valid_until: date | None = None
    tech_sme_registered_year: int | None = None  # 科技型中小企业入库年度
    national_award_top3_5y: bool | None = None
    provincial_rd_institution: bool | None = None
    led_standard_5y: bool | None = None
    sti_award_3y: bool | None = None  # 近3年国家级或省级科技奖励
    other_honour: bool | None = None  # 国家级技术创新示范企业/知识产权优势企业/示范企业等
    award_prov_top3_or_nat_top5_3y: bool | None = None
    award_prov_plus_top3_3y: bool | None = None
    national_award_top3_3y: bool | None = None
    chuangke_top500_3y: bool | None = None
    chuangke_top50_3y: bool | None = None
    key_tech_breakthrough: bool | None = None  # 江苏独角兽 7亿美元放宽条件


@dataclass(frozen=True, slots=True)
class Funding:
    has_institutional_investment: bool | None = None
    valuation_usd_m: Decimal | None = None  # 最近一轮投后估值，百万美元
    financing_usd_m: Decimal | None = None  # 累计融资，百万美元
    valuation_cny_wan: Decimal | None = None  # 估值，万元人民币


@dataclass(frozen=True, slots=True)
class Specialisation:
    """专精特新 facts."""

    niche_years: int | None = None  # 从事特定细分市场年限（整年）
    product_field: str | None = None  # short_board | six_basics | other
    strategic_emerging: bool | None = None  # 主导产品属《战略性新兴产业分类》
    digital_level: int | None = None  # 数字化水平等级 1–4
    quality_items: int | None = None  # 质量管理四项中具备几项 0–4
    info_system: bool | None = None
    mgmt_certification: bool | None = None
    own_brand: bool | None = None
    market_share: Decimal | None = None  # 全国细分市场占有率
    market_rank: int | None = None  # 全国细分市场排名
    chain_key_link: bool | None = None
    six_basics_field: bool | None = None  # 工业六基/制造强国/网络强国领域
    dev_score: int | None = None  # 专精特新发展评价得分（平台计算）
    local_feature_score: int | None = None  # 特色化指标得分（省定，0–15）


INCIDENT_KINDS = ("safety", "quality", "environment", "tax", "dishonesty", "data_security")
INCIDENT_SEVERITIES = ("major", "serious", "general")


@dataclass(frozen=True, slots=True)
class Incident:
    """A dated incident or credit event (安全/质量/环境/税务/失信/数据安全); ``date`` None =
    date unknown (the rule set's window cannot be decided: manual review)."""

    date: date | None
    kind: str
    severity: str


@dataclass(frozen=True, slots=True)
class EnterpriseFacts:
    id: str
    name: str | None = None
    registered_on: date | None = None
    as_of: date | None = None
    employees: int | None = None
    tech_staff: int | None = None
    rd_staff: int | None = None
    financials: tuple[YearFigures, ...] = ()
    ip: IPHoldings = field(default_factory=IPHoldings)
    conversions_3y: int | None = None
    hightech_field: str | None = None
    rd_institution_level: str | None = None  # national|provincial|municipal|below_municipal|none
    rd_management_score: int | None = None  # 高企研究开发组织管理水平专家得分 0–20
    province: str | None = None
    city: str | None = None
    flags: Flags = field(default_factory=Flags)
    honours: Honours = field(default_factory=Honours)
    funding: Funding = field(default_factory=Funding)
    srdi: Specialisation = field(default_factory=Specialisation)
    # None = not reported (the legacy flags.major_incident decides); () = none occurred
    incidents: tuple[Incident, ...] | None = None
    by_year: Mapping[int, YearFigures] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.by_year and self.financials:
            object.__setattr__(self, "by_year", {f.year: f for f in self.financials})


# --------------------------------------------------------------------------- parsing

RD_LEVELS = ("national", "provincial", "municipal", "below_municipal", "none")
PRODUCT_FIELDS = ("short_board", "six_basics", "other")
# money fields that may legitimately be negative
SIGNED_MONEY = frozenset({"net_assets", "net_profit"})

# 10^15 万元 is far beyond any enterprise; larger inputs are typing errors (and ≥ 10^24 would
# overflow the exact Decimal context in products such as 0.05 × revenue).
MAX_AMOUNT = Decimal(10) ** 15

_TRUE = {"true", "1", "yes", "y", "是", "有", "t"}
_FALSE = {"false", "0", "no", "n", "否", "无", "f"}


def _is_blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and v.strip() == "")


def parse_decimal(v: Any, eid: str | None, fld: str, *, signed: bool = False) -> Decimal | None:
    if _is_blank(v):
        return None
    if isinstance(v, bool):
        raise InputError(eid, fld, f"应为数字，收到布尔值 {v!r}")
    try:
        if isinstance(v, Decimal):
            d = v
        elif isinstance(v, float):
            if not math.isfinite(v):
                raise InputError(eid, fld, f"不是有限数字: {v!r}")
            d = Decimal(repr(v))
        elif isinstance(v, int):
            d = Decimal(v)
        else:
            d = Decimal(str(v).strip().replace(",", ""))
    except InvalidOperation:
        raise InputError(eid, fld, f"无法解析为数字: {v!r}") from None
    if not d.is_finite():
        raise InputError(eid, fld, f"不是有限数字: {v!r}")
    if abs(d) >= MAX_AMOUNT:
        raise InputError(eid, fld, f"数值过大（应小于 10^15）: {v}")
    if not signed and d < 0:
        raise InputError(eid, fld, f"金额/数值不能为负数: {v}")
    return d


def parse_int(v: Any, eid: str | None, fld: str) -> int | None:
    d = parse_decimal(v, eid, fld)
    if d is None:
        return None
    if d != d.to_integral_value():
        raise InputError(eid, fld, f"应为整数: {v!r}")
    return int(d)


def parse_ratio(v: Any, eid: str | None, fld: str) -> Decimal | None:
    d = parse_decimal(v, eid, fld)
    if d is not None and d > 1:
        raise InputError(eid, fld, f"比例应在 0–1 之间（小数，如 0.12）: {v}")
    return d


def parse_bool(v: Any, eid: str | None, fld: str) -> bool | None:
    if _is_blank(v):
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, int | float) and v in (0, 1):
        return bool(v)
    s = str(v).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise InputError(eid, fld, f"应为 true/false（是/否）: {v!r}")


def parse_date(v: Any, eid: str | None, fld: str) -> date | None:
    if _is_blank(v):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = str(v).strip()
    try:
        return date.fromisoformat(s[:10] if len(s) >= 10 and s[10:11] in ("", "T", " ") else s)
    except ValueError:
        raise InputError(eid, fld, f"无法解析的日期（应为 YYYY-MM-DD）: {v!r}") from None


def parse_str(v: Any, eid: str | None, fld: str) -> str | None:
    if _is_blank(v):
        return None
    if isinstance(v, str | int):
        return str(v).strip()
    raise InputError(eid, fld, f"应为文本: {v!r}")


def _choice(v: Any, eid: str | None, fld: str, allowed: tuple[str, ...]) -> str | None:
    s = parse_str(v, eid, fld)
    if s is not None and s not in allowed:
        raise InputError(eid, fld, f"取值 {s!r} 无效，可选: {', '.join(allowed)}")
    return s


_YEAR_MONEY = (
    "revenue",
    "main_revenue",
    "total_income",
    "hightech_revenue",
    "rd_expense",
    "rd_expense_domestic",
    "total_cost",
    "total_assets",
    "total_liabilities",
    "net_assets",
    "net_profit",
    "equity_financing",
    "sci_activity_expense",
)
YEAR_FIELDS = ("year", *_YEAR_MONEY, "employees")

_SUB_PARSERS: dict[str, dict[str, str]] = {
    "ip": {
        "class1": "int",
        "class1_self_developed": "int",
        "class1_high_value": "int",
        "class2": "int",
        "standards_participation": "bool",
    },
    "flags": {f.name: "bool" for f in fields(Flags)},
    "honours": {
        f.name: (
            "date" if f.name.endswith("_until") else "int" if f.name.endswith("_year") else "bool"
        )
        for f in fields(Honours)
    },
    "funding": {
        "has_institutional_investment": "bool",
        "valuation_usd_m": "money",
        "financing_usd_m": "money",
        "valuation_cny_wan": "money",
    },
    "srdi": {
        "niche_years": "int",
        "product_field": "product_field",
        "strategic_emerging": "bool",
        "digital_level": "int",
        "quality_items": "int",
        "info_system": "bool",
        "mgmt_certification": "bool",
        "own_brand": "bool",
        "market_share": "ratio",
        "market_rank": "int",
        "chain_key_link": "bool",
        "six_basics_field": "bool",
        "dev_score": "int",
        "local_feature_score": "int",
    },
}
_SUB_CLASSES: dict[str, type] = {
    "ip": IPHoldings,
    "flags": Flags,
    "honours": Honours,
    "funding": Funding,
    "srdi": Specialisation,
}
TOP_FIELDS: dict[str, str] = {
    "id": "str",
    "name": "str",
    "registered_on": "date",
    "as_of": "date",
    "employees": "int",
    "tech_staff": "int",
    "rd_staff": "int",
    "conversions_3y": "int",
    "hightech_field": "str",
    "rd_institution_level": "rd_level",
    "rd_management_score": "int",
    "province": "str",
    "city": "str",
}
# Fields whose presence is informative only (ignored by the engine, accepted for convenience).
IGNORED_FIELDS = frozenset({"notes", "uscc", "note"})


def _parse(kind: str, v: Any, eid: str | None, fld: str) -> Any:
    if kind == "int":
        return parse_int(v, eid, fld)
    if kind == "money":
        return parse_decimal(v, eid, fld)
    if kind == "ratio":
        return parse_ratio(v, eid, fld)
    if kind == "bool":
        return parse_bool(v, eid, fld)
    if kind == "date":
        return parse_date(v, eid, fld)
    if kind == "rd_level":
        return _choice(v, eid, fld, RD_LEVELS)
    if kind == "product_field":
        return _choice(v, eid, fld, PRODUCT_FIELDS)
    return parse_str(v, eid, fld)


def _parse_year(row: Any, eid: str, idx: int) -> YearFigures:
    where = f"financials[{idx}]"
    if not isinstance(row, Mapping):
        raise InputError(eid, where, "每个年度应为对象")
    unknown = set(row) - set(YEAR_FIELDS)
    if unknown:
        raise InputError(
            eid, f"{where}.{min(unknown)}", f"未知字段；年度字段可选: {', '.join(YEAR_FIELDS)}"
        )
    year = parse_int(row.get("year"), eid, f"{where}.year")
    if year is None or not 1900 <= year <= 2200:
        raise InputError(eid, f"{where}.year", "缺少或无效的年度")
    where = f"financials[{year}]"
    kw: dict[str, Any] = {"year": year}
    for name in _YEAR_MONEY:
        kw[name] = parse_decimal(row.get(name), eid, f"{where}.{name}", signed=name in SIGNED_MONEY)
    kw["employees"] = parse_int(row.get("employees"), eid, f"{where}.employees")
    return YearFigures(**kw)


def facts_from_dict(data: Mapping[str, Any]) -> EnterpriseFacts:
    """Parse and validate one enterprise (DESIGN §5 shape). Raises :class:`InputError`."""
    if not isinstance(data, Mapping):
        raise InputError(None, "(record)", "每个企业应为 JSON 对象")
    eid = parse_str(data.get("id"), None, "id")
    if not eid:
        nm = data.get("name")
        raise InputError(None, "id", "缺少企业 id" + (f"（名称: {nm}）" if nm else ""))
    allowed = set(TOP_FIELDS) | set(_SUB_PARSERS) | {"financials", "incidents"} | IGNORED_FIELDS
    unknown = set(data) - allowed
    if unknown:
        raise InputError(eid, min(unknown), "未知字段")
    kw: dict[str, Any] = {}
    for name, kind in TOP_FIELDS.items():
        kw[name] = _parse(kind, data.get(name), eid, name)
    kw["id"] = eid
    for sub, spec in _SUB_PARSERS.items():
        raw = data.get(sub)
        if raw is None:
            kw[sub] = _SUB_CLASSES[sub]()
            continue
        if not isinstance(raw, Mapping):
            raise InputError(eid, sub, "应为对象")
        bad = set(raw) - set(spec)
        if bad:
            raise InputError(eid, f"{sub}.{min(bad)}", f"未知字段；可选: {', '.join(spec)}")
        kw[sub] = _SUB_CLASSES[sub](
            **{k: _parse(kind, raw.get(k), eid, f"{sub}.{k}") for k, kind in spec.items()}
        )
    fin_raw = data.get("financials") or []
    if not isinstance(fin_raw, list | tuple):
        raise InputError(eid, "financials", "应为年度数组")
    years = [_parse_year(r, eid, i) for i, r in enumerate(fin_raw)]
    seen: set[int] = set()
    for y in years:
        if y.year in seen:
            raise InputError(eid, f"financials[{y.year}]", "年度重复")
        seen.add(y.year)
    kw["financials"] = tuple(sorted(years, key=lambda y: y.year))
    kw["incidents"] = _parse_incidents(data.get("incidents"), eid)
    facts = EnterpriseFacts(**kw)
    validate_facts(facts)
    return facts


def _parse_incidents(raw: Any, eid: str) -> tuple[Incident, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list | tuple):
        raise InputError(eid, "incidents", "应为事件数组")
    out = []
    for i, item in enumerate(raw):
        where = f"incidents[{i}]"
        if not isinstance(item, Mapping):
            raise InputError(eid, where, "每个事件应为对象 {date, kind, severity}")
        bad = set(item) - {"date", "kind", "severity", "note"}
        if bad:
            raise InputError(eid, f"{where}.{min(bad)}", "未知字段；可选: date, kind, severity")
        kind = _choice(item.get("kind"), eid, f"{where}.kind", INCIDENT_KINDS)
        severity = _choice(item.get("severity"), eid, f"{where}.severity", INCIDENT_SEVERITIES)
        if kind is None or severity is None:
            raise InputError(eid, where, "事件须给出 kind 与 severity")
        out.append(Incident(parse_date(item.get("date"), eid, f"{where}.date"), kind, severity))
    return tuple(out)


def validate_facts(f: EnterpriseFacts) -> None:
    """Consistency rules shared by the parser and what-if (raises :class:`InputError`)."""
    eid = f.id
    for yf in f.financials:
        where = f"financials[{yf.year}]"
        if (
            yf.rd_expense_domestic is not None
            and yf.rd_expense is not None
            and yf.rd_expense_domestic > yf.rd_expense
        ):
            raise InputError(
                eid, f"{where}.rd_expense_domestic", "境内研发费用不能大于研发费用总额"
            )
        if yf.main_revenue is not None and yf.revenue is not None and yf.main_revenue > yf.revenue:
            raise InputError(eid, f"{where}.main_revenue", "主营业务收入不能大于销售收入")
        for name in _YEAR_MONEY:
            v = getattr(yf, name)
            if v is not None:
                if name not in SIGNED_MONEY and v < 0:
                    raise InputError(eid, f"{where}.{name}", f"金额/数值不能为负数: {v}")
                if abs(v) >= MAX_AMOUNT:
                    raise InputError(eid, f"{where}.{name}", "数值过大（应小于 10^15）")
    for name in ("employees", "tech_staff", "rd_staff", "conversions_3y"):
        v = getattr(f, name)
        if v is not None and v < 0:
            raise InputError(eid, name, f"不能为负数: {v}")
    if f.srdi.market_share is not None and not 0 <= f.srdi.market_share <= 1:
        raise InputError(eid, "srdi.market_share", "比例应在 0–1 之间（小数，如 0.12）")
    for sub in (f.ip,):
        for name in ("class1", "class1_self_developed", "class1_high_value", "class2"):
            v = getattr(sub, name)
            if v is not None and v < 0:
                raise InputError(eid, f"ip.{name}", f"不能为负数: {v}")
    if f.employees is not None:
        if f.tech_staff is not None and f.tech_staff > f.employees:
            raise InputError(
                eid, "tech_staff", f"科技人员数 {f.tech_staff} 大于职工总数 {f.employees}"
            )
        if f.rd_staff is not None and f.rd_staff > f.employees:
            raise InputError(eid, "rd_staff", f"研发人员数 {f.rd_staff} 大于职工总数 {f.employees}")
    ip = f.ip
    if ip.class1 is not None:
        for name in ("class1_self_developed", "class1_high_value"):
            v = getattr(ip, name)
            if v is not None and v > ip.class1:
                raise InputError(eid, f"ip.{name}", f"{v} 大于Ⅰ类知识产权总数 {ip.class1}")
    if f.registered_on and f.as_of and f.registered_on > f.as_of:
        raise InputError(eid, "registered_on", "注册日期晚于申报日期 as_of")
    if f.rd_management_score is not None and f.rd_management_score > 20:
        raise InputError(eid, "rd_management_score", "应在 0–20 之间")
    s = f.srdi
    if s.quality_items is not None and s.quality_items > 4:
        raise InputError(eid, "srdi.quality_items", "应在 0–4 之间")
    if s.local_feature_score is not None and s.local_feature_score > 15:
        raise InputError(eid, "srdi.local_feature_score", "应在 0–15 之间")
    if s.dev_score is not None and s.dev_score > 100:
        raise InputError(eid, "srdi.dev_score", "应在 0–100 之间")
