"""Jira's 'Export > CSV (all fields)' file, and what bad files say."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from trainmaster.domain.errors import Invalid
from trainmaster.integrations.jira_csv import DATE_FORMATS, JiraCsvSource, read_jira_csv
from trainmaster.integrations.mapping import load_mapping

FIXTURES = Path(__file__).parents[2] / "fixtures" / "jira"
MAPPING = load_mapping(FIXTURES / "mapping.toml").mapping
EXPORT = FIXTURES / "export_all_fields.csv"
BERLIN = ZoneInfo("Europe/Berlin")


def items(data: bytes | None = None, **kw):
    return {i.key: i for i in read_jira_csv(EXPORT.read_bytes() if data is None else data,
                                            MAPPING, name="export.csv", **kw)}


def test_every_row_becomes_an_item_with_jiras_fields():
    found = items()
    assert list(found) == ["PAY-1", "PAY-2", "PAY-3", "OSP-1", "OSP-2", "OSP-3", "KES-1",
                           "KES-2", "KES-3"]
    osp1 = found["OSP-1"]
    assert (osp1.issue_type, osp1.status, osp1.points, osp1.project) == ("Story", "Done", 3.0,
                                                                         "OSP")
    assert osp1.created == datetime(2026, 10, 20, 11, 0, tzinfo=BERLIN)
    assert found["PAY-2"].description == ("A merchant sends a link, and the customer pays by "
                                          "opening it.\nLinks expire after 7 days.")


def test_repeated_columns_give_every_value():
    found = items()
    assert [s.name for s in found["OSP-2"].sprints] == ["OSP Sprint 1", "OSP Sprint 2"]
    assert found["OSP-3"].labels == ("customer", "escalated")
    assert found["PAY-2"].components == ("osprey",)
    assert found["PAY-3"].fix_versions == ("PI 26.4",)


def test_the_parent_column_holds_the_parents_issue_id():
    found = items()
    assert found["OSP-1"].parent_key == "PAY-2"
    assert found["KES-3"].parent_key == "KES-1"
    assert found["PAY-1"].parent_key is None


def test_story_points_come_from_either_points_column():
    found = items()
    assert found["OSP-2"].points == 5.0      # Story point estimate
    assert found["KES-1"].points == 8.0      # Story Points


def test_link_columns_become_dependencies_in_both_directions():
    found = items()
    pairs = {(link.provider, link.consumer) for i in found.values() for link in i.links}
    assert pairs == {("KES-1", "OSP-2"), ("KES-1", "KES-2")}


def test_the_history_is_creation_then_the_last_category_change():
    found = items()
    assert [(t.at, t.to_status) for t in found["OSP-2"].history] == [
        (datetime(2026, 10, 21, 11, tzinfo=BERLIN), "To Do"),
        (datetime(2026, 11, 13, 11, tzinfo=BERLIN), "In Progress")]
    assert [t.to_status for t in found["KES-2"].history] == ["To Do"]


def test_a_file_in_another_encoding_names_the_byte_and_line():
    data = EXPORT.read_bytes().replace("Σ Original".encode(), b"\xa7 Original")
    with pytest.raises(Invalid, match=r"not utf-8 text: byte 0xa7 on line 1") as caught:
        items(data)
    assert caught.value.field == "encoding"


def test_the_files_encoding_can_be_given():
    data = EXPORT.read_text(encoding="utf-8").replace("Σ", "S").encode("cp1252")
    assert len(items(data, encoding="cp1252")) == 9


def test_missing_columns_are_named():
    text = EXPORT.read_text(encoding="utf-8").replace("Issue Type,", "Type,", 1)
    with pytest.raises(Invalid, match="lacks the column 'Issue Type'.*CSV \\(all fields\\)"):
        items(text.encode())


def test_a_broken_date_names_the_issue_line_and_column():
    text = EXPORT.read_text(encoding="utf-8").replace("21/Oct/26 11:00 AM", "21/Okt/26 11:00")
    with pytest.raises(Invalid, match="'21/Okt/26 11:00' is not a date like '24/Nov/25 "
                                      "09:03 AM'") as caught:
        items(text.encode())
    assert caught.value.field == "OSP-2 (line 7).Created"   # PAY-2 spans two lines


def test_other_date_layouts_are_read_with_the_mappings_date_format():
    text = EXPORT.read_text(encoding="utf-8").replace("21/Oct/26 11:00 AM", "2026.10.21 11:00")
    found = items(text.encode(), formats=("%Y.%m.%d %H:%M", *DATE_FORMATS))
    assert found["OSP-2"].created == datetime(2026, 10, 21, 11, tzinfo=BERLIN)


def test_an_empty_file_says_so():
    with pytest.raises(Invalid, match="empty"):
        items(b"")


def test_the_source_reads_the_file_and_names_it(tmp_path):
    source = JiraCsvSource(EXPORT, MAPPING)
    assert len(source.fetch(None)) == 9 and source.location == "export_all_fields.csv"
