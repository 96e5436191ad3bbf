from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import make_pi
from trainmaster.domain.calendar import Cadence, Slot, missing_events, pi_events, slot_of
from trainmaster.domain.errors import Invalid
from trainmaster.domain.event import Event, EventKind
from trainmaster.integrations import ical

BERLIN = ZoneInfo("Europe/Berlin")


def events_of(pi=None, timezone="Europe/Berlin", holidays=frozenset(), cadence=None):
    pi = pi or make_pi(id=7, start_date=date(2026, 9, 21))
    return pi, pi_events(pi, pi.build_iterations(), timezone, holidays, cadence)


def of_kind(events, kind):
    return [e for e in events if e.kind is kind]


def test_pi_planning_takes_two_days_starting_the_wednesday_before_the_pi():
    _, events = events_of()
    days = [e.start.astimezone(BERLIN) for e in of_kind(events, EventKind.PI_PLANNING)]
    assert [d.date() for d in days] == [date(2026, 9, 16), date(2026, 9, 17)]
    assert all(d.time() == time(9, 0) for d in days)


def test_pi_planning_skips_a_holiday_and_the_weekend():
    _, events = events_of(holidays=frozenset({date(2026, 9, 17)}))
    days = [e.start.astimezone(BERLIN).date() for e in of_kind(events, EventKind.PI_PLANNING)]
    assert days == [date(2026, 9, 16), date(2026, 9, 18)]


def test_coach_and_po_sync_recur_weekly_until_the_end_of_the_pi():
    pi, events = events_of()
    coach, = of_kind(events, EventKind.COACH_SYNC)
    po, = of_kind(events, EventKind.PO_SYNC)
    assert coach.start.astimezone(BERLIN) == datetime(2026, 9, 22, 10, 0, tzinfo=BERLIN)
    assert po.start.astimezone(BERLIN).date() == date(2026, 9, 24)
    assert coach.recurrence == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261129T225959Z"
    assert po.recurrence.startswith("FREQ=WEEKLY;BYDAY=TH;")
    assert pi.end_date == date(2026, 11, 29)


def test_a_system_demo_closes_every_development_iteration_on_its_last_working_day():
    _, events = events_of()
    demos = of_kind(events, EventKind.SYSTEM_DEMO)
    assert [d.start.astimezone(BERLIN).date() for d in demos] == [
        date(2026, 10, 2), date(2026, 10, 16), date(2026, 10, 30), date(2026, 11, 13)]
    assert [d.title for d in demos][0] == "System Demo I1 (PI 26.4)"


def test_a_holiday_on_the_last_friday_moves_the_demo_to_thursday():
    _, events = events_of(holidays=frozenset({date(2026, 10, 2)}))
    first = of_kind(events, EventKind.SYSTEM_DEMO)[0]
    assert first.start.astimezone(BERLIN).date() == date(2026, 10, 1)


def test_pi_system_demo_and_inspect_adapt_share_a_day_of_the_ip_iteration():
    _, events = events_of()
    demo, = of_kind(events, EventKind.PI_SYSTEM_DEMO)
    ia, = of_kind(events, EventKind.INSPECT_ADAPT)
    assert demo.start.astimezone(BERLIN) == datetime(2026, 11, 18, 9, 0, tzinfo=BERLIN)
    assert ia.start.astimezone(BERLIN) == datetime(2026, 11, 18, 10, 45, tzinfo=BERLIN)
    assert ia.end - ia.start == timedelta(minutes=315)


def test_without_an_ip_iteration_the_pi_closes_on_its_last_working_day():
    pi = make_pi(id=7, start_date=date(2026, 9, 21), has_ip=False, iterations=3)
    _, events = events_of(pi)
    assert len(of_kind(events, EventKind.SYSTEM_DEMO)) == 2
    ia, = of_kind(events, EventKind.INSPECT_ADAPT)
    assert ia.start.astimezone(BERLIN).date() == date(2026, 10, 30)


def test_local_times_hold_across_the_daylight_saving_change():
    _, events = events_of()
    demos = of_kind(events, EventKind.SYSTEM_DEMO)
    offsets = [d.start.astimezone(BERLIN).utcoffset() for d in demos]
    assert offsets == [timedelta(hours=2), timedelta(hours=2), timedelta(hours=1),
                       timedelta(hours=1)]
    assert {d.start.astimezone(BERLIN).time() for d in demos} == {time(14, 0)}


