"""Azure DevOps' query 'Export to CSV' files, flat and tree, and what bad files say."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from trainmaster.domain.errors import Invalid
from trainmaster.integrations.ado_csv import AzureCsvSource, read_azure_csv
from trainmaster.integrations.mapping import load_mapping

FIXTURES = Path(__file__).parents[2] / "fixtures" / "azure"
MAPPING = load_mapping(FIXTURES / "mapping.toml").mapping
BERLIN = ZoneInfo("Europe/Berlin")


def items(name: str = "query_flat.csv", data: bytes | None = None):
    raw = (FIXTURES / name).read_bytes() if data is None else data
    return {i.key: i for i in read_azure_csv(raw, MAPPING, name=name)}


def test_a_flat_export_gives_parents_tags_points_and_sprints():
    found = items()
    assert list(found) == ["AB#100", "AB#101", "AB#102", "AB#110", "AB#111", "AB#120"]
    story = found["AB#110"]
    assert (story.issue_type, story.status, story.points, story.parent_key) == (
        "User Story", "Closed", 3.0, "AB#101")
    assert story.area_path == "Payments\\Osprey" and story.sprints[0].name == "Sprint 1"
    assert found["AB#101"].labels == ("PI 26.4", "merchant")
    assert story.created == datetime(2026, 10, 20, 11, tzinfo=BERLIN)


def test_the_history_uses_the_activated_and_closed_dates():
    story = items()["AB#110"]
    assert [(t.at, t.to_status) for t in story.history] == [
        (datetime(2026, 10, 20, 11, tzinfo=BERLIN), "New"),
        (datetime(2026, 11, 3, 10, 30, tzinfo=BERLIN), "Active"),
        (datetime(2026, 11, 12, 16, tzinfo=BERLIN), "Closed")]


def test_a_tree_export_takes_parents_from_the_title_columns():
    found = items("query_tree.csv")
    assert found["AB#101"].parent_key == "AB#100"
    assert found["AB#111"].parent_key == "AB#101"
    assert found["AB#102"].parent_key == "AB#100"
    assert found["AB#120"].parent_key == "AB#102"
    assert found["AB#120"].title == "Refund endpoint"
    assert found["AB#100"].parent_key is None


def test_missing_columns_are_named_with_how_to_add_them():
    text = (FIXTURES / "query_flat.csv").read_text(encoding="utf-8-sig")
    text = text.replace('"Created Date",', '"Created",', 1)
    with pytest.raises(Invalid, match="lacks the column 'Created Date'; add the column"):
        items(data=text.encode())


def test_a_broken_date_names_the_item_and_column():
    text = (FIXTURES / "query_flat.csv").read_text(encoding="utf-8-sig")
    text = text.replace("11/3/2026 10:30:00 AM", "3.11.2026 kurz nach 10")
    with pytest.raises(Invalid, match="is not a date") as caught:
        items(data=text.encode())
    assert caught.value.field == "AB#110 (line 5).Activated Date"


def test_an_id_that_is_not_a_number_is_named():
    text = (FIXTURES / "query_flat.csv").read_text(encoding="utf-8-sig").replace('"102"', '"1o2"')
    with pytest.raises(Invalid, match="'1o2' is not a work item id"):
        items(data=text.encode())


def test_a_utf16_export_read_as_utf8_says_it_is_not_utf8():
    data = (FIXTURES / "query_flat.csv").read_text(encoding="utf-8-sig").encode("utf-16")
    with pytest.raises(Invalid, match="not utf-8 text"):
        items(data=data)


def test_the_source_reads_the_file(tmp_path):
    assert len(AzureCsvSource(FIXTURES / "query_tree.csv", MAPPING).fetch(None)) == 6
