"""Dependency analysis of a PI, an ART and the portfolio, read from the unit of work."""

from __future__ import annotations

import pytest

from tests.factories import actor
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.domain.dependency import DependencyState
from trainmaster.domain.errors import Forbidden
from trainmaster.services.dependency_graph import analyse_dependencies


def states(analysis):
    return {(d.consumer.key, d.provider.key): d.state for d in analysis.dependencies}


@pytest.fixture
def planned(train):
    train.item("API", "Falcon", "I1")
    train.item("CHECKOUT", "Kestrel", "I2")
    train.item("REPORT", "Kestrel", "I2")
    train.item("LEDGER", "Osprey", "I3")
    train.item("LOOSE", "Osprey")
    train.depends("CHECKOUT", "API")          # ok: I1 before I2
    train.depends("REPORT", "CHECKOUT")       # at risk: same iteration
    train.depends("CHECKOUT", "LEDGER")       # late: I3 after I2
    train.depends("REPORT", "LOOSE")          # unplanned provider
    return train


def test_each_dependency_gets_its_state_from_the_iterations_of_both_ends(planned):
    analysis = analyse_dependencies(planned.uow, actor(Role.VIEWER), pi_id=planned.pi)
    assert states(analysis) == {
        ("CHECKOUT", "API"): DependencyState.OK,
        ("REPORT", "CHECKOUT"): DependencyState.AT_RISK,
        ("CHECKOUT", "LEDGER"): DependencyState.LATE,
        ("REPORT", "LOOSE"): DependencyState.UNPLANNED}
    assert analysis.counts == {"ok": 1, "at_risk": 1, "late": 1, "unplanned": 1}


def test_late_strings_come_first_with_how_many_iterations_late(planned):
    analysis = analyse_dependencies(planned.uow, actor(Role.VIEWER), pi_id=planned.pi)
    first = analysis.needs_attention[0]
    assert (first.consumer.key, first.provider.key, first.iterations_late) == (
        "CHECKOUT", "LEDGER", 1)
    assert [d.state for d in analysis.needs_attention] == [DependencyState.LATE,
                                                           DependencyState.AT_RISK]


def test_a_cycle_is_an_error_naming_its_items(planned):
    planned.depends("API", "REPORT")
    analysis = analyse_dependencies(planned.uow, actor(Role.VIEWER), pi_id=planned.pi)
    (cycle,) = analysis.cycles
    assert {r.key for r in cycle.items} == {"API", "CHECKOUT", "REPORT"}
    assert {(d.consumer.key, d.provider.key) for d in analysis.dependencies if d.in_cycle} == {
        ("CHECKOUT", "API"), ("REPORT", "CHECKOUT"), ("API", "REPORT")}
    assert analysis.critical_path.ignored_cycle_edges == 3


def test_the_critical_path_is_the_longest_chain_provider_first(planned):
    analysis = analyse_dependencies(planned.uow, actor(Role.VIEWER), pi_id=planned.pi)
    keys = [r.key for r in analysis.critical_path.items]
    assert keys in (["API", "CHECKOUT", "REPORT"], ["LEDGER", "CHECKOUT", "REPORT"])
    assert analysis.critical_path.finish == "I2"
    on_path = {(d.provider.key, d.consumer.key) for d in analysis.dependencies if d.critical}
    assert on_path == set(zip(keys, keys[1:], strict=False))


def test_the_team_matrix_says_who_waits_on_whom_and_how_late(planned):
    matrix = analyse_dependencies(planned.uow, actor(Role.VIEWER), pi_id=planned.pi).matrix
    kestrel, falcon, osprey = (planned.teams[t] for t in ("Kestrel", "Falcon", "Osprey"))
    on_osprey = matrix.cell(kestrel, osprey)
    assert (on_osprey.waits, on_osprey.late, on_osprey.iterations_late) == (2, 1, 1)
    assert (matrix.cell(kestrel, falcon).waits, matrix.cell(kestrel, falcon).late) == (1, 0)
    assert matrix.cell(falcon, kestrel) is None
    assert [t.name for t in matrix.waiting] == ["Kestrel"]


def test_hot_spots_are_the_items_and_teams_most_depended_on(planned):
    planned.item("MOBILE", "Falcon", "I3")
    planned.depends("MOBILE", "LEDGER")
    analysis = analyse_dependencies(planned.uow, actor(Role.VIEWER), pi_id=planned.pi)
    assert [(r.key, n) for r, n in analysis.hot_items][0] == ("LEDGER", 2)
    assert analysis.hot_teams[0][0].name == "Osprey" and analysis.hot_teams[0][1] == 3


