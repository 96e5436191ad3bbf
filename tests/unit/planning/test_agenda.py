from datetime import date, time

import icalendar
import pytest

from tests.factories import AT, actor
from trainmaster.domain.access import Role
from trainmaster.domain.errors import Forbidden, Invalid, NotFound
from trainmaster.domain.planning import DEFAULT_AGENDA, default_agenda
from trainmaster.services import agenda

RTE = actor(Role.RTE, user_id=1)


def test_the_default_agenda_spans_two_working_days_in_the_arts_time_zone():
    items = default_agenda(1, date(2026, 12, 4), "Europe/Berlin")     # a Friday
    assert len(items) == len(DEFAULT_AGENDA) == 14
    assert {i.start.date() for i in items if i.day == 1} == {date(2026, 12, 4)}
    assert {i.start.date() for i in items if i.day == 2} == {date(2026, 12, 7)}   # Monday
    first = items[0]
    assert (first.title, first.start.isoformat()) == ("Business context",
                                                      "2026-12-04T08:00:00+01:00")
    assert [i.title for i in items if i.day == 2][-3:] == [
        "PI confidence vote", "Plan rework if needed", "Planning retrospective"]


def test_generate_edit_and_export_the_agenda_as_icalendar(train):
    view = agenda.generate_agenda(train.uow, RTE, train.pi, at=AT)
    vote = next(i for i in view.items if i.title == "PI confidence vote")
    agenda.retime_timebox(train.uow, RTE, vote.id, start=time(14, 30), end=time(15, 0), at=AT)
    data = agenda.export_agenda(train.uow, RTE, train.pi, at=AT)
    cal = icalendar.Calendar.from_ical(data)
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert len(events) == 14
    edited = events["PI Planning day 2: PI confidence vote"]
    assert edited.decoded("dtstart").isoformat() == "2026-12-08T14:30:00+01:00"
    assert int(edited["sequence"]) == 1
    assert str(edited["dtstart"].params["TZID"]) == "Europe/Berlin"
    assert [tz["tzid"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert len({str(e["uid"]) for e in events.values()}) == 14


def test_a_timebox_must_end_after_it_starts(train):
    view = agenda.generate_agenda(train.uow, RTE, train.pi, at=AT)
    with pytest.raises(Invalid) as err:
        agenda.retime_timebox(train.uow, RTE, view.items[0].id, start=time(9), end=time(8),
                              at=AT)
    assert err.value.field == "end"


def test_only_the_rte_edits_the_agenda_and_an_empty_one_cannot_be_exported(train):
    with pytest.raises(Forbidden):
        agenda.generate_agenda(train.uow, actor(Role.TEAM_MEMBER), train.pi, at=AT)
    with pytest.raises(NotFound, match="no agenda"):
        agenda.export_agenda(train.uow, RTE, train.pi, at=AT)
