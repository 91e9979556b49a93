"""Calendar arithmetic the rules need: whole years, working days in England, today in London."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

LONDON = ZoneInfo("Europe/London")


def add_years(day: dt.date, years: int) -> dt.date:
    """`day` plus whole years; 29 February that lands on no 29 February becomes 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return dt.date(day.year + years, 3, 1)


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday and not an England bank holiday."""
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_before(day: dt.date, count: int) -> dt.date:
    """The date `count` working days (England) before `day`: the latest a copy may reach the
    Panel when `day` is the publication date."""
    while count > 0:
        day -= dt.timedelta(days=1)
        count -= is_working_day(day)
    return day


def today_in_london(now: dt.datetime | None = None) -> dt.date:
    """The real date in Europe/London; `now` (aware) only for tests."""
    return (now or dt.datetime.now(dt.timezone.utc)).astimezone(LONDON).date()