def test_a_provider_planned_in_a_later_pi_makes_the_string_late(train):
    train.item("CHECKOUT", "Kestrel", "I4")
    train.item("NEXT", "Falcon", "I1", pi="PI 27.2")
    train.item("EARLIER", "Osprey", "I3", pi="PI 26.5")
    train.depends("CHECKOUT", "NEXT")
    train.depends("CHECKOUT", "EARLIER")
    analysis = analyse_dependencies(train.uow, actor(Role.VIEWER), pi_id=train.pi)
    assert states(analysis) == {("CHECKOUT", "NEXT"): DependencyState.LATE,
                                ("CHECKOUT", "EARLIER"): DependencyState.OK}
    outside = {r.key: r for r in analysis.items if not r.in_scope}
    assert outside["NEXT"].iteration == "PI 27.2 I1"
    assert [c.label for c in analysis.columns] == [
        "before the PI", "I1", "I2", "I3", "I4", "IP", "after the PI"]


def test_a_done_provider_outside_the_pi_counts_as_delivered(train):
    train.item("CHECKOUT", "Kestrel", "I1")
    train.item("OLD", "Falcon", None, pi="", status="done")
    train.depends("CHECKOUT", "OLD")
    analysis = analyse_dependencies(train.uow, actor(Role.VIEWER), pi_id=train.pi)
    assert states(analysis) == {("CHECKOUT", "OLD"): DependencyState.OK}


def test_a_dependency_across_arts_of_a_solution_train_compares_iterations_by_date(train):
    train.item("CHECKOUT", "Kestrel", "I2")
    train.item("CATALOG", "Heron", "I2", pi="SHOP PI 27.1")
    train.depends("CHECKOUT", "CATALOG")
    analysis = analyse_dependencies(train.uow, actor(Role.VIEWER), pi_id=train.pi)
    (dep,) = analysis.cross_art
    assert dep.state is DependencyState.AT_RISK
    assert (dep.provider.art_key, dep.provider.iteration, dep.provider.team) == (
        "SHOP", "SHOP PI 27.1 I2", "SHOP · Heron")


def test_an_art_scope_covers_every_pi_and_the_portfolio_every_visible_art(train):
    train.item("A", "Kestrel", "I2")
    train.item("B", "Falcon", "I3", pi="PI 26.5")
    train.item("C", "Heron", "I1", pi="SHOP PI 27.1")
    train.item("D", "Heron", "I2", pi="SHOP PI 27.1")
    train.depends("A", "B")
    train.depends("D", "C")
    art = analyse_dependencies(train.uow, actor(Role.VIEWER), art_id=train.art)
    assert set(states(art)) == {("A", "B")}
    assert [c.label for c in art.columns] == ["PI 26.5 I3", "PI 27.1 I2"]
    everything = analyse_dependencies(train.uow, SYSTEM)
    assert set(states(everything)) == {("A", "B"), ("D", "C")}
    own_only = analyse_dependencies(train.uow, actor(Role.VIEWER, art_id=train.art))
    assert set(states(own_only)) == {("A", "B")}


def test_filtering_by_team_keeps_what_touches_the_team(planned):
    analysis = analyse_dependencies(planned.uow, actor(Role.VIEWER), pi_id=planned.pi,
                                    teams={planned.teams["Falcon"]})
    assert set(states(analysis)) == {("CHECKOUT", "API")}
    assert [(c.consumer.name, c.provider.name) for c in analysis.matrix.cells] == [
        ("Kestrel", "Falcon")]
    assert analysis.filters == [planned.teams["Falcon"]]


def test_someone_without_a_role_on_the_art_may_not_look(planned):
    with pytest.raises(Forbidden):
        analyse_dependencies(planned.uow, actor(Role.RTE, art_id=999), pi_id=planned.pi)


def test_a_pi_without_dependencies_gives_an_empty_analysis(train):
    train.item("ALONE", "Falcon", "I1")
    analysis = analyse_dependencies(train.uow, actor(Role.VIEWER), pi_id=train.pi)
    assert analysis.dependencies == [] and analysis.critical_path.items == []
    assert analysis.counts == {"ok": 0, "at_risk": 0, "late": 0, "unplanned": 0}
