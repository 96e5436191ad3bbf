"""The TOML mapping file: teams, statuses, types, links, and clear errors."""

from pathlib import Path

import pytest

from tests.factories import AT
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.sync import SourceItem, StatusClass
from trainmaster.domain.work_item import ItemLevel, KanbanState, WorkType
from trainmaster.integrations.mapping import load_mapping, parse_mapping

FIXTURES = Path(__file__).parents[2] / "fixtures"


def item(**kw):
    base = {"key": "OSP-1", "title": "t", "issue_type": "Story", "status": "To Do",
            "created": AT, "updated": AT}
    return SourceItem(**{**base, **kw})


def test_the_fixture_mapping_reads_teams_statuses_types_and_scope():
    found = load_mapping(FIXTURES / "jira" / "mapping.toml")
    m = found.mapping
    assert (m.art_key, m.art_name, m.timezone) == ("PAY", "Payments ART", "Europe/Berlin")
    assert [t.name for t in m.teams] == ["Osprey", "Kestrel"]
    assert found.jira.projects == ("PAY", "OSP") and found.jira.boards == (14,)
    assert m.status_class("in review") is StatusClass.ACTIVE
    assert m.status_class("Blocked") is StatusClass.WAITING
    assert m.status_class("Done") is StatusClass.DONE
    assert m.status_class("Backlog") is StatusClass.TODO
    assert m.level_of("Enabler") is ItemLevel.STORY
    assert m.work_type_of("Enabler") is WorkType.ENABLER
    assert m.level_of("Sub-task") is None


def test_a_component_or_board_wins_over_the_project():
    m = load_mapping(FIXTURES / "jira" / "mapping.toml").mapping
    assert m.team_for(item(project="OSP")) == "Osprey"
    assert m.team_for(item(project="PAY", components=("Kestrel",))) == "Kestrel"
    assert m.team_for(item(project="OSP", boards=(14,))) == "Kestrel"
    assert m.team_for(item(project="PAY")) is None


def test_the_longest_area_path_decides_the_team():
    m = parse_mapping('''
        [art]
        key = "PAY"
        [[teams]]
        name = "Payments"
        area_paths = ["Payments"]
        [[teams]]
        name = "Osprey"
        area_paths = ["Payments\\\\Osprey"]
    ''').mapping
    assert m.team_for(item(area_path="Payments\\Osprey\\Checkout")) == "Osprey"
    assert m.team_for(item(area_path="Payments\\Kestrel")) == "Payments"
    assert m.team_for(item(area_path="Paymentsfoo")) is None


def test_features_take_the_kanban_state_named_or_the_one_of_their_status_class():
    m = parse_mapping('''
        [art]
        key = "PAY"
        [statuses]
        active = ["In Progress"]
        done = ["Done"]
        [kanban]
        "Ready for PI" = "backlog"
    ''').mapping
    assert m.kanban_state("Ready for PI") is KanbanState.BACKLOG
    assert m.kanban_state("In Progress") is KanbanState.IMPLEMENTING
    assert m.kanban_state("Done") is KanbanState.DONE
    assert m.kanban_state("New") is KanbanState.FUNNEL
    assert m.item_status(ItemLevel.STORY, "In Progress") == "In Progress"


def test_link_types_say_which_side_provides():
    m = load_mapping(FIXTURES / "jira" / "mapping.toml").mapping
    assert m.link_role("Blocks", "blocks") == "provides"
    assert m.link_role("Dependency", "depends on") == "needs"
    assert m.link_role("Relates", "relates to") is None


@pytest.mark.parametrize(("text", "field", "message"), [
    ("[art]\nname = 'x'", "art.key", "which ART"),
    ("[art]\nkey = 'PAY'\ntimezone = 'Mars/Olympus'", "timezone", "unknown time zone"),
    ("[art]\nkey = 'PAY'\n[statuses]\nactive = ['Doing']\nwaiting = ['Doing']", "statuses",
     "both active and waiting"),
    ("[art]\nkey = 'PAY'\n[statuses]\nactive = ['Done']\ndone = ['Done']", "statuses",
     "both done and started"),
    ("[art]\nkey = 'PAY'\n[types]\nepic = ['Epic']\nfeature = ['Epic']", "types",
     "both epic and feature"),
    ("[art]\nkey = 'PAY'\n[kanban]\nDoing = 'coding'", "kanban", "not an ART Kanban state"),
    ("[art]\nkey = 'PAY'\n[[teams]]\nprojects = ['OSP']", "teams[1]", "needs a name"),
    ("[art]\nkey = 'PAY'\n[[teams]]\nname = 'A'\nboards = ['12']", "teams[1].boards",
     "board ids"),
    ("[art]\nkey = 'PAY'\n[jira]\nurl = 'x'\nprojcts = ['PAY']", "jira", "unknown entry projcts"),
    ("[art]\nkey = 'PAY'\n[statusses]", "mapping", "unknown entry statusses"),
    ("[art\nkey = 'PAY'", "mapping", "not valid TOML"),
])
def test_a_bad_mapping_names_the_entry_and_the_problem(text, field, message):
    with pytest.raises(Invalid, match=message) as caught:
        parse_mapping(text)
    assert caught.value.field == field


def test_a_missing_mapping_file_is_not_found(tmp_path):
    with pytest.raises(NotFound, match="no mapping file"):
        load_mapping(tmp_path / "nope.toml")


def test_a_mapping_file_that_is_not_utf8_says_so(tmp_path):
    path = tmp_path / "m.toml"
    path.write_bytes("[art]\nkey = 'PAY'\nname = 'Zahlungsverkehr Süd'\n".encode("latin-1"))
    with pytest.raises(Invalid, match="not UTF-8"):
        load_mapping(path)
