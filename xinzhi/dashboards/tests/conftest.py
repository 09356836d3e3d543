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
    return e


@pytest.fixture
def finance(db):
    from xinzhi.finance.tests.conftest import finance as make

    return make.__wrapped__(db)
