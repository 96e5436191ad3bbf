"""Working days of an ART and the continuous working-time axis the simulation runs on.

A time `u = d + f` on the axis is working day `d` (a weekday that is not a holiday of the
ART, counted from the axis origin) plus the share `f` of its working hours, 08:00–17:00 in
the ART's time zone. All simulated zones lie between UTC−6 and UTC+8, so a working hour keeps
its local date in UTC, and "before `today`" means the same in both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

WORK_START_HOUR = 8
WORK_HOURS = 9
Holidays = list[tuple[date, str]]


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous algorithm)."""
    a, (b, c) = year % 19, divmod(year, 100)
    d, e = divmod(b, 4)
    g = (b - (b + 8) // 25 + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday) // 451
    month, day = divmod(h + weekday - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th given weekday (Monday 0) of a month; n = -1 is the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _easter(year: int, *offsets: tuple[int, str]) -> Holidays:
    sunday = easter_sunday(year)
    return [(sunday + timedelta(days=days), name) for days, name in offsets]


def _de(y: int) -> Holidays:
    return [(date(y, 1, 1), "New Year's Day"), (date(y, 5, 1), "Labour Day"),
            (date(y, 10, 3), "German Unity Day"), (date(y, 12, 25), "Christmas Day"),
            (date(y, 12, 26), "Second Day of Christmas"),
            *_easter(y, (-2, "Good Friday"), (1, "Easter Monday"), (39, "Ascension Day"),
                     (50, "Whit Monday"))]


def _uk(y: int) -> Holidays:
    return [(date(y, 1, 1), "New Year's Day"), (nth_weekday(y, 5, 0, 1), "Early May bank holiday"),
            (nth_weekday(y, 5, 0, -1), "Spring bank holiday"),
            (nth_weekday(y, 8, 0, -1), "Summer bank holiday"), (date(y, 12, 25), "Christmas Day"),
            (date(y, 12, 26), "Boxing Day"),
            *_easter(y, (-2, "Good Friday"), (1, "Easter Monday"))]


def _us(y: int) -> Holidays:
    return [(date(y, 1, 1), "New Year's Day"),
            (nth_weekday(y, 1, 0, 3), "Martin Luther King Jr. Day"),
            (nth_weekday(y, 5, 0, -1), "Memorial Day"), (date(y, 7, 4), "Independence Day"),
            (nth_weekday(y, 9, 0, 1), "Labor Day"), (nth_weekday(y, 11, 3, 4), "Thanksgiving"),
            (date(y, 12, 25), "Christmas Day")]


def _fr(y: int) -> Holidays:
    return [(date(y, 1, 1), "New Year's Day"), (date(y, 5, 1), "Labour Day"),
            (date(y, 5, 8), "Victory in Europe Day"), (date(y, 7, 14), "Bastille Day"),
            (date(y, 8, 15), "Assumption Day"), (date(y, 11, 1), "All Saints' Day"),
            (date(y, 11, 11), "Armistice Day"), (date(y, 12, 25), "Christmas Day"),
            *_easter(y, (1, "Easter Monday"), (39, "Ascension Day"), (50, "Whit Monday"))]


def _in(y: int) -> Holidays:
    return [(date(y, 1, 26), "Republic Day"), (date(y, 8, 15), "Independence Day"),
            (date(y, 10, 2), "Gandhi Jayanti"), (date(y, 12, 25), "Christmas Day")]


def _sg(y: int) -> Holidays:
    return [(date(y, 1, 1), "New Year's Day"), (date(y, 5, 1), "Labour Day"),
            (date(y, 8, 9), "National Day"), (date(y, 12, 25), "Christmas Day"),
            *_easter(y, (-2, "Good Friday"))]


HOLIDAY_RULES: dict[str, Callable[[int], Holidays]] = {
    "de": _de, "uk": _uk, "us": _us, "fr": _fr, "in": _in, "sg": _sg,
}


def holidays_between(rules: str, first: date, last: date) -> Holidays:
    """Public holidays on weekdays from `first` to `last`, one name per day, in date order."""
    found: dict[date, str] = {}
    for year in range(first.year, last.year + 1):
        for day, name in HOLIDAY_RULES[rules](year):
            if first <= day <= last and day.weekday() < 5:
                found.setdefault(day, name)
    return sorted(found.items())


class WorkAxis:
    """The working days of one ART from `first` to `last` and their UTC times."""

    def __init__(self, first: date, last: date, timezone: str, holidays: Iterable[date]) -> None:
        days = np.arange(np.datetime64(first, "D"), np.datetime64(last, "D") + 1)
        weekday = (days.astype(np.int64) + 3) % 7
        free = np.isin(days, np.array(sorted(holidays), dtype="datetime64[D]"))
        self.dates = days[(weekday < 5) & ~free]
        zone = ZoneInfo(timezone)
        self.midnight = np.array([datetime.combine(d, time(), zone).timestamp()
                                  for d in self.dates.tolist()], dtype=np.int64)
        self.size = len(self.dates)

    def index(self, day: date) -> int:
        """Axis position of the first working day on or after `day`."""
        return int(np.searchsorted(self.dates, np.datetime64(day, "D")))

    def count(self, first: date, last: date) -> int:
        """Working days from `first` to `last`, both included."""
        return self.index(last + timedelta(days=1)) - self.index(first)

    def seconds(self, u: np.ndarray) -> np.ndarray:
        """UTC epoch seconds of axis times (working hours in the ART's zone)."""
        day = np.clip(np.floor(u).astype(np.int64), 0, self.size - 1)
        hours = WORK_START_HOUR + WORK_HOURS * np.clip(u - day, 0.0, 0.9999)
        return self.midnight[day] + np.round(hours * 3600.0).astype(np.int64)

    def datetimes(self, u: Sequence[float] | np.ndarray) -> list[datetime]:
        return [datetime.fromtimestamp(s, UTC)
                for s in self.seconds(np.asarray(u, dtype=float)).tolist()]

    def at(self, u: float) -> datetime:
        day = min(max(int(u // 1), 0), self.size - 1)
        hours = WORK_START_HOUR + WORK_HOURS * min(max(u - day, 0.0), 0.9999)
        return datetime.fromtimestamp(int(self.midnight[day]) + round(hours * 3600.0), UTC)

    def day(self, u: float) -> date:
        return self.dates[int(np.clip(np.floor(u), 0, self.size - 1))].item()
