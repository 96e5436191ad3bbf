"""PI Planning event records: the agenda's timeboxes and published program PI objectives."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from trainmaster.domain.art import check_name
from trainmaster.domain.errors import require

#: The default two-day PI Planning agenda (DOMAIN.md): day, title, start, end (local time).
#: The gap between 12:00 and 13:00 is lunch.
DEFAULT_AGENDA: tuple[tuple[int, str, str, str], ...] = (
    (1, "Business context", "08:00", "09:00"),
    (1, "Product/solution vision", "09:00", "10:30"),
    (1, "Architecture vision and development practices", "10:30", "11:30"),
    (1, "Planning context", "11:30", "12:00"),
    (1, "Team breakouts #1", "13:00", "16:00"),
    (1, "Draft plan review", "16:00", "17:00"),
    (1, "Management review and problem solving", "17:00", "18:00"),
    (2, "Planning adjustments", "08:00", "09:00"),
    (2, "Team breakouts #2", "09:00", "11:00"),
    (2, "Final plan review", "11:00", "12:00"),
    (2, "ART PI risks (ROAM)", "13:00", "14:00"),
    (2, "PI confidence vote", "14:00", "14:15"),
    (2, "Plan rework if needed", "14:15", "15:30"),
    (2, "Planning retrospective", "15:30", "16:30"),
)


@dataclass
class AgendaItem:
    """One timebox of the PI Planning event; `revision` counts edits (iCalendar SEQUENCE)."""

    pi_id: int
    position: int
    day: int
    title: str
    start: datetime
    end: datetime
    revision: int = 0
    id: int | None = None

    def __post_init__(self) -> None:
        self.title = check_name(self.title, "title")
        require(self.day in (1, 2), "the agenda has day 1 and day 2", field="day")
        require(self.start.tzinfo is not None, "must carry a time zone", field="start")
        require(self.end > self.start, "must end after it starts", field="end")

    def retime(self, start: datetime, end: datetime, title: str | None = None) -> None:
        """Change the timebox (and optionally its title); every edit raises the revision."""
        require(start.tzinfo is not None, "must carry a time zone", field="start")
        require(end > start, "must end after it starts", field="end")
        if title is not None:
            self.title = check_name(title, "title")
        self.start, self.end = start, end
        self.revision += 1


def next_working_day(day: date) -> date:
    following = day + timedelta(days=1)
    while following.weekday() >= 5:
        following += timedelta(days=1)
    return following


def first_working_day(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def default_agenda(pi_id: int, day_one: date, timezone: str) -> list[AgendaItem]:
    """The default agenda on `day_one` (moved to a working day) and the next working day."""
    zone = ZoneInfo(timezone)
    first = first_working_day(day_one)
    days = {1: first, 2: next_working_day(first)}
    out = []
    for position, (day, title, start, end) in enumerate(DEFAULT_AGENDA, start=1):
        on = days[day]
        out.append(AgendaItem(
            pi_id=pi_id, position=position, day=day, title=title,
            start=datetime.combine(on, time.fromisoformat(start), zone),
            end=datetime.combine(on, time.fromisoformat(end), zone)))
    return out


@dataclass
class ObjectivesPublication:
    """The RTE published the program PI objectives: what they held at that moment."""

    pi_id: int
    published_at: datetime
    teams: int = 0
    committed: int = 0
    uncommitted: int = 0
    planned_bv: int = 0
    by_user_id: int | None = None
    id: int | None = None
