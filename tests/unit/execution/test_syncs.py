from datetime import date

import pytest

from tests.factories import actor
from tests.unit.execution.conftest import AT
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.domain.errors import Forbidden, Invalid
from trainmaster.domain.event import EventKind
from trainmaster.domain.impediment import Level
from trainmaster.domain.learning import RiskForecast, RiskSubject
from trainmaster.domain.meeting import OutcomeKind, ScopeChangeKind, TeamStatus
from trainmaster.services import impediments, syncs

RTE = actor(Role.RTE, user_id=1)


def test_facts_list_the_late_dependency_with_both_teams(uow):
    facts = syncs.sync_facts(uow, RTE, 1, at=AT)
    (late,) = facts.late_dependencies
    assert (late.consumer.key, late.consumer_team, late.needed) == ("PAY-1", "Osprey", "I2")
    assert (late.provider.key, late.provider_team, late.planned) == ("PAY-2", "Falcon", "I3")
    assert facts.pi.name == "PI 1" and facts.iteration.name == "I2"


def test_facts_flag_the_overloaded_iteration_by_load_and_capacity(uow):
    (over,) = syncs.sync_facts(uow, RTE, 1, at=AT).overloaded
    assert (over.team.name, over.load.name, over.load.load, over.load.capacity) == (
        "Falcon", "I2", 9, 4)


def test_facts_bring_overdue_action_items_and_unroamed_risks(uow):
    facts = syncs.sync_facts(uow, RTE, 1, at=AT)
    assert [v.action.title for v in facts.overdue_actions] == ["Book the demo room"]
    assert [r.title for r in facts.unroamed_risks] == ["Vendor may slip"]


def test_facts_bring_the_risk_radars_likeliest_misses_first(uow):
    pi_id = syncs.sync_facts(uow, RTE, 1, at=AT).pi.id
    for label, probability in (("Objective A", 0.4), ("Feature B", 0.9)):
        uow.risk_forecasts.add(RiskForecast(art_id=1, pi_id=pi_id, subject=RiskSubject.FEATURE,
                                            subject_id=1, label=label, probability=probability,
                                            base_rate=0.5, taken_at=AT))
    uow.commit()
    top = syncs.sync_facts(uow, RTE, 1, at=AT).top_risks
    assert [(i.forecast.label, i.forecast.probability) for i in top] == [
        ("Feature B", 0.9), ("Objective A", 0.4)]


def test_team_progress_weighs_objectives_by_their_features_story_points(uow):
    teams = {t.team.name: t for t in syncs.sync_facts(uow, RTE, 1, at=AT).teams}
    osprey = teams["Osprey"]
    assert (osprey.percent, osprey.points_done, osprey.points_total) == (50, 4, 8)
    assert osprey.status is TeamStatus.AT_RISK and osprey.late_needs
    assert teams["Falcon"].percent == 0 and teams["Falcon"].overloaded


def test_an_open_impediment_is_a_fact_and_counts_for_its_team(uow):
    impediments.raise_impediment(uow, RTE, 1, "Staging down", team_id=2, at=AT)
    facts = syncs.sync_facts(uow, RTE, 1, at=AT)
    assert [v.impediment.title for v in facts.open_impediments] == ["Staging down"]
    assert {t.team.name: t.open_impediments for t in facts.teams} == {"Osprey": 0, "Falcon": 1}


def test_starting_a_sync_prefills_each_teams_report_from_the_facts(uow):
    meeting = syncs.start_sync(uow, RTE, 1, at=AT)
    assert (meeting.held_on, meeting.pi_id, meeting.title) == (date(2026, 11, 24), 1,
                                                               "ART Sync 2026-11-24")
    reports = {r.team_id: r for r in uow.team_reports.find(meeting_id=meeting.id)}
    assert reports[1].progress == 50 and "1 late dependency" in reports[1].note
    assert "PAY-2 Payments API v2 from Falcon: planned I3, needed by I2" in reports[1].needs
    assert "I2 overloaded (9 / 4 pts)" in reports[2].note


def test_starting_the_same_sync_twice_reopens_it(uow):
    first = syncs.start_sync(uow, RTE, 1, at=AT)
    assert syncs.start_sync(uow, RTE, 1, at=AT).id == first.id
    assert syncs.start_sync(uow, RTE, 1, at=AT, kind=EventKind.PO_SYNC).id != first.id


def test_only_syncs_are_started_here(uow):
    with pytest.raises(Invalid):
        syncs.start_sync(uow, RTE, 1, at=AT, kind=EventKind.SYSTEM_DEMO)


def test_a_viewer_reads_facts_but_cannot_start_a_sync(uow):
    viewer = actor(Role.VIEWER)
    assert syncs.sync_facts(uow, viewer, 1, at=AT).late_dependencies
    with pytest.raises(Forbidden):
        syncs.start_sync(uow, viewer, 1, at=AT)


def test_recorded_outcomes_create_their_items_with_the_meeting_as_source(uow):
    meeting = syncs.start_sync(uow, RTE, 1, at=AT)
    action = syncs.record_outcome(uow, RTE, meeting.id, OutcomeKind.ACTION, "Call the vendor",
                                  owner_id=2, due=date(2026, 11, 27), at=AT)
    risk = syncs.record_outcome(uow, RTE, meeting.id, OutcomeKind.RISK, "Sandbox unstable",
                                at=AT)
    imp = syncs.record_outcome(uow, RTE, meeting.id, OutcomeKind.IMPEDIMENT, "No test data",
                               team_id=2, at=AT)
    decision = syncs.record_outcome(uow, RTE, meeting.id, OutcomeKind.DECISION,
                                    "Move refunds to I3", at=AT)
    stored = uow.actions.get(action.target_id)
    assert (stored.source, stored.owner_id, stored.due) == (f"meeting:{meeting.id}", 2,
                                                            date(2026, 11, 27))
    assert uow.risks.get(risk.target_id).pi_id == 1
    impediment = uow.impediments.get(imp.target_id)
    assert (impediment.team_id, impediment.level) == (2, Level.TEAM)
    assert decision.target_id is None
    record = syncs.sync_record(uow, RTE, meeting.id, at=AT)
    assert [o.text for o in record.of_kind("decision")] == ["Move refunds to I3"]
    assert [v.action.title for v in record.actions] == ["Call the vendor"]


def test_team_reports_and_scope_changes_are_kept(uow):
    meeting = syncs.start_sync(uow, RTE, 1, at=AT)
    syncs.update_team_report(uow, RTE, meeting.id, 2, status=TeamStatus.OFF_TRACK,
                             note="Half the team is out")
    syncs.add_scope_change(uow, RTE, meeting.id, ScopeChangeKind.REPRIORITIZED,
                           "Refunds before export", item_id=1)
    record = syncs.sync_record(uow, RTE, meeting.id, at=AT, with_facts=False)
    falcon = next(r for r, t in record.reports if t.name == "Falcon")
    assert (falcon.status, falcon.note) == (TeamStatus.OFF_TRACK, "Half the team is out")
    assert [(c.kind, item.key) for c, item in record.scope_changes] == [
        (ScopeChangeKind.REPRIORITIZED, "PAY-1")]


def test_people_are_found_by_part_of_their_name(uow):
    assert syncs.find_person(uow, SYSTEM, 1, "priya").name == "Priya Raman"
    with pytest.raises(Invalid):
        syncs.find_person(uow, SYSTEM, 1, "a")   # every name holds an "a"
