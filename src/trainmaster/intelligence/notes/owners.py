"""Who an action belongs to: subjects, "I" of a speaker, addressees, pronouns, Who fields.

Owners are the people who will do the work: the subject of the clause ("Kate and Lars to
pair…", "@tom clean up…", "Kat → chase…"), the speaker for "I'll…", the addressee of a
request ("Diego, can you…", "…, Bob."), the agent of a passive ("…to be prepared by Jon"), a
name in parentheses or after a dash, or an "Owner:"/"Who" field. People named after "with"
are collaborators, not owners. "We" gives no owner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainmaster.intelligence.notes.lexicon import (
    FUTURE,
    NOT_NAMES,
    OBLIGATION,
    is_work_verb,
)
from trainmaster.intelligence.notes.model import Owner
from trainmaster.intelligence.notes.people import NameHit, NameIndex

_JOINER = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|\s*\+\s*|\s*/\s*)", re.I)
_UNKNOWN_NAME = re.compile(r"[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*)?")
_SELF = re.compile(r"(?:I|i)(?=\W|$)")
_PRONOUN = re.compile(r"(?:he|she|they)(?=\W|$)", re.I)
_ADVERB = r"(?:still|also|just|probably|really|then|now|definitely|actually|first|quickly|" \
          r"certainly|maybe|both|all)"
_CONNECTOR = re.compile(
    rf"\.?\s*(?:\([^)]*\)\s*)?(?:{_ADVERB}\s+)?(?:(?P<mark>[:→]|->|\s[-–—]|[-–—]\s)|"
    rf"(?P<modal>{FUTURE}|{OBLIGATION}|"
    r"can(?! only)|promises|offered to|volunteered to|is on it|are on it|owns it|owns that|"
    r"takes (?:it|that|this))\b|"
    r"(?P<to>to)\s+(?P<verb>[a-z][\w-]*)|(?P<bare>[a-z][\w-]*))", re.I)


@dataclass(frozen=True)
class Subject:
    owners: tuple[Owner, ...]
    end: int  # where the clause continues after the subject and its connector
    kind: str  # "mark" (Name: …) | "modal" (Name will …) | "to" | "verb" | "we"


def _owner_at(text: str, position: int, hits: list[NameHit], speaker: Owner | None,
              antecedent: Owner | None) -> tuple[Owner | None, int] | None:
    """The owner named at `position` (a roster name, "I", a pronoun, an unknown name)."""
    for hit in hits:
        if hit.start == position:
            if re.search(r"['’]s$", hit.text):
                return None
            return hit.owner, hit.end
    rest = text[position:]
    if (found := _SELF.match(rest)) is not None:
        return speaker, position + found.end()
    if (found := _PRONOUN.match(rest)) is not None:
        if found.group(0).lower() == "they":
            return None, position + found.end()
        return antecedent, position + found.end()
    if rest[:1] == "@" and (found := re.match(r"@([\w.-]+)", rest)) is not None:
        return Owner("@" + found.group(1).split(".")[0]), position + found.end()
    found = _UNKNOWN_NAME.match(rest)
    if found and found.group(0).split()[0].lower() not in NOT_NAMES:
        return Owner(found.group(0)), position + found.end()
    return None


def leading_subject(text: str, start: int, hits: list[NameHit], speaker: Owner | None,
                    antecedent: Owner | None) -> Subject | None:
    """The owners a clause opens with, if they are followed by a verb, 'to', 'will' or ':'."""
    owners: list[Owner] = []
    position = start
    while True:
        if re.match(r"\s*we\b", text[position:], re.I) and not owners:
            we = re.match(r"\s*we\b", text[position:], re.I)
            assert we is not None
            found: tuple[Owner | None, int] | None = (None, position + we.end())
        else:
            found = _owner_at(text, position, hits, speaker, antecedent)
        if found is None:
            return None
        if found[0] is not None:
            owners.append(found[0])
        position = found[1]
        joiner = _JOINER.match(text, position) or re.compile(r"\s+(?=@)").match(text, position)
        if joiner is None or joiner.end() == position or _owner_at(
                text, joiner.end(), hits, speaker, antecedent) is None:
            break
        position = joiner.end()
    subject = _connect(text, position, tuple(owners))
    if subject is not None and subject.kind != "modal" and not _on_roster(owners):
        return None
    return subject


def _on_roster(owners: list[Owner]) -> bool:
    """True when every owner is a known person or team (not just a capitalised word)."""
    return bool(owners) and all(owner.resolved or owner.text.startswith("@") for owner in owners)


def _connect(text: str, position: int, owners: tuple[Owner, ...]) -> Subject | None:
    connector = _CONNECTOR.match(text, position)
    if connector is None:
        return None
    if connector.group("mark"):
        return Subject(owners, connector.end(), "mark")
    if connector.group("modal"):
        if re.match(r"(?:n?['’]t|\s+not)\b", text[connector.end():]):
            return None
        return Subject(owners, connector.end(), "modal")
    if connector.group("to") and is_work_verb(connector.group("verb")):
        return Subject(owners, connector.start("verb"), "to")
    if connector.group("bare") and is_work_verb(connector.group("bare")):
        return Subject(owners, connector.start("bare"), "verb")
    return None


def inner_subject(text: str, hits: list[NameHit], speaker: Owner | None,
                  antecedent: Owner | None) -> Subject | None:
    """A 'Name will …' / 'I'll …' / 'she'll …' commitment that does not open the clause."""
    starts = [hit.start for hit in hits]
    starts += [m.start() for m in re.finditer(r"(?<![\w'’])(?:I|he|she)(?=\W)", text)]
    for start in sorted(starts):
        before = [h.owner for h in hits if h.end <= start and h.team_id is None]
        subject = leading_subject(text, start, hits, speaker, before[-1] if before else antecedent)
        if subject is not None and subject.kind == "modal" and subject.owners:
            return subject
    said = re.search(r"\b(?:said|promised|confirmed) (?:that )?(?:he|she) would\b", text, re.I)
    if said and antecedent is not None:
        return Subject((antecedent,), said.end(), "modal")
    return None


def vocatives(text: str, hits: list[NameHit]) -> tuple[Owner, ...]:
    """People addressed by name: "Diego, can you…", "Mei and Priya, …", "…, Bob."."""
    people = [h for h in hits if h.person_id is not None or h.team_id is None]
    opening: list[Owner] = []
    position = 0
    for hit in people:
        gap = text[position:hit.start]
        if gap.strip() and not _JOINER.fullmatch(gap):
            break
        opening.append(hit.owner)
        position = hit.end
    if opening and re.match(r"\s*,", text[position:]):
        return tuple(opening)
    if people:
        last = people[-1]
        if re.search(r",\s*$", text[:last.start]) and re.fullmatch(r"[\s.!?]*", text[last.end:]):
            return (last.owner,)
    return ()


def listed_owners(raw: str, names: NameIndex) -> tuple[Owner, ...]:
    """Owners of a 'Who'/'Owner:' field or a parenthesis: "Diego and Lars", "Alice, today"."""
    hits = names.find(raw)
    if hits:
        return tuple(hit.owner for hit in hits if hit.person_id is not None or
                     hit.team_id is not None) or (hits[0].owner,)
    first = re.split(r"[,;]", raw)[0].strip()
    if _UNKNOWN_NAME.fullmatch(first) and first.split()[0].lower() not in NOT_NAMES:
        return (Owner(first),)
    return ()


def parenthesised_owners(text: str, names: NameIndex) -> tuple[Owner, ...]:
    """Owners in "(Alice, today)", "(owner: Sam Patel)", "— Tom, estimate by …"."""
    for inside in re.findall(r"\(([^()]{1,60})\)", text):
        inside = re.sub(r"^\s*(?:owners?|who)\s*:\s*", "", inside, flags=re.I)
        found = [h for h in names.find(inside) if h.person_id is not None]
        if found:
            return tuple(h.owner for h in found)
    owner = re.search(r"\b(?:owners?|assigned to|assignee)\s*:?\s+(.+)$", text, re.I)
    if owner:
        return listed_owners(owner.group(1), names)
    dash = re.search(r"\s[-–—]\s+(.+)$", text)
    if dash:
        hits = names.find(dash.group(1))
        if hits and hits[0].start == 0:
            return (hits[0].owner,)
    return ()


def passive_agent(text: str, names: NameIndex) -> tuple[Owner, ...]:
    """The agent of "…needs to be ordered by Bob", "…are to be prepared by Jon"."""
    match = re.search(r"\b(?:needs? to|has to|have to|is to|are to|must|will|should)\s+be\s+"
                      r"\w+(?:ed|en|t|wn)\s+by\s+(.+)$", text, re.I)
    if not match:
        return ()
    hits = names.find(match.group(1))
    return (hits[0].owner,) if hits and hits[0].start == 0 else ()


def antecedent_of(text: str, position: int, names: NameIndex) -> Owner | None:
    """The last person named before `position` in `text`."""
    people = [h for h in names.find(text[:position]) if h.team_id is None]
    return people[-1].owner if people else None
