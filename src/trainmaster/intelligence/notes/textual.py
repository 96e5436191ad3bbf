"""Plain text, Markdown and speaker transcripts ("Name: …", "(Name) …") into segments.

Headings (Markdown `#`, a line in bold, a short line ending in ':' or standing over a list)
become the context of what follows; bullets keep their parent bullet as context when the
parent is a short title; a table row gives one segment per cell, named by its column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from trainmaster.intelligence.notes.segments import Segment, SegmentDraft

_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)[\s#]*$")
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)([^*_]+?)\1\s*:?\s*$")
_BULLET = re.compile(
    r"^(\s*)(?:[-*+•●○◦▪‣]|\d{1,2}[.)]|[a-zA-Z][.)])\s+(?:\[([ xX])\]\s*)?(?=\S)")
_TABLE_ROW = re.compile(r"^\s*\|(.*)\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?(?:\s*:?-{2,}:?\s*\|)+\s*(?::?-{2,}:?\s*)?\|?\s*$")
_FIELD = re.compile(r"^\s*(owners?|who|due(?: date)?|when|deadline)\s*:\s*(\S.*?)\s*$", re.I)
_PAREN_SPEAKER = re.compile(r"^\s*\(([^()\n]{1,40})\)\s+(?=\S)")
_COLON_SPEAKER = re.compile(
    r"^\s*(\[?[A-Za-z][\w'’.\]-]*(?:\s+[A-Za-z][\w'’.-]*){0,2})\s*:\s+(?=\S)")
_LABEL = re.compile(r"^\s*[A-Za-z][\w &/'’()+-]{0,40}:\s")
_SENTENCE_END = re.compile(r"[.!?…:;][\"'”’)]*\s*$")
_NOT_SPEAKERS = frozenset("""
    action actions ai ap ap1 ap2 ap3 ap4 todo to-do decision decisions decided agreed agreement
    risk risks concern open blocker blockers impediment impediments issue issues note notes
    context status owner owners due when who what problem question summary update fyi next
    outcome outcomes conclusion conclusions attendees present participants date time agenda
    purpose facilitator location mood team kudos checklist capacity readiness priorities
    acceptance scope root restated solutions rollback lesson aob goal goals minutes subject re
    cc to from deadline result results feedback progress item milestone milestones pareto
    confidence remember reminder tip warning important nb ps http https
