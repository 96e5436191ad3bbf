"""Reading backlog text: identifier-aware words, item keys and dependency cue phrases."""

from __future__ import annotations

import pytest

from trainmaster.intelligence.text import CueDirection, find_cues, mentioned_keys, parse_key, tokens


def test_compound_identifiers_yield_the_whole_and_the_parts():
    words = tokens("Refactor FileModuleRegistry to read spring-xd.yml")
    assert {"filemoduleregistry", "file", "module", "registry", "spring-xd.yml", "spring",
            "xd", "yml", "refactor", "read"} <= set(words)
    assert "to" not in words


def test_keys_and_bare_numbers_are_not_words():
    assert tokens("See XD-477 and 42 more") == []


def test_keys_are_found_and_parsed():
    assert mentioned_keys("Relates to XD-12, see also PAY_OPS-7 (not x-1)") == {"XD-12",
                                                                                 "PAY_OPS-7"}
    assert parse_key("XD-1034") == ("XD", 1034)
    assert parse_key("4711") == ("", 4711)
    assert parse_key("no key") is None


@pytest.mark.parametrize(("text", "direction", "target"), [
    ("Blocked until the ledger export is deployed.", CueDirection.NEEDS,
     "the ledger export is deployed"),
    ("This depends on PAY-12 landing first", CueDirection.NEEDS, "PAY-12 landing first"),
    ("Needs the refund endpoint from the payments API; then ship", CueDirection.NEEDS,
     "refund endpoint from the payments API"),
    ("After the schema migration is merged, switch reads", CueDirection.NEEDS,
     "the schema migration is merged, switch reads"),
    ("This blocks the checkout redesign", CueDirection.PROVIDES, "the checkout redesign"),
    ("Required by the mobile team for login", CueDirection.PROVIDES, "the mobile team for login"),
])
def test_cue_phrases_give_direction_and_the_words_naming_the_other_side(text, direction, target):
    cues = find_cues(text)
    assert [(c.direction, c.target) for c in cues][:1] == [(direction, target)]


def test_after_and_once_count_only_when_something_lands():
    assert find_cues("After lunch we review the backlog") == []
    assert find_cues("Once a day the job runs") == []
    assert [c.phrase for c in find_cues("Once the API is available we can start")] == ["once"]
