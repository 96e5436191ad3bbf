"""A clause of a sentence with everything the rules look at: label, prior, names, speaker."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainmaster.intelligence.notes.lexicon import LABEL, label_category
from trainmaster.intelligence.notes.model import Owner
from trainmaster.intelligence.notes.people import NameHit
from trainmaster.intelligence.notes.sentences import Sentence


@dataclass(frozen=True)
class Clause:
    text: str
    start: int  # offset of the clause in the sentence text
    sentence: Sentence
    prior: str | None  # the category its label, table column or heading announces
    label_owner: str | None  # "Action (Yuki): …"
    hits: tuple[NameHit, ...]
    speaker: Owner | None
    antecedent: Owner | None  # the person a "he"/"she" most likely refers to

    @property
    def question(self) -> bool:
        return self.sentence.text.rstrip(" \"'”’)").endswith("?")


def strip_label(text: str) -> tuple[str, int, str | None, str | None]:
    """Text without a leading "Decision:"-style label, its offset, its category and owner."""
    match = LABEL.match(text)
    if not match:
        return text, 0, None, None
    return text[match.end():], match.end(), label_category(match.group("label")), \
        match.group("who")


def split_clauses(text: str) -> list[tuple[int, str]]:
    """Clauses separated by ';' (each with its offset in `text`)."""
    clauses, start = [], 0
    for match in re.finditer(r";\s*", text):
        clauses.append((start, text[start:match.start()]))
        start = match.end()
    clauses.append((start, text[start:]))
    return [(offset, clause) for offset, clause in clauses if clause.strip()]
