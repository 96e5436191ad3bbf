"""Reading trackers' values: time stamps, points, rich text."""

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from trainmaster.domain.errors import Invalid
from trainmaster.integrations.values import (
    adf_text,
    html_text,
    parse_local_time,
    parse_points,
    parse_timestamp,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-02T08:00:00.000+0000", datetime(2026, 11, 2, 8, tzinfo=UTC)),
    ("2026-11-02T09:00:00.000+0100", datetime(2026, 11, 2, 8, tzinfo=UTC)),
    ("2014-12-29T20:49:20.77Z", datetime(2014, 12, 29, 20, 49, 20, 770000, tzinfo=UTC)),
    ("2014-12-29T20:49:20.7712345Z", datetime(2014, 12, 29, 20, 49, 20, 771234, tzinfo=UTC)),
])
def test_rest_api_time_stamps_are_read_with_their_offset(text, expected):
    assert parse_timestamp(text, "x") == expected


def test_a_time_stamp_without_a_zone_is_taken_in_the_given_zone():
    berlin = ZoneInfo("Europe/Berlin")
    assert parse_timestamp("2026-07-01T12:00:00", "x", zone=berlin).utcoffset() == \
        timedelta(hours=2)


@pytest.mark.parametrize("bad", ["", None, "yesterday", 17])
def test_a_bad_time_stamp_names_the_field(bad):
    with pytest.raises(Invalid) as caught:
        parse_timestamp(bad, "PAY-1.created")
    assert caught.value.field == "PAY-1.created"


def test_dates_for_people_are_read_in_the_listed_layouts():
    zone = timezone(timedelta(hours=1))
    assert parse_local_time("24/Nov/25 9:03 AM", ("%d/%b/%y %I:%M %p",), zone, "x") == \
        datetime(2025, 11, 24, 9, 3, tzinfo=zone)
    assert parse_local_time("2025-11-24T09:03:00Z", ("%d/%b/%y %I:%M %p",), zone, "x") == \
        datetime(2025, 11, 24, 9, 3, tzinfo=UTC)


@pytest.mark.parametrize(("value", "expected"), [(3, 3.0), ("5", 5.0), ("2,5", 2.5),
                                                 (None, None), ("", None), (0, 0.0)])
def test_points_are_non_negative_numbers_or_nothing(value, expected):
    assert parse_points(value, "x") == expected


@pytest.mark.parametrize("bad", ["five", -1, True, float("nan")])
def test_bad_points_are_refused(bad):
    with pytest.raises(Invalid):
        parse_points(bad, "x")


def test_an_atlassian_document_becomes_plain_text():
    doc = {"type": "doc", "version": 1, "content": [
        {"type": "heading", "attrs": {"level": 2}, "content": [{"type": "text", "text": "Why"}]},
        {"type": "paragraph", "content": [
            {"type": "text", "text": "Ask "}, {"type": "mention", "attrs": {"text": "@Omar"}},
            {"type": "text", "text": " first"}, {"type": "hardBreak"},
            {"type": "inlineCard", "attrs": {"url": "https://example.org/spec"}}]},
        {"type": "bulletList", "content": [
            {"type": "listItem", "content": [{"type": "paragraph", "content": [
                {"type": "text", "text": "one"}]}]}]}]}
    assert adf_text(doc) == "Why\nAsk @Omar first\nhttps://example.org/spec\n- one"
    assert adf_text("plain v2 text") == "plain v2 text"
    assert adf_text(None) == ""


def test_html_becomes_plain_text():
    assert html_text("<div>Pay&nbsp;by <b>link</b></div><ul><li>fast</li></ul>") == \
        "Pay by link\nfast"
    assert html_text(None) == ""
