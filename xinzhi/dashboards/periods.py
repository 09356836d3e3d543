"""Period arithmetic (统计期与序时进度): pure functions, no database.

序时进度 (the share of the year elapsed) follows the bureaus' rule for 1—N月 reports: at a month's
end it is N/12 (a cumulative period) or 1/12 (one month); for a `through` date inside a month it
is counted in days — the days from 1 January (or the 1st of the month) to `through`, inclusive,
over the days of the year (366 in a leap year). The statistical year is the calendar year.
"""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from xinzhi.dashboards.figures import Period

FOUR_PLACES = Decimal("0.0001")


class PeriodError(ValueError):
    """A period that cannot be reported on; the message is Chinese and shown as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def is_month_end(day: dt.date) -> bool:
    return day == month_end(day.year, day.month)


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def ratio(part: Decimal | int, whole: Decimal | int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def period_for(*, year: int, through: dt.date, cumulative: bool = True) -> Period:
    """统计期: 1 January (or the 1st of `through`'s month) to `through`, inclusive."""
    if through.year != year:
        raise PeriodError(f"截止日期 {through:%Y-%m-%d} 不在 {year} 年内")
    start = dt.date(year, 1, 1) if cumulative else through.replace(day=1)
    month = through.month
    if is_month_end(through):
        if cumulative:
            label = "全年" if month == 12 else ("1月" if month == 1 else f"1—{month}月")
            elapsed = ratio(month, 12)
        else:
            label = f"{month}月"
            elapsed = ratio(1, 12)
    else:
        label = f"{start.month}月{start.day}日—{month}月{through.day}日"
        elapsed = ratio((through - start).days + 1, days_in_year(year))
    return Period(
        year=year, start=start, end=through, cumulative=cumulative, label=label, elapsed=elapsed
    )


def report_month(through: dt.date) -> int | None:
    """The month whose 1—N月 figures a `through` date reports: its own at a month's end, else
    the last complete month (None in January before the 31st)."""
    if is_month_end(through):
        return through.month
    return through.month - 1 or None


def parse_through(*, year: int, month: int | None, today: dt.date) -> dt.date:
    """The cockpit's year + month picker → a `through` date: the month's end, or today while the
    month is running."""
    if month is None:
        month = today.month if year == today.year else 12
    end = month_end(year, month)
    return min(end, today) if end.year == today.year and end >= today >= end.replace(day=1) else end
