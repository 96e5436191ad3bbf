from datetime import date, time
from zoneinfo import ZoneInfo

import icalendar
import pytest

from tests.factories import actor
from tests.unit.execution.conftest import AT, add
from trainmaster.domain.access import Role
from trainmaster.domain.errors import Forbidden, Invalid
from trainmaster.domain.event import EventKind
from trainmaster.services import calendar

RTE = actor(Role.RTE, user_id=1)
BERLIN = ZoneInfo("Europe/Berlin")


def test_generating_twice_creates_the_events_once(uow):
    first = calendar.generate_calendar(uow, RTE, 1)
    again = calendar.generate_calendar(uow, RTE, 1)
    assert len(first.created) == 10 and again.created == []
    assert len(uow.events.find(pi_id=1)) == 10


def test_generation_skips_a_holiday_of_the_art(uow):
    add(uow, "holidays", art_id=1, day=date(2026, 10, 28))   # the Wednesday before PI 1
    calendar.generate_calendar(uow, RTE, 1)
    days = [e.start.astimezone(BERLIN).date() for e in uow.events.find(
        pi_id=1, kind=EventKind.PI_PLANNING.value, order_by="start")]
    assert days == [date(2026, 10, 29), date(2026, 10, 30)]


def test_only_those_who_manage_the_train_generate(uow):
    with pytest.raises(Forbidden):
        calendar.generate_calendar(uow, actor(Role.SCRUM_MASTER), 1)


def test_editing_an_event_in_local_time_survives_regeneration(uow):
    created = calendar.generate_calendar(uow, RTE, 1).created
    demo = next(e for e in created if e.kind is EventKind.SYSTEM_DEMO)
    edited = calendar.update_event(uow, RTE, demo.id, start=time(15, 0), end=time(16, 30),
                                   location="Main hall")
    assert edited.start.astimezone(BERLIN).time() == time(15, 0)
    assert calendar.generate_calendar(uow, RTE, 1).created == []
    assert uow.events.get(demo.id).location == "Main hall"


def test_an_event_must_end_after_it_starts(uow):
    demo = calendar.generate_calendar(uow, RTE, 1).created[0]
    with pytest.raises(Invalid):
        calendar.update_event(uow, RTE, demo.id, start=time(18, 0), end=time(17, 0))


def test_the_view_expands_the_weekly_syncs_of_the_pi(uow):
    calendar.generate_calendar(uow, RTE, 1)
    view = calendar.calendar_view(uow, RTE, 1, today=date(2026, 11, 24))
    coach = [o for o in view.occurrences if o.event.kind is EventKind.COACH_SYNC]
    assert view.pi.name == "PI 1" and len(coach) == 10
    assert coach[0].start.tzinfo == BERLIN


def test_the_feed_answers_only_to_its_secret(uow):
    calendar.generate_calendar(uow, RTE, 1)
    token = calendar.feed_token(uow, actor(Role.VIEWER), 1, at=AT)
    assert calendar.feed_token(uow, RTE, 1, at=AT) == token
    cal = icalendar.Calendar.from_ical(calendar.feed_calendar(uow, "pay", token, at=AT))
    assert len(cal.walk("VEVENT")) == 10
    with pytest.raises(Forbidden):
        calendar.feed_calendar(uow, "PAY", "guess", at=AT)


def test_rotating_the_secret_stops_the_old_one(uow):
    old = calendar.feed_token(uow, RTE, 1, at=AT)
    new = calendar.rotate_feed_token(uow, RTE, 1, at=AT)
    assert new != old
    with pytest.raises(Forbidden):
        calendar.feed_calendar(uow, "PAY", old, at=AT)
    with pytest.raises(Forbidden):
        calendar.rotate_feed_token(uow, actor(Role.VIEWER), 1, at=AT)
