"""WebVTT transcripts: cues with voice tags (`<v Name>`) or "Name: " prefixes.

Consecutive cues of one speaker whose text runs on (no sentence end) are joined, so a
sentence cut across two cues stays one sentence; it keeps the timestamp of the cue it
starts in.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from trainmaster.intelligence.notes.segments import Segment, SegmentDraft

_TIME = r"(?:\d+:)?\d{1,2}:\d{2}[.,]\d{3}"
_TIMING = re.compile(rf"^\s*({_TIME})\s+-->\s+({_TIME})")
_VOICE = re.compile(r"^\s*<v(?:\.[\w.-]+)?\s+([^>]+)>")
_PREFIX = re.compile(r"^\s*([A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})\s*:\s+")
_SKIPPED_BLOCKS = ("NOTE", "STYLE", "REGION", "WEBVTT")
_TAG = re.compile(r"<[^<>]*>")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)]*$")


def looks_like_vtt(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n").startswith("WEBVTT")


def _lines(text: str) -> Iterator[tuple[int, str]]:
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line.rstrip("\r\n")
        offset += len(line)


def _blocks(text: str) -> Iterator[list[tuple[int, str]]]:
    block: list[tuple[int, str]] = []
    for offset, line in _lines(text):
        if line.strip():
            block.append((offset, line))
        elif block:
            yield block
            block = []
    if block:
        yield block


def _cue(block: list[tuple[int, str]]) -> tuple[str, list[tuple[int, str]]] | None:
    """The start time and payload lines of a cue block, or None for other blocks."""
    if block[0][1].lstrip().startswith(_SKIPPED_BLOCKS):
        return None
    for position, (_, line) in enumerate(block[:2]):
        timing = _TIMING.match(line)
        if timing:
            return timing.group(1).replace(",", "."), block[position + 1:]
    return None


def _speaker(first: str) -> tuple[str | None, int]:
    """The speaker named at the start of a payload and how many characters name it."""
    voice = _VOICE.match(first)
    if voice:
        return voice.group(1).strip(), voice.end()
    prefix = _PREFIX.match(first)
    if prefix:
        return prefix.group(1).strip(), prefix.end()
    return None, 0


def parse_vtt(text: str) -> list[Segment]:
    drafts: list[SegmentDraft] = []
    block_id = 0
    previous_open = False
    for block in _blocks(text):
        cue = _cue(block)
        if cue is None or not cue[1]:
            continue
        timestamp, payload = cue
        speaker, skip = _speaker(payload[0][1])
        last = drafts[-1] if drafts else None
        joins = last is not None and previous_open and last.speaker == speaker
        if not joins:
            if last is None or last.speaker != speaker:
                block_id += 1
            last = SegmentDraft(kind="cue", block=block_id, speaker=speaker, timestamp=timestamp)
            drafts.append(last)
        assert last is not None
        last.marks.append((len(last.text.chars) + (1 if last.text.chars else 0), timestamp))
        for position, (offset, line) in enumerate(payload):
            start = offset + (skip if position == 0 else 0)
            last.text.add(text, start, offset + len(line))
        previous_open = not _SENTENCE_END.search(_TAG.sub("", payload[-1][1]).strip())
    return [segment for draft in drafts if (segment := draft.freeze()) is not None]
