"""Action items: commitments and requests made in the meeting, with owners.

A clause is an action when it is listed under an action heading or label, when someone
commits ("Tom to fix…", "I'll send…", "Mo will…"), when someone is asked ("Diego, can you…",
"please…", "…, Bob."), or when a passive names an agent ("…to be prepared by Jon"). Negated
work ("we won't…"), work already done, hypotheticals and plain questions are not actions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainmaster.intelligence.notes.clauses import Clause
from trainmaster.intelligence.notes.lexicon import (
    ACTION,
    DECISION,
    FUTURE,
    NEGATED,
    PAST_ONLY,
    REQUEST,
    first_word,
    is_work_verb,
)
from trainmaster.intelligence.notes.model import Owner
from trainmaster.intelligence.notes.owners import (
    Subject,
    inner_subject,
    leading_subject,
    listed_owners,
    parenthesised_owners,
    passive_agent,
    vocatives,
)
from trainmaster.intelligence.notes.people import NameIndex


@dataclass(frozen=True)
class ActionFind:
    text: str
    owners: tuple[Owner, ...]
    confidence: float
    request: bool = False  # asked of someone rather than taken on


def _tidy(text: str) -> str:
    text = re.sub(r"^[\s,:;→>–—-]+|[\s.;,]+$", "", text)
    return text[:1].upper() + text[1:]


def _body(clause: Clause, start: int) -> str:
    """The work an action names: the clause after its owner, or all of it if that is empty."""
    rest = _tidy(clause.text[start:])
    if re.fullmatch(r"(?:it|that|this|them|so|too|)\W*", rest, re.I):
        return _tidy(clause.sentence.text)
    return rest


def _excluded(clause: Clause) -> bool:
    text = clause.text
    if clause.sentence.segment.done or NEGATED.search(text):
        return True
    if PAST_ONLY.search(text) and not re.search(rf"{FUTURE}|\bto\b", text, re.I):
        return True
    if re.search(r"\b(?:ask(?:s|ed)?|wonder(?:s|ed)?) (?:if|whether)\b", text, re.I):
        return True
    return bool(re.match(r"\s*(?:if|in case|unless|when)\b", text, re.I))


def _subject(clause: Clause) -> Subject | None:
    return leading_subject(clause.text, 0, list(clause.hits), clause.speaker, clause.antecedent)


def _explicit(clause: Clause, names: NameIndex, hinted: tuple[Owner, ...]) -> ActionFind:
    """An item listed as an action: find its owner wherever the notes put it."""
    subject = _subject(clause)
    owners = hinted
    if not owners and clause.label_owner:
        owners = listed_owners(clause.label_owner, names)
    if not owners and subject is not None and subject.owners:
        owners = subject.owners
    owners = owners or parenthesised_owners(clause.text, names) or passive_agent(
        clause.text, names) or vocatives(clause.text, list(clause.hits))
    return ActionFind(_body(clause, subject.end if subject else 0), owners, 0.9)


def _committed(clause: Clause) -> ActionFind | None:
    """"Tom to unblock…", "Kat → chase…", "I'll escalate…", "she will write…"."""
    subject = _subject(clause)
    if subject is not None and subject.kind == "mark":
        if is_work_verb(first_word(clause.text[subject.end:])) and subject.owners:
            return ActionFind(_body(clause, subject.end), subject.owners, 0.8)
        subject = None  # "Kestrel: Lars will fix the build" names its owner further on
    if subject is None or not subject.owners:
        subject = inner_subject(clause.text, list(clause.hits), clause.speaker,
                                clause.antecedent) or subject
    if subject is None or (subject.kind == "verb" and not _has_due(clause.text)):
        return None
    modal = clause.text[:subject.end].lower()
    should = bool(re.search(r"\bshould\s*$", modal))
    if should and not (subject.owners and all(o.resolved for o in subject.owners)):
        return None
    if re.search(r"\bcan\s*$", modal) and not re.search(r"(?<![\w'’])i\s+can\s*$", modal):
        return None
    if not subject.owners and not _has_due(clause.text):
        return None
    confidence = (0.7 if should else 0.85) if subject.owners else 0.6
    return ActionFind(_body(clause, subject.end), subject.owners, confidence)


def _has_due(text: str) -> bool:
    return bool(re.search(r"\b(?:by|before|until|due|tomorrow|today|tonight|next|end of|"
                          r"this week|within)\b", text, re.I))


def _requested(clause: Clause, names: NameIndex) -> ActionFind | None:
    """"Diego, can you…?", "please…", "Kate, send me…", "Put it on the agenda, Bob."."""
    text = clause.text
    addressees = vocatives(text, list(clause.hits))
    delegated = re.search(r"\blet['’]?s (?:get|ask|have)\s+(.+?)\s+to\s+(\S.*)$", text, re.I)
    if delegated:
        owners = listed_owners(delegated.group(1), names)
        return ActionFind(_tidy(delegated.group(2)), owners, 0.75, request=True)
    wish = re.search(r"\b(?:i['’]?d|i would|we['’]?d) like ((?!to\b)(?:[\w'’-]+\s+){0,3}?[\w'’-]+)"
                     r" to\s+(\w+.*)$", text, re.I)
    if wish and is_work_verb(first_word(wish.group(2))):
        owners = listed_owners(wish.group(1), names) or _plain_owner(wish.group(1))
        return ActionFind(_tidy(wish.group(2)), owners, 0.75, request=True)
    request = REQUEST.search(text)
    if request:
        return ActionFind(_tidy(text[request.end():]), addressees, 0.8, request=True)
    asked = re.search(r"\b(?:please|remember to|don['’]t forget to|make sure (?:to|you)|you "
                      r"(?:should|have to|need to|must))\s+(\w[\w-]*)", text, re.I)
    if asked and is_work_verb(asked.group(1)):
        owners = addressees or _named_before_please(text, clause)
        return ActionFind(_tidy(text[asked.start(1):]), owners, 0.7, request=True)
    if clause.question:
        return None
    opening = bool(addressees) and bool(clause.hits) and clause.hits[0].start == 0
    body = re.sub(r"^(?:[^,]{1,40},\s*)?(?:please\s+)?" if opening else r"^\s*please\s+", "",
                  text, flags=re.I)
    if not is_work_verb(first_word(body)):
        return None
    if addressees or re.search(r"\bplease\b", text, re.I):
        return ActionFind(_tidy(re.sub(r",?\s*please\b", "", body, flags=re.I)), addressees, 0.75,
                          request=True)
    return None


def _named_before_please(text: str, clause: Clause) -> tuple[Owner, ...]:
    """"So [PERSON6] please process this": the person right before "please"."""
    for hit in clause.hits:
        if re.match(r"\s*,?\s*please\b", text[hit.end:], re.I) and hit.person_id is not None:
            return (hit.owner,)
    return ()


def _plain_owner(text: str) -> tuple[Owner, ...]:
    if re.fullmatch(r"\s*(?:you|us|them|him|her|everyone|everybody|all of you)\s*", text, re.I):
        return ()
    return (Owner(text.strip()),)


def _obliged(clause: Clause, names: NameIndex) -> ActionFind | None:
    """Passives and needs: "…to be ordered by Bob", "need someone to own…", "we need X by …"."""
    text = clause.text
    agent = passive_agent(text, names)
    if agent:
        return ActionFind(_tidy(text), agent, 0.7)
    if re.search(r"\b(?:needs? to|has to|have to|are to|is to)\s+be\s+\w+(?:ed|en|t)\b", text,
                 re.I) and _has_due(text):
        return ActionFind(_tidy(text), (), 0.6)
    if re.search(r"\bneed (?:someone|somebody|an? owner|a volunteer) to\b", text, re.I):
        return ActionFind(_tidy(text), (), 0.6)
    if re.match(r"\s*(?:we|i)\s+need\s+(?!to\b)", text, re.I) and _has_due(text):
        return ActionFind(_tidy(text), (), 0.6)
    return None


def _imperative(clause: Clause) -> ActionFind | None:
    """A line that opens with a verb of work and names a deadline ("Send the deck by Friday")."""
    if clause.sentence.segment.kind not in ("bullet", "line", "cell") or clause.question:
        return None
    if re.match(r"\s*[^:]{1,40}:\s", clause.text):  # "Topic: …" opens with no verb
        return None
    if is_work_verb(first_word(clause.text)) and _has_due(clause.text):
        return ActionFind(_tidy(clause.text), (), 0.6)
    return None


def find_action(clause: Clause, names: NameIndex,
                hinted: tuple[Owner, ...] = ()) -> ActionFind | None:
    """The action a clause states, if it states one."""
    if _excluded(clause):
        return None
    if clause.prior == ACTION and not clause.question:
        return _explicit(clause, names, hinted)
    if clause.question:
        return _requested(clause, names) or _obliged(clause, names)
    if clause.prior == DECISION:
        return _committed(clause)
    return (_committed(clause) or _requested(clause, names) or _obliged(clause, names)
            or _imperative(clause))