def test_events_follow_the_arts_time_zone():
    _, events = events_of(timezone="America/New_York")
    planning = of_kind(events, EventKind.PI_PLANNING)[0]
    assert planning.start.utcoffset() == timedelta(hours=-4)
    assert planning.start.hour == 9


def test_the_cadence_is_configurable():
    cadence = Cadence(coach_sync_weekday=0, coach_sync_start=time(8, 30), planning_days=3)
    _, events = events_of(cadence=cadence)
    coach, = of_kind(events, EventKind.COACH_SYNC)
    assert coach.start.astimezone(BERLIN) == datetime(2026, 9, 21, 8, 30, tzinfo=BERLIN)
    assert len(of_kind(events, EventKind.PI_PLANNING)) == 3


def test_a_sync_on_a_weekend_is_refused():
    with pytest.raises(Invalid):
        Cadence(po_sync_weekday=6)


def test_regenerating_adds_nothing_when_every_slot_is_filled():
    pi, events = events_of()
    again = pi_events(pi, pi.build_iterations(), "Europe/Berlin")
    assert missing_events(again, events, pi.build_iterations(), "Europe/Berlin") == []


def test_an_edited_event_keeps_its_slot_and_a_deleted_one_comes_back():
    pi, events = events_of()
    iterations = pi.build_iterations()
    demos = of_kind(events, EventKind.SYSTEM_DEMO)
    demos[1].start -= timedelta(days=1)        # moved within iteration 2: still its demo
    kept = [e for e in events if e is not demos[2]]
    missing = missing_events(pi_events(pi, iterations, "Europe/Berlin"), kept, iterations,
                             "Europe/Berlin")
    assert [e.title for e in missing] == ["System Demo I3 (PI 26.4)"]


def test_a_weekly_art_sync_already_there_stands_for_coach_and_po_sync():
    pi, events = events_of()
    iterations = pi.build_iterations()
    art_sync = Event(art_id=1, kind=EventKind.ART_SYNC, title="ART Sync", pi_id=pi.id,
                     start=datetime(2026, 9, 22, 8, 0, tzinfo=BERLIN),
                     end=datetime(2026, 9, 22, 9, 0, tzinfo=BERLIN))
    missing = missing_events(events, [art_sync], iterations, "Europe/Berlin")
    kinds = {e.kind for e in missing}
    assert EventKind.COACH_SYNC not in kinds and EventKind.PO_SYNC not in kinds
    assert EventKind.SYSTEM_DEMO in kinds


def test_a_demo_fills_the_slot_of_the_iteration_it_falls_in():
    pi, events = events_of()
    demo = of_kind(events, EventKind.SYSTEM_DEMO)[2]
    assert slot_of(demo, pi.build_iterations(), "Europe/Berlin") == Slot(
        EventKind.SYSTEM_DEMO, 3)


ZONES = ("Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC")


@settings(max_examples=60, deadline=None)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2031, 12, 31)),
       zone=st.sampled_from(ZONES), iterations=st.integers(1, 6), has_ip=st.booleans(),
       days=st.sampled_from([7, 14, 21]))
def test_every_generated_event_keeps_its_local_time_and_place_in_the_pi(
        start, zone, iterations, has_ip, days):
    pi = make_pi(id=1, start_date=start, iterations=iterations, has_ip=has_ip,
                 iteration_days=days)
    its = pi.build_iterations()
    tz = ZoneInfo(zone)
    events = pi_events(pi, its, zone)
    for event in events:
        local_start = event.start.astimezone(tz)
        assert local_start.weekday() < 5
        if event.kind is EventKind.SYSTEM_DEMO:
            assert local_start.time() == time(14, 0)
            assert slot_of(event, its, zone).iteration is not None
        if event.kind in (EventKind.PI_SYSTEM_DEMO, EventKind.INSPECT_ADAPT):
            assert pi.start_date <= local_start.date() <= pi.end_date
    for sync in (e for e in events if e.recurrence):
        starts = [s for s, _ in ical.occurrences(sync.start, sync.end, sync.recurrence, zone)]
        assert starts and all(s.time() == sync.start.astimezone(tz).time() for s in starts)
        assert all(pi.start_date <= s.date() <= pi.end_date for s in starts)
    assert missing_events(pi_events(pi, its, zone), events, its, zone) == []
