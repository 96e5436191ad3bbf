from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from dateutil.rrule import rrulestr

from tests.factories import make_pi
from trainmaster.domain.calendar import pi_events
from trainmaster.domain.errors import Invalid
from trainmaster.domain.event import EventKind
from trainmaster.integrations import ical

BERLIN = ZoneInfo("Europe/Berlin")
STAMP = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)


@pytest.fixture
def events():
    pi = make_pi(id=7, start_date=date(2026, 9, 21))
    found = pi_events(pi, pi.build_iterations(), "Europe/Berlin")
    for number, event in enumerate(found, start=1):
        event.id = number
    return found


def export(events, holidays=()):
    return ical.events_calendar(events, art_key="PAY", art_name="Payments ART",
                                timezone="Europe/Berlin", stamp=STAMP, holidays=holidays)


def test_the_export_is_a_valid_calendar_with_the_arts_vtimezone(events):
    cal = icalendar.Calendar.from_ical(export(events))
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    zones = cal.walk("VTIMEZONE")
    assert [z["TZID"] for z in zones] == ["Europe/Berlin"]
    assert {c.name for c in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    vevents = cal.walk("VEVENT")
    assert len(vevents) == len(events)
    for v in vevents:
        assert v["DTSTART"].params["TZID"] == "Europe/Berlin"
        assert v.decoded("DTSTAMP") == STAMP
        assert v["UID"].endswith("@trainmaster")


def test_uids_are_stable_across_exports(events):
    first = [v["UID"] for v in icalendar.Calendar.from_ical(export(events)).walk("VEVENT")]
    second = [v["UID"] for v in icalendar.Calendar.from_ical(export(list(reversed(events))))
              .walk("VEVENT")]
    assert sorted(first) == sorted(second) and len(set(first)) == len(first)


def test_recurring_syncs_carry_an_rrule_and_other_events_none(events):
    by_summary = {v["SUMMARY"]: v for v in icalendar.Calendar.from_ical(export(events))
                  .walk("VEVENT")}
    coach = by_summary["Coach Sync (PI 26.4)"]
    assert coach["RRULE"]["FREQ"] == ["WEEKLY"] and coach["RRULE"]["BYDAY"] == ["TU"]
    assert "RRULE" not in by_summary["System Demo I1 (PI 26.4)"]


def test_a_holiday_removes_that_occurrence_of_a_recurring_sync(events):
    entries = {e.summary: e for e in ical.parse_ics(export(events, [date(2026, 10, 27)]))}
    coach = entries["Coach Sync (PI 26.4)"]
    assert coach.exdates == (datetime(2026, 10, 27, 10, 0, tzinfo=BERLIN),)
    assert entries["PO Sync (PI 26.4)"].exdates == ()


def test_weekly_occurrences_stay_at_ten_oclock_local_across_the_dst_change(events):
    coach = next(e for e in events if e.kind is EventKind.COACH_SYNC)
    starts = [s for s, _ in ical.occurrences(coach.start, coach.end, coach.recurrence,
                                             "Europe/Berlin")]
    assert len(starts) == 10
    assert {s.time() for s in starts} == {time(10, 0)}
    assert starts[4].utcoffset() != starts[6].utcoffset()  # 20 Oct CEST, 3 Nov CET


def test_a_client_expanding_the_rrule_finds_the_same_occurrences(events):
    entry = next(e for e in ical.parse_ics(export(events)) if e.summary.startswith("PO Sync"))
    expanded = list(rrulestr(entry.rrule, dtstart=entry.start))
    ours = [s for s, _ in ical.occurrences(entry.start, entry.end, entry.rrule,
                                           "Europe/Berlin")]
    assert expanded == ours


def test_occurrences_skip_exdates_and_keep_to_the_window(events):
    coach = next(e for e in events if e.kind is EventKind.COACH_SYNC)
    window = (datetime(2026, 10, 1, tzinfo=UTC), datetime(2026, 10, 31, tzinfo=UTC))
    starts = [s.date() for s, _ in ical.occurrences(
        coach.start, coach.end, coach.recurrence, "Europe/Berlin",
        exdates=[date(2026, 10, 13)], window=window)]
    assert starts == [date(2026, 10, 6), date(2026, 10, 20), date(2026, 10, 27)]


def test_new_calendar_and_add_event_build_other_calendars_too():
    cal = ical.new_calendar("PI Planning agenda", "America/New_York", date(2026, 3, 1),
                            date(2026, 3, 2))
    start = datetime(2026, 3, 8, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    ical.add_event(cal, uid="agenda-1@trainmaster", summary="Business context", start=start,
                   end=start.replace(hour=10), timezone="America/New_York", stamp=STAMP,
                   description="Day 1")
    entry, = ical.parse_ics(ical.to_ics(cal))
    assert (entry.uid, entry.tzid, entry.start, entry.description) == (
        "agenda-1@trainmaster", "America/New_York", start, "Day 1")


def test_a_broken_file_is_refused():
    with pytest.raises(Invalid):
        ical.parse_ics(b"BEGIN:VCALENDAR\nthis is not one")


def test_a_recurrence_without_freq_is_refused():
    cal = ical.new_calendar("x", "UTC", date(2026, 1, 1), date(2026, 1, 2))
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    with pytest.raises(Invalid):
        ical.add_event(cal, uid="x", summary="x", start=start, end=start, timezone="UTC",
                       stamp=STAMP, rrule="BYDAY=MO")
