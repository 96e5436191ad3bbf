"""The predictability measure per team and for the ART (DOMAIN.md, Flow metrics)."""

from __future__ import annotations

import pytest

from trainmaster.analytics.predictability import Objective, band, predictability
from trainmaster.domain.objective import Objective as DomainObjective

OBJECTIVES = [
    # team 1: committed 10 + 8 planned; actual 7 + 8 + 5 (uncommitted counts) = 20 / 18
    Objective(1, True, 10, 7), Objective(1, True, 8, 8), Objective(1, False, 5, 5),
    # team 2: committed 10 + 10 planned; actual 6 + 7; uncommitted never delivered
    Objective(2, True, 10, 6), Objective(2, True, 10, 7), Objective(2, False, 3, 0),
]


def test_team_measure_counts_all_actual_over_committed_planned():
    report = predictability(OBJECTIVES)
    one, two = report.teams[1], report.teams[2]
    assert (one.actual, one.planned) == (20, 18)
    assert one.percent == pytest.approx(111.11, abs=0.01) and one.band == "above"
    assert (two.actual, two.planned, two.percent, two.band) == (13, 20, 65.0, "below")


def test_art_measure_sums_over_all_teams():
    art = predictability(OBJECTIVES).art
    assert (art.actual, art.planned) == (33, 38)
    assert art.percent == pytest.approx(86.84, abs=0.01) and art.band == "healthy"


def test_healthy_band_includes_its_edges():
    assert [band(79.9), band(80.0), band(100.0), band(100.1), band(None)] == [
        "below", "healthy", "healthy", "above", None]


def test_team_without_committed_objectives_has_no_percentage():
    report = predictability([Objective(3, False, 5, 5)])
    assert report.teams[3].percent is None and report.teams[3].band is None


def test_unscored_objectives_count_zero_and_are_reported():
    report = predictability([Objective(1, True, 10, None), Objective(1, True, 10, 9)])
    assert report.teams[1].percent == 45.0 and report.teams[1].unscored == 1


def test_program_objectives_are_left_out():
    report = predictability([*OBJECTIVES, Objective(None, True, 10, 0)])
    assert set(report.teams) == {1, 2} and report.art.planned == 38


def test_domain_objectives_are_read_directly():
    objectives = [DomainObjective(pi_id=1, text="Pay by QR", team_id=4, committed=True,
                                  planned_bv=8, actual_bv=8)]
    assert predictability(objectives).teams[4].percent == 100.0


def test_no_objectives_give_an_empty_report():
    report = predictability([])
    assert report.teams == {} and report.art.percent is None
