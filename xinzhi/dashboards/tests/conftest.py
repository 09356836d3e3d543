"""A small world counted by hand: records in and around 1—9月 2024 in three 板块.

Units: 高新区 (gxq: A, B, C), 西太湖 (xth: D, E), 湖塘镇 → 湖塘科技产业园 (htkjy: F).
The expected figures are written next to each fixture and asserted in test_computations.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

D = Decimal
d = dt.date


@pytest.fixture
def world(jurisdictions, users, make_enterprise, finance):
    from xinzhi.attraction.models import Lead, Stage, StageChange
    from xinzhi.calls.models import Application, Call, Category
    from xinzhi.cultivation.models import CultivationTrack, TrackChange
    from xinzhi.dashboards.services import indicators_ensure_defaults
    from xinzhi.enterprises.models import TitleHeld
    from xinzhi.finance.models import Loan

    indicators_ensure_defaults()  # a transactional (browser) test flushes migration data

    e = {
        "A": make_enterprise("甲科技", "gxq"),
        "B": make_enterprise("乙科技", "gxq"),
        "C": make_enterprise("丙科技", "gxq"),
        "D": make_enterprise("丁科技", "xth"),
        "E": make_enterprise("戊科技", "xth"),
        "F": make_enterprise("己科技", "htkjy"),
    }

    def applied(name: str, family: str, on: dt.date) -> None:
        track, _ = CultivationTrack.objects.unscoped().get_or_create(
            enterprise=e[name], family=family, defaults={"stage": "apply", "stage_since": on}
        )
        TrackChange.objects.unscoped().create(
            track=track, from_stage="nurture", to_stage="apply", changed_on=on
        )

    # 申报高企 1—9月 2024: A, B, F → district 3, gxq 2, htz 1, xth 0 (C is 2023, D is October).
    applied("A", "hnte", d(2024, 3, 1))
    applied("B", "hnte", d(2024, 9, 30))
    applied("C", "hnte", d(2023, 12, 31))
    applied("D", "hnte", d(2024, 10, 1))
    applied("F", "hnte", d(2024, 5, 5))
    # 科小入库评价 1—9月: A, D → district 2, gxq 1.
    applied("A", "tech_sme", d(2024, 2, 1))
    applied("D", "tech_sme", d(2024, 2, 2))

    def title(name: str, kind: str, start: dt.date, until: dt.date | None = None) -> None:
        TitleHeld.objects.unscoped().create(
            enterprise=e[name], title=kind, valid_from=start, valid_until=until
        )

    # 瞪羚 1—9月: A, D → 2 (gxq 1); B's is October.
    title("A", "gazelle", d(2024, 6, 1))
    title("D", "gazelle", d(2024, 6, 1))
    title("B", "gazelle", d(2024, 10, 1))
    # 独角兽（潜在）1—9月: A (潜在), E (独角兽) → 2 (gxq 1).
    title("A", "potential_unicorn", d(2024, 1, 15))
    title("E", "unicorn", d(2024, 9, 30))
    # 新增科小 1—9月: B, C → 2 (gxq 2); F's is 2023.
    title("B", "tech_sme", d(2024, 4, 1))
    title("C", "tech_sme", d(2024, 4, 1))
    title("F", "tech_sme", d(2023, 5, 1))
    # 高企 valid on 2023-12-31: A, C; on 2024-09-30: A, B, D → net +1 (gxq 0, xth +1).
    title("A", "hnte", d(2022, 1, 1), d(2024, 12, 31))
    title("C", "hnte", d(2021, 1, 1), d(2024, 6, 30))
    title("B", "hnte", d(2024, 8, 1), d(2027, 7, 31))
    title("D", "hnte", d(2024, 3, 1), d(2027, 2, 28))

    stages = {s.code: s for s in Stage.objects.all()}

    def lead(name: str, unit: str, *moves: tuple[str, dt.date]) -> None:
        row = Lead.objects.unscoped().create(
            name=name, jurisdiction=jurisdictions[unit], stage=stages[moves[-1][0]]
        )
        for code, on in moves:
            StageChange.objects.unscoped().create(lead=row, to_stage=stages[code], changed_on=on)

    # 落地 1—9月: 1, 2 (gxq), 4 (htkjy) → 3 (gxq 2); 签约 1—9月: 1 (gxq), 3 (xth) → 2 (gxq 1).
    lead("项目一", "gxq", ("signed", d(2024, 1, 5)), ("registered", d(2024, 2, 10)))
    lead("项目二", "gxq", ("signed", d(2023, 11, 1)), ("registered", d(2024, 9, 30)))
    lead("项目三", "xth", ("signed", d(2024, 6, 6)), ("registered", d(2024, 10, 2)))
    lead("项目四", "htkjy", ("registered", d(2024, 7, 7)))

    tz = dt.UTC
    opens = dt.datetime(2024, 1, 1, tzinfo=tz)
    certification = Call.objects.create(
        name="2024年度区科技项目认定",
        kind="certification",
        year=2024,
        opens_at=opens,
        closes_at=opens,
    )
    science = Call.objects.create(
        name="2024年度科普项目", kind="science", year=2024, opens_at=opens, closes_at=opens
    )

    def application(call: Call, unit: str, status: str, on: dt.date, number: str) -> None:
        category, _ = Category.objects.get_or_create(call=call, name="一般")
        Application.objects.unscoped().create(
            call=call,
            category=category,
            number=number,
            title=f"申报{number}",
            applicant_name=number,
            applicant_jurisdiction=jurisdictions[unit],
            status=status,
            decided_at=dt.datetime(on.year, on.month, on.day, 10, tzinfo=tz),
        )

    # 项目认定 1—9月: gxq 1 and xth 1 approved → 2 (gxq 1).
    application(certification, "gxq", "approved", d(2024, 5, 5), "R1")
    application(certification, "gxq", "rejected", d(2024, 5, 5), "R2")
    application(certification, "xth", "approved", d(2024, 9, 30), "R3")
    application(science, "gxq", "approved", d(2024, 5, 5), "S1")

    def loan(name: str, product: object, on: dt.date, amount: str) -> None:
        Loan.objects.unscoped().create(
            enterprise=e[name],
            product=product,
            bank=finance["banks"]["boc"],
            applied_on=on,
            amount_requested=D(amount),
            status="disbursed",
            disbursed_on=on,
            disbursed_amount=D(amount),
            balance=D(amount),
            repaid_amount=D(0),
            compensation_amount=D(0),
            recovered_amount=D(0),
        )

    # 武科贷 1—9月: A twice (150.5), D (200) → 2 户, 350.5 万元 (gxq 1 户, 150.5).
    loan("A", finance["wkd"], d(2024, 3, 1), "100")
    loan("A", finance["wkd"], d(2024, 8, 1), "50.5")
    loan("D", finance["wkd"], d(2024, 9, 1), "200")
    loan("F", finance["wkd"], d(2024, 10, 1), "30")
    loan("B", finance["hkq"], d(2024, 5, 1), "500")

    # 重点项目完成投资 1—9月: gxq 100 + 50.5, xth 200 → 350.5 (gxq 150.5); October's 30 is out.
    from xinzhi.projects import services as projects
    from xinzhi.projects.models import MonthlyReport

    project_type = projects.types_ensure_defaults()[0]

    def project(name: str, unit: str, *reports: tuple[dt.date, str]) -> None:
        row = projects.key_project_create(
            actor=users["admin"],
            data={
                "name": name,
                "owner_name": f"{name}建设单位",
                "project_type": project_type,
                "jurisdiction": jurisdictions[unit],
                "year": 2024,
                "total_investment": D(5000),
                "reports_from": d(2024, 1, 1),
            },
        )
        for month, invested in reports:
            MonthlyReport.all_objects.create(
                project=row,
                month=month,
                invested_month=D(invested),
                invested_total=D(invested),
                progress="推进中",
            )

    project(
        "甲项目", "gxq", (d(2024, 3, 1), "100"), (d(2024, 9, 1), "50.5"), (d(2024, 10, 1), "30")
    )
    project("乙项目", "xth", (d(2024, 5, 1), "200"))

    # 政策兑现拨付 1—9月: gxq 30,000元 + xth 15,000元 → 4.5万元 (gxq 3万元); the October one is out.
    from xinzhi.rewards import services as rewards
    from xinzhi.rewards.models import Entitlement, Payment

    rewards.policies_load_bundled(actor=users["admin"])
    rewards.entitlement_run(actor=users["admin"], year=2024)
    owed = {x.enterprise.name: x for x in Entitlement.all_objects.select_related("enterprise")}
    for number, (name, paid_on, amount) in enumerate(
        [
            ("乙科技", d(2024, 8, 1), "30000"),
            ("丁科技", d(2024, 9, 30), "15000"),
            ("甲科技", d(2024, 10, 8), "50000"),
        ]
    ):
        Payment.all_objects.create(
            entitlement=owed[name],
            paid_on=paid_on,
            amount_yuan=D(amount),
            voucher_no=f"PZ{number}",
            account_name=name,
            bank_name="江南农商行",
            account_no="6200",
        )
    return e


@pytest.fixture
def finance(db):
    from xinzhi.finance.tests.conftest import finance as make

    return make.__wrapped__(db)
