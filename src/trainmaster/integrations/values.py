"""Reading trackers' values: time stamps, numbers, rich text (Atlassian documents, HTML)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, tzinfo
from html.parser import HTMLParser
from typing import Any

from trainmaster.domain.errors import Invalid

_FRACTION = re.compile(r"(\.\d{1,6})\d*")
_OFFSET = re.compile(r"([+-]\d{2})(\d{2})$")


def parse_timestamp(value: Any, where: str, *, zone: tzinfo = UTC) -> datetime:
    """An ISO 8601 time stamp as the REST APIs give it ('2024-01-15T10:23:45.123+0000',
    '2024-01-15T10:23:45.1234567Z'); naive values are taken in `zone`."""
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"{value!r} is not a time stamp", field=where)
    try:  # the common shapes need no rewriting
        parsed = datetime.fromisoformat(value)
        return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed
    except ValueError:
        pass
    text = _FRACTION.sub(lambda m: m.group(1), value.strip().replace("Z", "+00:00"), count=1)
    text = _OFFSET.sub(r"\1:\2", text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise Invalid(f"{value!r} is not an ISO 8601 time stamp", field=where) from None
    return parsed.replace(tzinfo=zone) if parsed.tzinfo is None else parsed


def parse_optional_timestamp(value: Any, where: str) -> datetime | None:
    return None if value in (None, "") else parse_timestamp(value, where)


def parse_points(value: Any, where: str) -> float | None:
    """Story points: a non-negative number or nothing."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise Invalid(f"{value!r} is not a number", field=where)
    try:
        number = float(str(value).strip().replace(",", ".")) if isinstance(value, str) \
            else float(value)
    except (TypeError, ValueError):
        raise Invalid(f"{value!r} is not a number", field=where) from None
    if number < 0 or number != number:
        raise Invalid(f"{value!r} is not a non-negative number", field=where)
    return number


_BLOCKS = frozenset({"paragraph", "heading", "listItem", "blockquote", "codeBlock", "rule",
                     "tableRow", "panel"})


def adf_text(node: Any) -> str:
    """Plain text of an Atlassian Document Format document (Jira REST v3 rich text)."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node
    parts: list[str] = []
    _walk(node, parts)
    lines = "".join(parts).splitlines()
    return "\n".join(line.rstrip() for line in lines).strip()


def _walk(node: Any, out: list[str]) -> None:
    if isinstance(node, list):
        for child in node:
            _walk(child, out)
        return
    if not isinstance(node, dict):
        return
    kind = node.get("type")
    attrs = node.get("attrs") or {}
    if kind == "text":
        out.append(str(node.get("text", "")))
    elif kind == "hardBreak":
        out.append("\n")
    elif kind in ("mention", "emoji", "status", "date"):
        out.append(str(attrs.get("text") or attrs.get("shortName") or attrs.get("timestamp")
                       or ""))
    elif kind in ("inlineCard", "blockCard"):
        out.append(str(attrs.get("url", "")))
    if kind == "listItem":
        out.append("- ")
    _walk(node.get("content") or [], out)
    if kind in _BLOCKS:
        out.append("\n")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4"):
            self.parts.append("\n")


def html_text(value: Any) -> str:
    """Plain text of an HTML field (Azure DevOps descriptions)."""
    if not value:
        return ""
    parser = _Text()
    parser.feed(str(value))
    parser.close()
    lines = "".join(parser.parts).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def decode_text(data: bytes, encoding: str, name: str) -> str:
    """File bytes as text; a wrong encoding names the byte and line it trips over."""
    codec = "utf-8-sig" if encoding.replace("_", "-").lower() in ("utf-8", "utf8") else encoding
    try:
        return data.decode(codec)
    except LookupError:
        raise Invalid(f"unknown encoding {encoding!r}", field="encoding") from None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise Invalid(f"{name} is not {encoding} text: byte 0x{data[exc.start]:02x} on line "
                      f"{line} (export it again as UTF-8, or give the file's encoding, e.g. "
                      "cp1252)", field="encoding") from None


def parse_local_time(value: str, formats: tuple[str, ...], zone: tzinfo, where: str) -> datetime:
    """A date written for people ('24/Nov/25 9:03 AM'), tried against `formats` in order,
    then as ISO 8601; naive values are taken in `zone`."""
    text = " ".join(value.split())
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    try:
        return parse_timestamp(text, where, zone=zone)
    except Invalid:
        example = datetime(2025, 11, 24, 9, 3).strftime(formats[0]) if formats else "ISO 8601"
        raise Invalid(f"{value!r} is not a date like {example!r} (set [csv] date_format in the "
                      "mapping for other layouts)", field=where) from None
