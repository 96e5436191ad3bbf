"""Previewing a slip: what else turns late or at risk, which objectives and milestones."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import actor
from trainmaster.domain.access import Role
from trainmaster.domain.dependency import DependencyState
from trainmaster.domain.errors import Forbidden, Invalid
from trainmaster.services.dependency_graph import preview_slip


@pytest.fixture
def chain(train):
    """API (I1) <- CHECKOUT (I2) <- REPORT (I3); objectives and milestones around them."""
    train.item("API", "Falcon", "I1")
    train.item("CHECKOUT", "Kestrel", "I2")
    train.item("REPORT", "Osprey", "I3")
    train.item("STORY", "Osprey", "I3", level="story", parent_id=train.items["REPORT"])
    train.depends("CHECKOUT", "API")
    train.depends("REPORT", "CHECKOUT")
    train.add("objectives", {"pi_id": train.pi, "team_id": train.teams["Osprey"],
                             "text": "Reports live", "feature_ids": [train.items["REPORT"]]})
    train.add("objectives", {"pi_id": train.pi, "team_id": train.teams["Falcon"],
                             "text": "Untouched", "feature_ids": []})
    train.milestone("Pilot customer", date(2026, 12, 28))     # in I2 (21 Dec - 3 Jan)
    train.milestone("Go live", date(2027, 1, 12))             # in I3 (4 - 17 Jan)
    train.milestone("Audit", date(2027, 3, 1))                # in PI 27.2
    return train


def preview(train, key, iteration):
    target = train.iterations[f"PI 27.1 {iteration}"] if iteration else None
    return preview_slip(train.uow, actor(Role.VIEWER), train.items[key], target)


def test_moving_a_provider_later_pushes_and_reddens_everything_downstream(chain):
    p = preview(chain, "API", "I3")
    assert (p.from_iteration, p.to_iteration) == ("I1", "I3")
    assert [(e.consumer.key, e.before, e.after) for e in p.edge_changes] == [
        ("CHECKOUT", DependencyState.OK, DependencyState.LATE)]
    affected = {a.item.key: a for a in p.affected}
    assert set(affected) == {"CHECKOUT", "REPORT"}
    assert (affected["CHECKOUT"].earliest, affected["CHECKOUT"].after) == ("I4", "late")
    assert (affected["REPORT"].earliest, affected["REPORT"].via.key) == ("IP", "CHECKOUT")
    assert affected["REPORT"].depth == 2 and affected["REPORT"].must_move


def test_objectives_holding_a_moved_or_affected_feature_are_named(chain):
    p = preview(chain, "API", "I3")
    assert [(o.text, o.team, o.because) for o in p.objectives] == [
        ("Reports live", "Osprey", ["REPORT"])]


def test_milestones_the_items_used_to_finish_before_are_affected(chain):
    p = preview(chain, "API", "I3")
    hits = {m.title: m.because for m in p.milestones}
    # API ended 20 Dec, now 17 Jan; CHECKOUT 3 Jan -> 31 Jan; REPORT 17 Jan -> 14 Feb:
    # a milestone counts for an item that used to end before it and now ends on or after it
    assert hits == {"Pilot customer": ["API"], "Go live": ["API", "CHECKOUT"]}


def test_moving_an_item_earlier_threatens_no_milestone(chain):
    p = preview(chain, "CHECKOUT", "I1")
    assert p.milestones == []
    assert [(e.provider.key, e.after) for e in p.edge_changes] == [
        ("API", DependencyState.AT_RISK)]


def test_unplanning_affects_every_later_milestone(chain):
    p = preview(chain, "REPORT", None)
    assert p.to_iteration is None
    assert {m.title for m in p.milestones} == {"Audit"}   # REPORT ended 17 Jan before
    assert [o.text for o in p.objectives] == ["Reports live"]


def test_a_story_slip_reaches_the_objective_of_its_feature(chain):
    p = preview(chain, "STORY", "I4")
    assert p.affected == [] and p.edge_changes == []
    assert [(o.text, o.because) for o in p.objectives] == [("Reports live", ["STORY"])]


def test_staying_in_the_same_iteration_changes_nothing(chain):
    p = preview(chain, "API", "I1")
    assert not p.changes_anything


def test_the_target_must_be_an_iteration_of_the_items_pi(chain):
    with pytest.raises(Invalid) as err:
        preview_slip(chain.uow, actor(Role.VIEWER), chain.items["API"],
                     chain.iterations["PI 27.2 I1"])
    assert err.value.field == "iteration_id"


def test_a_feature_cannot_move_into_the_ip_iteration(chain):
    with pytest.raises(Invalid, match="IP iteration"):
        preview(chain, "API", "IP")


def test_only_those_who_may_see_the_art_preview(chain):
    with pytest.raises(Forbidden):
        preview_slip(chain.uow, actor(Role.VIEWER, art_id=999), chain.items["API"], None)


def test_a_slip_reaches_consumers_on_another_art_of_the_solution_train(chain):
    chain.item("SHOPFRONT", "Heron", "I2", pi="SHOP PI 27.1")
    chain.depends("SHOPFRONT", "API")
    p = preview(chain, "API", "I2")
    assert [(a.item.key, a.after) for a in p.affected if a.item.art_key == "SHOP"] == [
        ("SHOPFRONT", "at_risk")]
    assert p.as_dict()["affected"][0]["item"]["key"] in {"CHECKOUT", "SHOPFRONT"}
