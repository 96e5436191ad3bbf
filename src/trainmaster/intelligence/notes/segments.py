"""Segments: the units of a note (line, bullet, paragraph, table cell, transcript turn).

A segment knows its clean text, the input offset of each character, who spoke it (if anyone),
under which headings it sits, and for table cells the column it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from trainmaster.intelligence.notes.spans import SpanText


@dataclass(frozen=True)
class Segment:
    text: str
    offsets: tuple[int, ...]
    kind: str  # "line" | "bullet" | "title" | "cue" | "turn" | "cell"
    block: int  # segments of one paragraph, bullet list or speaker turn share a block
    speaker: str | None = None
    timestamp: str | None = None
    context: tuple[str, ...] = ()  # enclosing headings and parent bullets, outermost first
    column: str | None = None  # table column header of a cell
    row: int | None = None  # table row number of a cell
    done: bool = False  # a ticked checkbox
    fields: tuple[tuple[str, str], ...] = ()  # "Owner: …", "Due: …" lines that follow it
    marks: tuple[tuple[int, str], ...] = ()  # (position in text, timestamp) of joined cues

    def timestamp_at(self, position: int) -> str | None:
        """The timestamp of the cue that holds `position` of the text."""
        found = self.timestamp
        for start, timestamp in self.marks:
            if start <= position:
                found = timestamp
        return found

    @property
    def section(self) -> str | None:
        return self.context[-1] if self.context else None

    def field(self, name: str) -> str | None:
        for key, value in self.fields:
            if key == name:
                return value
        return None


@dataclass
class SegmentDraft:
    """A segment being assembled from one or more pieces of the input."""

    kind: str
    block: int
    speaker: str | None = None
    timestamp: str | None = None
    context: tuple[str, ...] = ()
    column: str | None = None
    row: int | None = None
    done: bool = False
    fields: list[tuple[str, str]] = field(default_factory=list)
    marks: list[tuple[int, str]] = field(default_factory=list)
    text: SpanText = field(default_factory=SpanText)

    def freeze(self) -> Segment | None:
        text, offsets = self.text.build()
        if not text:
            return None
        return Segment(text=text, offsets=offsets, kind=self.kind, block=self.block,
                       speaker=self.speaker, timestamp=self.timestamp, context=self.context,
                       column=self.column, row=self.row, done=self.done,
                       fields=tuple(self.fields), marks=tuple(self.marks))
