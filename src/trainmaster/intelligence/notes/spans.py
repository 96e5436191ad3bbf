"""Clean text that remembers where each character came from in the input.

Markup (WebVTT tags, Markdown emphasis, HTML entities) is dropped and runs of spaces and line
breaks collapse to one space; every kept character keeps the offset it had in the input, so
a sentence found in the clean text maps back to a span of the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_MARKUP = re.compile(r"<[^<>\n]{0,80}>|\*\*|__|`|~~|&(?:amp|lt|gt|nbsp|quot|#39);")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&nbsp;": " ", "&quot;": '"', "&#39;": "'"}


@dataclass
class SpanText:
    """Builder of a clean string with an offset for each of its characters."""

    chars: list[str] = field(default_factory=list)
    offsets: list[int] = field(default_factory=list)

    def add(self, source: str, start: int, end: int) -> None:
        """Append `source[start:end]` without markup, separated by one space from what is there."""
        if self.chars and self.chars[-1] != " ":
            self._put(" ", start)
        position = start
        for match in _MARKUP.finditer(source, start, end):
            self._copy(source, position, match.start())
            entity = _ENTITIES.get(match.group(0))
            if entity:
                self._put(entity, match.start())
            position = match.end()
        self._copy(source, position, end)

    def _copy(self, source: str, start: int, end: int) -> None:
        for index in range(start, end):
            self._put(source[index], index)

    def _put(self, char: str, offset: int) -> None:
        if char.isspace():
            if not self.chars or self.chars[-1] == " ":
                return
            char = " "
        self.chars.append(char)
        self.offsets.append(offset)

    def build(self) -> tuple[str, tuple[int, ...]]:
        """The clean text (trimmed) and the offset of each of its characters."""
        end = len(self.chars)
        while end and self.chars[end - 1] == " ":
            end -= 1
        return "".join(self.chars[:end]), tuple(self.offsets[:end])


def clean_span(source: str, start: int, end: int) -> tuple[str, tuple[int, ...]]:
    builder = SpanText()
    builder.add(source, start, end)
    return builder.build()
