"""Fixtures of the 政策兑现 tests: a hand-written rule set, titles, a landed lead, a grant."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from xinzhi.rewards import rules, services

YEAR = 2024

RULES = """
code: test-rewards
name: 测试奖补政策
document_no: 测试〔2024〕1号
issuer: 测试局
effective_from: 2024-01-01
example: true
budget_lines:
  - {code: titles, name: 资质奖励}
  - {code: attraction, name: 招引奖励}
  - {code: matching, name: 配套资助}
budgets:
  2024: {titles: 100, attraction: 50, matching: 1}
items:
  - code: hnte-new
    name: 首次认定高企奖励
    trigger: {kind: title_new, title: hnte, first_time: true}
    amount: {kind: fixed, yuan: 200000}
    budget_line: titles
    exclusive_group: hnte
    once_key: hnte
  - code: hnte-landed
    name: 高企招引奖励
    trigger: {kind: lead_landed_hnte}
    amount: {kind: fixed, yuan: 300000}
    budget_line: attraction
    exclusive_group: hnte
    once_key: hnte
  - code: gazelle-new
    name: 瞪羚奖励
    trigger: {kind: title_new, title: gazelle, first_time: true}
    amount: {kind: tiered, tiers: {provincial: 300000, municipal: 100000}}
    budget_line: titles
    once_key: gazelle
  - code: soft-science
    name: 软科学配套
    trigger: {kind: call_grant, category_contains: 软科学}
    amount: {kind: percentage, base: grant, rate: 1, cap_yuan: 3000}
    budget_line: matching
  - code: science
    name: 科普资助
    trigger: {kind: call_grant, category_excludes: 软科学}
    amount: {kind: percentage, base: grant, rate: 0.5, cap_yuan: 20000}
    budget_line: matching
  - code: project-matching
    name: 上级项目配套
    trigger: {kind: project_funded, levels: [national, provincial, municipal]}
    amount: {kind: percentage, base: upper_grant, rate: 0.5, cap_yuan: 1000000}
    budget_line: matching
"""


@pytest.fixture
def policy(db):
    from xinzhi.rewards.triggers import trigger_kinds

    return services.policy_load(
        actor=None, spec=rules.parse_policy(RULES, trigger_kinds=trigger_kinds())
    )


@pytest.fixture
def give_title():
    from xinzhi.enterprises.models import TitleHeld

    def give(enterprise, title, on, level="national", until=None, number=""):
        return TitleHeld.objects.unscoped().create(
            enterprise=enterprise,
            title=title,
            level=level,
            valid_from=on,
            valid_until=until,
            certificate_no=number,
        )

    return give


@pytest.fixture
def land(users, jurisdictions):
    """A lead landed on `on` as `enterprise` (a 落地注册 stage change)."""
    from xinzhi.attraction.models import Lead, Stage, StageChange
    from xinzhi.attraction.services import stages_ensure_defaults

    def do(enterprise, on, name="激光项目"):
        stages_ensure_defaults()
        registered = Stage.objects.get(code="registered")
        lead = Lead.objects.unscoped().create(
            name=name, jurisdiction=enterprise.jurisdiction, enterprise=enterprise, stage=registered
        )
        StageChange.objects.unscoped().create(lead=lead, to_stage=registered, changed_on=on)
        return lead

    return do


@pytest.fixture
def grant(users):
    """An approved application of `category` with a grant, decided in 2024."""
    from xinzhi.calls.models import Application, Call, Category

    state = {}

    def do(enterprise, category_name, amount):
        call = state.get("call")
        if call is None:
            now = timezone.now()
            call = state["call"] = Call.objects.create(
                name="2024年度科普和学术项目",
                kind="science_academic",
                year=2024,
                opens_at=now,
                closes_at=now,
                stage="final",
            )
        category, _ = Category.objects.get_or_create(call=call, name=category_name)
        number = f"KP{Application.objects.unscoped().count() + 1:03d}"
        return Application.objects.unscoped().create(
            call=call,
            category=category,
            number=number,
            title=f"{category_name}课题",
            enterprise=enterprise,
            applicant_name=enterprise.name,
            applicant_jurisdiction=enterprise.jurisdiction,
            status="approved",
            grant_amount_yuan=Decimal(amount),
            decided_at=timezone.make_aware(dt.datetime(2024, 9, 1, 10)),
        )

    return do


@pytest.fixture
def confirmed_bank():
    from xinzhi.rewards.models import BankAccount

    def do(enterprise):
        return BankAccount.objects.unscoped().create(
            enterprise=enterprise,
            account_name=enterprise.name,
            bank_name="江南农村商业银行",
            account_no="6228480012345678",
            confirmed_at=timezone.now(),
        )

    return do


@pytest.fixture
def fund(users):
    """A 科技计划项目 of `level` with a 财政资助 of `grant_wan` 万元, approved on `on`."""
    from xinzhi.projects import services as projects

    def do(enterprise, level, grant_wan, on, name="关键技术研发"):
        return projects.funded_create(
            actor=users["admin"],
            data={
                "name": name,
                "level": level,
                "programme": "重点研发计划",
                "year": on.year,
                "enterprise": enterprise,
                "budget_total": Decimal(grant_wan) * 2,
                "funding_grant": Decimal(grant_wan),
                "funding_self": Decimal(grant_wan),
                "starts_on": on,
                "ends_on": on.replace(year=on.year + 2),
                "approved_on": on,
            },
        )

    return do
