"""Backlog text: identifier-aware tokens, item keys, and dependency cue phrases."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

#: An issue key such as PAY-12 or XD-1034.
KEY_PATTERN = re.compile(r"\b([A-Z][A-Z0-9_]*)-(\d+)\b")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:[.\-/][A-Za-z0-9_]+)*")
_CAMEL = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_SPLIT = re.compile(r"[._\-/]")
_STOP = ENGLISH_STOP_WORDS | {"null", "nbsp", "http", "https", "www", "com"}


def tokens(text: str) -> list[str]:
    """Lower-case words without stop words; compound identifiers also yield their parts.

    "FileModuleRegistry" gives filemoduleregistry, file, module, registry; "spring-xd.yml"
    gives spring-xd.yml, spring, xd, yml. Item keys are left out (see `mentioned_keys`).
    """
    out: list[str] = []
    for word in _WORD.findall(KEY_PATTERN.sub(" ", text)):
        whole = word.lower()
        if _keep(whole):
            out.append(whole)
        parts = [p.lower() for chunk in _SPLIT.split(word) for p in _CAMEL.findall(chunk)]
        if len(parts) > 1:
            out.extend(p for p in parts if p != whole and _keep(p))
    return out


def _keep(token: str) -> bool:
    return len(token) > 1 and not token.isdigit() and token not in _STOP


def mentioned_keys(text: str) -> set[str]:
    return {m.group(0) for m in KEY_PATTERN.finditer(text)}


def parse_key(key: str) -> tuple[str, int] | None:
    """("XD", 1034) for "XD-1034", ("", 4711) for a plain number; None for anything else."""
    key = key.strip()
    if key.isdigit():
        return "", int(key)
    m = KEY_PATTERN.fullmatch(key)
    return (m.group(1), int(m.group(2))) if m else None


class CueDirection(StrEnum):
    NEEDS = "needs"        # the writer's item consumes what follows the phrase
    PROVIDES = "provides"  # the writer's item is needed by what follows the phrase


@dataclass(frozen=True)
class Cue:
    """A dependency phrase in an item's text and the words that name the other side."""

    direction: CueDirection
    phrase: str
    target: str


_NEEDS = (
    r"depends? (?:up)?on", r"dependent (?:up)?on", r"(?:has )?a dependency on",
    r"(?:is |are )?blocked (?:by|until|on)", r"waiting (?:for|on)", r"waits (?:for|on)",
    r"relies on", r"rely on", r"builds? on", r"on top of", r"requires", r"needs the",
    r"need the", r"needs an?", r"needs? (?:\w+ )?from", r"can(?:not|'t) start (?:until|before)",
    r"as soon as", r"once", r"after", r"prerequisites?:?", r"pre-requisites?:?",
)
_PROVIDES = (
    r"blocks", r"is blocking", r"unblocks", r"(?:is )?needed (?:by|for)",
    r"(?:is )?required (?:by|for)", r"prerequisite for", r"pre-requisite for", r"enables",
)
_CUE = re.compile(
    r"\b(?:(?P<provides>" + "|".join(_PROVIDES) + r")|(?P<needs>" + "|".join(_NEEDS) + r"))\b",
    re.IGNORECASE)
_AFTER_ONLY = re.compile(
    r"\b(?:is|are|has been|have been|gets?|being)\s+(?:\w+\s+)?(?:deployed|done|released|"
    r"available|merged|ready|finished|in place|complete|completed|implemented|delivered|"
    r"live|shipped|fixed)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.;:!?\n]|\s-\s")
_WINDOW_WORDS = 12


def find_cues(text: str) -> list[Cue]:
    """Dependency phrases with the words after them (up to the sentence end, 12 words).

    "once" / "after" count only when the clause says something lands ("after the export
    API is deployed"), so ordinary uses of those words are not read as dependencies.
    """
    cues = []
    for m in _CUE.finditer(text):
        rest = text[m.end():m.end() + 240]
        end = _SENTENCE_END.search(rest)
        target = " ".join((rest[:end.start()] if end else rest).split()[:_WINDOW_WORDS])
        phrase = m.group(0).lower()
        if phrase in ("once", "after", "as soon as") and not _AFTER_ONLY.search(target):
            continue
        if target:
            direction = CueDirection.PROVIDES if m.group("provides") else CueDirection.NEEDS
            cues.append(Cue(direction, phrase, target))
    return cues
