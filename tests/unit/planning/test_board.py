import pytest

from tests.factories import AT, actor
from trainmaster.domain.access import Role
from trainmaster.domain.dependency import DependencyState, dependency_state
from trainmaster.domain.errors import Forbidden, Invalid
from trainmaster.services import board


@pytest.mark.parametrize(("provider", "consumer", "state"), [
    (1, 2, DependencyState.OK), (2, 2, DependencyState.AT_RISK),
    (3, 2, DependencyState.LATE), (None, 2, DependencyState.UNPLANNED),
    (1, None, DependencyState.UNPLANNED)])
def test_dependency_state_by_iteration_index(provider, consumer, state):
    assert dependency_state(provider, consumer) is state


@pytest.fixture
def planned(train):
    train.feature("API", "Falcon", "I2")
    train.feature("CHECKOUT", "Kestrel", "I3")
    train.feature("REPORT", "Kestrel", "I4")
    train.feature("LOOSE", "Osprey")
    train.depends("CHECKOUT", "API")        # ok: I2 before I3
    train.depends("REPORT", "CHECKOUT")     # ok
    train.depends("REPORT", "LOOSE")        # unplanned
    train.add("objectives", {"pi_id": train.pi, "team_id": train.teams["Kestrel"],
                             "text": "Reports live", "feature_ids": [train.items["REPORT"]]})
    return train


def states(model):
    return {s.label: s.state.value for s in model.strings}


def test_the_board_places_cards_and_colours_strings(planned):
    model = board.show_board(planned.uow, actor(Role.VIEWER), planned.pi)
    assert [c.key for c in model.cell(planned.teams["Kestrel"], planned.iterations["I3"])] == [
        "CHECKOUT"]
    assert states(model) == {"CHECKOUT needs API": "ok", "REPORT needs CHECKOUT": "ok",
                             "REPORT needs LOOSE": "unplanned"}
    assert [i.name for i in model.iterations] == ["I1", "I2", "I3", "I4", "IP"]


def test_moving_the_provider_later_turns_the_string_late_and_marks_a_decision(planned):
    result = board.plan_item(planned.uow, actor(Role.PRODUCT_OWNER), planned.items["API"],
                             planned.iterations["I4"], at=AT)
    assert states(result.board)["CHECKOUT needs API"] == "late"
    decided = {c.key for c in result.board.cards if c.decision}
    assert decided == {"API", "CHECKOUT", "REPORT", "LOOSE"}   # REPORT/LOOSE: unanswered request


def test_a_cycle_is_reported_as_an_error(planned):
    planned.depends("API", "REPORT")
    model = board.show_board(planned.uow, actor(Role.VIEWER), planned.pi)
    assert model.cycles and set(model.cycles[0]) == {"API", "CHECKOUT", "REPORT"}
    assert {s.label for s in model.strings if s.in_cycle} == {
        "CHECKOUT needs API", "REPORT needs CHECKOUT", "API needs REPORT"}


def test_preview_lists_string_and_objective_changes_without_saving(planned):
    preview = board.preview_move(planned.uow, actor(Role.PRODUCT_OWNER),
                                 planned.items["CHECKOUT"], planned.iterations["I4"])
    assert [(s.label, s.before.value, s.after.value) for s in preview.strings] == [
        ("REPORT needs CHECKOUT", "ok", "at_risk")]
    # REPORT (I4) would have to wait for CHECKOUT, and no development iteration is left
    assert [(a.key, a.planned, a.earliest) for a in preview.affected] == [
        ("REPORT", "I4", "after the PI's last development iteration")]
    assert [o.objective.text for o in preview.objectives] == ["Reports live"]
    assert planned.uow.items.get(planned.items["CHECKOUT"]).iteration_id == \
        planned.iterations["I3"]


def test_features_are_not_planned_into_the_ip_iteration(planned):
    with pytest.raises(Invalid, match="IP iteration"):
        board.plan_item(planned.uow, actor(Role.PRODUCT_OWNER), planned.items["API"],
                        planned.iterations["IP"], at=AT)


def test_a_viewer_cannot_move_a_card(planned):
    with pytest.raises(Forbidden):
        board.plan_item(planned.uow, actor(Role.VIEWER), planned.items["API"],
                        planned.iterations["I4"], at=AT)
    assert planned.uow.items.get(planned.items["API"]).iteration_id == planned.iterations["I2"]


def test_filters_keep_teams_rows_and_string_states(planned):
    model = board.show_board(planned.uow, actor(Role.VIEWER), planned.pi,
                             states={"unplanned"})
    assert [s.label for s in model.strings] == ["REPORT needs LOOSE"]
    model = board.show_board(planned.uow, actor(Role.VIEWER), planned.pi,
                             teams={planned.teams["Falcon"]})
    assert [t.name for t in model.teams] == ["Falcon"]
    assert [c.key for c in model.cards] == ["API"]


def test_team_plan_shows_capacity_load_and_overload(planned):
    planned.story("S-1", "Falcon", "I1", 13)
    planned.story("S-2", "Falcon", "I1", 5)
    plan = board.plan_team(planned.uow, actor(Role.VIEWER), planned.pi, planned.teams["Falcon"])
    first = plan.load(planned.iterations["I1"])
    assert (first.capacity, first.load, first.overloaded) == (16, 18, True)
    assert [s.key for s in plan.stories[planned.iterations["I1"]]] == ["S-1", "S-2"]


def test_the_board_exports_as_svg_and_pdf_from_the_same_layout(planned):
    import io
    from xml.etree import ElementTree

    from pypdf import PdfReader

    from trainmaster.services import board_export

    model = board.show_board(planned.uow, actor(Role.VIEWER), planned.pi)
    svg = ElementTree.fromstring(board_export.board_svg(model))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(svg.findall(f".//{ns}g[@class='card']")) == 4
    # every string has both ends on the board (LOOSE sits in the Unplanned column)
    assert len(svg.findall(f".//{ns}path")) == 3
    reader = PdfReader(io.BytesIO(board_export.board_pdf(model)))
    text = reader.pages[0].extract_text()
    assert len(reader.pages) == 1 and "CHECKOUT" in text and "Kestrel" in text


def test_previewing_a_story_move_changes_no_strings(planned):
    story = planned.story("S-9", "Falcon", "I1", 3, parent="API")
    preview = board.preview_move(planned.uow, actor(Role.TEAM_MEMBER), story,
                                 planned.iterations["I3"])
    assert (preview.from_iteration, preview.to_iteration) == ("I1", "I3")
    assert not preview.changes_anything