""".split())

FIELD_NAMES = {"owner": "owner", "owners": "owner", "who": "owner", "due": "due",
               "due date": "due", "when": "due", "deadline": "due"}


def _lines(text: str) -> list[tuple[int, str]]:
    lines, offset = [], 0
    for line in text.splitlines(keepends=True):
        lines.append((offset, line.rstrip("\r\n")))
        offset += len(line)
    return lines


def speaker_prefix(line: str) -> tuple[str, int] | None:
    """The speaker opening a transcript line and the length of the prefix, if any."""
    match = _PAREN_SPEAKER.match(line) or _COLON_SPEAKER.match(line)
    if not match:
        return None
    name = match.group(1).strip()
    first = name.split()[0].strip("[]").lower()
    if first in _NOT_SPEAKERS or any(ch.isdigit() for ch in name) and "PERSON" not in name:
        return None
    return name, match.end()


def looks_like_transcript(text: str) -> bool:
    """Two or more speakers open many lines: 40 % of them as "Name:", 10 % as "(Name)"."""
    lines = [line for _, line in _lines(text) if line.strip()]
    speakers = [s[0] for line in lines if not _BULLET.match(line) and (s := speaker_prefix(line))]
    parenthesised = sum(1 for line in lines if _PAREN_SPEAKER.match(line))
    share = 0.1 if parenthesised >= 0.5 * len(speakers) else 0.4
    return len(set(speakers)) >= 2 and len(speakers) >= share * len(lines)


def looks_like_markdown(text: str) -> bool:
    return any(_HEADING.match(line) or _BULLET.match(line) or _TABLE_ROW.match(line)
               or _BOLD_LINE.match(line) for _, line in _lines(text))


@dataclass
class _Bullet:
    indent: int
    title: str | None  # text when the bullet is short enough to title its children
    draft: SegmentDraft


@dataclass
class _Parser:
    text: str
    transcript: bool
    lines: list[tuple[int, str]] = field(default_factory=list)
    drafts: list[SegmentDraft] = field(default_factory=list)
    headings: tuple[str, ...] = ()
    bullets: list[_Bullet] = field(default_factory=list)
    block: int = 0
    open_draft: SegmentDraft | None = None  # a paragraph or bullet that may continue
    speaker: str | None = None
    header: list[str] | None = None
    row: int = 0

    def run(self) -> list[Segment]:
        self.lines = _lines(self.text)
        for position, (offset, line) in enumerate(self.lines):
            self._line(position, offset, line)
        return [segment for draft in self.drafts if (segment := draft.freeze()) is not None]

    def _line(self, position: int, offset: int, line: str) -> None:
        if not line.strip():
            self._break()
        elif self.transcript:
            self._transcript_line(offset, line)
        elif _TABLE_ROW.match(line):
            self._table_line(position, offset, line)
        elif self._is_heading(position, line):
            self._heading(line)
        elif (bullet := _BULLET.match(line)) is not None:
            self._bullet(offset, line, bullet)
        elif (found := _FIELD.match(line)) is not None and self.drafts:
            key = FIELD_NAMES[found.group(1).lower()]
            self.drafts[-1].fields.append((key, found.group(2)))
            self.open_draft = None
        else:
            self._text_line(offset, line)

    def _break(self) -> None:
        self.open_draft = None
        self.header = None
        self.block += 1

    def _context(self) -> tuple[str, ...]:
        return self.headings + tuple(b.title for b in self.bullets if b.title)

    def _new(self, kind: str, **extra: object) -> SegmentDraft:
        draft = SegmentDraft(kind=kind, block=self.block, context=self._context(),
                             speaker=self.speaker, **extra)  # type: ignore[arg-type]
        self.drafts.append(draft)
        return draft

    def _is_heading(self, position: int, line: str) -> bool:
        if _HEADING.match(line) or _BOLD_LINE.match(line):
            return True
        stripped = line.strip()
        if _BULLET.match(line) or len(stripped.split()) > 10 or line[:1].isspace():
            return False
        if stripped.endswith(":") and len(stripped.split()) <= 8:
            return True
        following = self._next_line(position)
        return (following is not None and not _SENTENCE_END.search(stripped)
                and bool(_BULLET.match(following) or _TABLE_ROW.match(following)))

    def _next_line(self, position: int) -> str | None:
        for _, line in self.lines[position + 1:]:
            if line.strip():
                return line
        return None

    def _heading(self, line: str) -> None:
        match = _HEADING.match(line) or _BOLD_LINE.match(line)
        title = (match.group(match.lastindex or 1) if match else line).strip().rstrip(":").strip()
        self.headings = (title.strip("*_ "),)
        self.bullets = []
        self._break()

    def _bullet(self, offset: int, line: str, match: re.Match[str]) -> None:
        indent = len(match.group(1).expandtabs(4))
        while self.bullets and self.bullets[-1].indent >= indent:
            self.bullets.pop()
        if self.bullets and self.bullets[-1].title:
            self.bullets[-1].draft.kind = "title"  # a short bullet over sub-bullets titles them
        body = line[match.end():].strip()
        draft = self._new("bullet", done=(match.group(2) or " ").lower() == "x")
        draft.text.add(self.text, offset + match.end(), offset + len(line))
        short = len(body.split()) <= 5 and not _SENTENCE_END.search(body)
        self.bullets.append(_Bullet(indent, body.strip("*_ ") if short else None, draft))
        self.open_draft = draft

    def _text_line(self, offset: int, line: str) -> None:
        continues = (self.open_draft is not None and not _LABEL.match(line)
                     and (self.open_draft.kind == "bullet" and line[:1].isspace()
                          or self.open_draft.kind == "line" and not self._ended()))
        if not continues:
            self.bullets = []
            self.open_draft = self._new("line")
        assert self.open_draft is not None
        self.open_draft.text.add(self.text, offset, offset + len(line))

    def _ended(self) -> bool:
        assert self.open_draft is not None
        built, _ = self.open_draft.text.build()
        return bool(_SENTENCE_END.search(built))

    def _transcript_line(self, offset: int, line: str) -> None:
        prefix = speaker_prefix(line)
        start = offset
        if prefix is not None:
            if prefix[0] != self.speaker:
                self.block += 1
            self.speaker, start = prefix[0], offset + prefix[1]
        draft = self._new("turn")
        draft.text.add(self.text, start, offset + len(line))

    def _table_line(self, position: int, offset: int, line: str) -> None:
        if _TABLE_RULE.match(line):
            return
        following = self._next_line(position)
        cells = list(_cells(line, offset))
        if self.header is None or (following is not None and _TABLE_RULE.match(following)):
            self.header = [line[start - offset:end - offset].strip() for start, end in cells]
            self.block += 1
            return
        self.row += 1
        for column, (start, end) in enumerate(cells):
            if not any(char.isalnum() for char in self.text[start:end]):
                continue
            name = self.header[column] if column < len(self.header) else None
            draft = self._new("cell", column=name, row=self.row)
            draft.text.add(self.text, start, end)


def _cells(line: str, offset: int) -> Iterator[tuple[int, int]]:
    """Start and end offsets of each cell's content in a `| a | b |` table row."""
    bars = [index for index, char in enumerate(line) if char == "|"]
    for left, right in zip(bars, bars[1:], strict=False):
        start, end = left + 1, right
        while start < end and line[start].isspace():
            start += 1
        while end > start and line[end - 1].isspace():
            end -= 1
        yield offset + start, offset + end


def parse_text(text: str, *, transcript: bool) -> list[Segment]:
    return _Parser(text=text, transcript=transcript).run()
