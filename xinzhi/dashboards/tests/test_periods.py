"""Period arithmetic: cumulative vs in-month, leap years, 序时进度, the calendar fiscal year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinzhi.dashboards.periods import PeriodError, parse_through, period_for, report_month

d = dt.date


@pytest.mark.parametrize(
    ("through", "cumulative", "start", "label", "elapsed"),
    [
        (d(2024, 9, 30), True, d(2024, 1, 1), "1—9月", "0.7500"),
        (d(2024, 9, 30), False, d(2024, 9, 1), "9月", "0.0833"),
        (d(2024, 1, 31), True, d(2024, 1, 1), "1月", "0.0833"),
        (d(2024, 12, 31), True, d(2024, 1, 1), "全年", "1.0000"),
        # 2024 is a leap year: February ends on the 29th, the year has 366 days.
        (d(2024, 2, 29), True, d(2024, 1, 1), "1—2月", "0.1667"),
        (d(2024, 2, 28), True, d(2024, 1, 1), "1月1日—2月28日", "0.1612"),  # 59/366
        (d(2023, 2, 28), True, d(2023, 1, 1), "1—2月", "0.1667"),
        (d(2023, 3, 15), True, d(2023, 1, 1), "1月1日—3月15日", "0.2027"),  # 74/365
        (d(2024, 3, 15), False, d(2024, 3, 1), "3月1日—3月15日", "0.0410"),  # 15/366
    ],
)
def test_period_for(through, cumulative, start, label, elapsed):
    period = period_for(year=through.year, through=through, cumulative=cumulative)
    assert (period.start, period.end, period.label, period.elapsed) == (
        start,
        through,
        label,
        Decimal(elapsed),
    )


def test_through_outside_the_year_is_refused_in_chinese():
    with pytest.raises(PeriodError) as caught:
        period_for(year=2024, through=d(2025, 1, 31))
    assert caught.value.message == "截止日期 2025-01-31 不在 2024 年内"


@pytest.mark.parametrize(
    ("through", "month"),
    [(d(2024, 9, 30), 9), (d(2024, 9, 29), 8), (d(2024, 1, 15), None), (d(2024, 2, 29), 2)],
)
def test_report_month_is_the_last_complete_month(through, month):
    assert report_month(through) == month


@pytest.mark.parametrize(
    ("year", "month", "today", "through"),
    [
        (2024, 9, d(2026, 12, 2), d(2024, 9, 30)),
        (2024, None, d(2026, 12, 2), d(2024, 12, 31)),
        (2026, None, d(2026, 12, 2), d(2026, 12, 2)),
        (2026, 11, d(2026, 12, 2), d(2026, 11, 30)),
        (2024, 2, d(2026, 12, 2), d(2024, 2, 29)),
    ],
)
def test_parse_through(year, month, today, through):
    assert parse_through(year=year, month=month, today=today) == through
