"""Sentence splitting inside segments, keeping each sentence's span in the input."""

from __future__ import annotations

import re
from dataclasses import dataclass

from trainmaster.intelligence.notes.model import Source
from trainmaster.intelligence.notes.segments import Segment

_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=\S)")
_ABBREVIATIONS = frozenset(
    "e.g i.e etc vs mr mrs ms dr st no approx incl cf al jr sr fig dept corp inc ltd co".split())


@dataclass(frozen=True)
class Sentence:
    """A sentence with the segment it sits in and its position in the segment's text."""

    source: Source
    segment: Segment
    begin: int
    finish: int

    @property
    def text(self) -> str:
        return self.source.sentence


def _splits_here(text: str, boundary: re.Match[str], lowercase_text: bool) -> bool:
    before = text[:boundary.start()].rstrip("\"'”’)]")
    word = before.rsplit(None, 1)[-1] if before.split() else ""
    stem = word.rstrip(".!?…").lower()
    if word.endswith(".") and (stem in _ABBREVIATIONS or (len(stem) == 1 and stem.isalpha())):
        return False
    following = text[boundary.end()]
    return lowercase_text or not following.islower()


def _pieces(text: str) -> list[tuple[int, int]]:
    lowercase_text = not any(char.isupper() for char in text)
    pieces, start = [], 0
    for boundary in _BOUNDARY.finditer(text):
        if _splits_here(text, boundary, lowercase_text):
            pieces.append((start, boundary.start()))
            start = boundary.end()
    pieces.append((start, len(text)))
    return [(a, b) for a, b in pieces if any(char.isalnum() for char in text[a:b])]


def split_sentences(segments: list[Segment]) -> list[Sentence]:
    sentences: list[Sentence] = []
    for segment in segments:
        for begin, finish in _pieces(segment.text):
            text = segment.text[begin:finish].strip()
            finish = begin + len(segment.text[begin:finish].rstrip())
            source = Source(sentence=text, index=len(sentences),
                            start=segment.offsets[begin], end=segment.offsets[finish - 1] + 1,
                            speaker=segment.speaker, timestamp=segment.timestamp_at(begin),
                            section=segment.section)
            sentences.append(Sentence(source, segment, begin, finish))
    return sentences
