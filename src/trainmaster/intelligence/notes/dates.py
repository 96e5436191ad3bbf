"""Due-date phrases ("by Friday", "end of next week", "next iteration", "by 3 Dec") to dates.

Everything is relative to the meeting date. Conventions (documented in docs/evaluation.md):
a bare weekday is its next occurrence after the meeting day; "next <weekday>" is that day
in the following Monday-based week; a period resolves to its last working day ("end of the
week" → Friday, "next week" → Friday of next week, "end of the month" → its last day);
"early next week" → Monday; a date without a year is its next occurrence; iteration phrases
resolve to the iteration's end; a named event to the next such event; "ASAP" to no date.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from trainmaster.intelligence.notes.model import DuePhrase, IterationRef, MilestoneRef

_MONTHS = {name[:3].lower(): number for number, name in enumerate(calendar.month_name) if name}
_WEEKDAYS = {"monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2,
             "wed": 2, "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4,
             "saturday": 5, "sunday": 6}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "couple of": 2,
            "a few": 3, "few": 3}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_WEEKDAY = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|" \
           r"thu(?:rs?)?|fri)"
_DAY_END = r"(?:eod|cob|eob|end of (?:the )?day|close of business)"
_COUNT = r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|(?:a )?couple of|(?:a )?few)"


@dataclass(frozen=True)
class Calendar:
    """The meeting date and the PI's iterations and events that phrases may refer to."""

    meeting: date
    iterations: tuple[IterationRef, ...] = ()
    milestones: tuple[MilestoneRef, ...] = ()

    def current_iteration(self) -> IterationRef | None:
        return next((it for it in self.iterations if it.start <= self.meeting <= it.end), None)

    def next_iteration(self) -> IterationRef | None:
        current = self.current_iteration()
        after = current.end if current else self.meeting
        later = sorted((it for it in self.iterations if it.start > after), key=lambda i: i.start)
        return later[0] if later else None

    def numbered_iteration(self, number: int) -> IterationRef | None:
        for iteration in self.iterations:
            digits = re.findall(r"\d+", iteration.name)
            if digits and int(digits[-1]) == number:
                return iteration
        return None

    def named_iteration(self, word: str) -> IterationRef | None:
        pattern = re.compile(rf"\b{re.escape(word)}\b", re.IGNORECASE)
        return next((it for it in self.iterations if pattern.search(it.name)), None)

    def pi_end(self) -> date | None:
        return max((it.end for it in self.iterations), default=None)

    def next_milestone(self, name: str) -> date | None:
        wanted = _event_key(name)
        dates = sorted(m.on for m in self.milestones
                       if _event_key(m.name) == wanted and m.on >= self.meeting)
        return dates[0] if dates else None


def _event_key(name: str) -> str:
    key = re.sub(r"\s+", " ", name.lower().replace(" and ", " & ")).strip()
    return "inspect & adapt" if key in ("i&a", "i & a") else key


Resolver = Callable[[re.Match[str], Calendar], date | None]


def _friday(day: date, weeks: int = 0) -> date:
    return day - timedelta(days=day.weekday()) + timedelta(days=4 + 7 * weeks)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _next_dated(meeting: date, month: int, day: int, year: str | None) -> date | None:
    try:
        if year:
            return date(int(year), month, day)
        found = date(meeting.year, month, day)
        return found if found >= meeting else date(meeting.year + 1, month, day)
    except ValueError:
        return None


def _weekday(match: re.Match[str], cal: Calendar) -> date:
    which = (match.group("which") or "").lower()
    target = _WEEKDAYS[match.group("day").lower()]
    monday = cal.meeting - timedelta(days=cal.meeting.weekday())
    if which == "next":
        return monday + timedelta(days=7 + target)
    if which == "this":
        day = monday + timedelta(days=target)
        return day if day >= cal.meeting else day + timedelta(days=7)
    ahead = (target - cal.meeting.weekday()) % 7 or 7
    return cal.meeting + timedelta(days=ahead)


def _relative(match: re.Match[str], cal: Calendar) -> date:
    raw = match.group(1).lower()
    count = int(raw) if raw.isdigit() else _NUMBERS[raw]
    unit = match.group(2).lower()
    if unit.startswith("month"):
        return _add_months(cal.meeting, count)
    return cal.meeting + timedelta(days=count * (7 if unit.startswith("week") else 1))


def _day_of_month(match: re.Match[str], cal: Calendar) -> date | None:
    day = int(match.group(1))
    for months in range(0, 3):
        start = _add_months(cal.meeting.replace(day=1), months)
        if day <= calendar.monthrange(start.year, start.month)[1]:
            candidate = start.replace(day=day)
            if candidate >= cal.meeting:
                return candidate
    return None


def _month_part(match: re.Match[str], cal: Calendar) -> date | None:
    part, month = match.group(1).lower(), _month(match.group(2))
    year = cal.meeting.year + (1 if month < cal.meeting.month else 0)
    if part.startswith(("mid", "middle")):
        return date(year, month, 15)
    if part.startswith(("beginning", "start")):
        return date(year, month, 1)
    return _month_end(year, month)


def _iteration_end(iteration: IterationRef | None) -> date | None:
    return iteration.end if iteration else None


def _system_demo(cal: Calendar) -> date | None:
    return cal.next_milestone("system demo") or _iteration_end(cal.current_iteration())


def _month(name: str) -> int:
    return _MONTHS[name.lower()[:3]]


_PATTERNS: list[tuple[str, Resolver]] = [
    (r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b",
     lambda m, c: _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))),
    (rf"\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\.?(?:,?\s+(\d{{4}}))?\b",
     lambda m, c: _next_dated(c.meeting, _month(m.group(2)), int(m.group(1)), m.group(3))),
    (rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?",
     lambda m, c: _next_dated(c.meeting, _month(m.group(1)), int(m.group(2)), m.group(3))),
    (rf"\b(mid|middle of|end of|late|beginning of|start of)[\s-]+{_MONTH}\b", _month_part),
    (r"\b(?:the\s+)(\d{1,2})(?:st|nd|rd|th)\b", _day_of_month),
    (rf"\b(?:today|tonight|later today|this (?:morning|afternoon|evening)|{_DAY_END}"
     r"(?:\s+today)?|within the hour|in an hour|(?:by )?noon)\b", lambda m, c: c.meeting),
    (rf"\b(?:tomorrow(?:\s+(?:morning|afternoon|evening|night|{_DAY_END}))?|"
     rf"{_DAY_END}\s+tomorrow)\b", lambda m, c: c.meeting + timedelta(days=1)),
    (r"\b(?:the\s+)?day after tomorrow\b", lambda m, c: c.meeting + timedelta(days=2)),
    (rf"\b(?:{_DAY_END}\s+)?(?:(?P<which>next|this|coming)\s+)?(?P<day>{_WEEKDAY})(?:'s|’s)?"
     rf"(?:\s+(?:{_DAY_END}|morning|afternoon|evening|night))?\b", _weekday),
    (r"\b(?:(?:the\s+)?end of (?:the |this )?week|eow|this week|later this week|"
     r"(?:by )?the weekend)\b", lambda m, c: _friday(c.meeting + timedelta(days=2)
                                                     if c.meeting.weekday() >= 5 else c.meeting)),
    (r"\b(?:(?:the\s+)?end of\s+)?next week\b", lambda m, c: _friday(c.meeting, 1)),
    (r"\b(?:early|beginning of|start of)\s+next week\b",
     lambda m, c: _friday(c.meeting, 1) - timedelta(days=4)),
    (rf"\b(?:in|within)\s+(?:the\s+next\s+)?{_COUNT}\s+(?:business\s+|working\s+)?"
     r"(days?|weeks?|months?)\b", _relative),
    (r"\b(?:(?:the\s+)?end of (?:the |this )?month|eom|this month)\b",
     lambda m, c: _month_end(c.meeting.year, c.meeting.month)),
    (r"\b(?:(?:the\s+)?end of\s+)?next month\b",
     lambda m, c: _month_end(*_ym(_add_months(c.meeting.replace(day=1), 1)))),
    (r"\b(?:(?:the\s+)?end of (?:the |this |current )?(?:iteration|sprint)|"
     r"(?:this|current) (?:iteration|sprint))\b",
     lambda m, c: _iteration_end(c.current_iteration())),
    (r"\b(?:the\s+)?next (?:iteration|sprint)\b", lambda m, c: _iteration_end(c.next_iteration())),
    (r"\b(?:iteration|sprint)\s*(\d{1,2})\b",
     lambda m, c: _iteration_end(c.numbered_iteration(int(m.group(1))))),
    (r"\b(?:the\s+)?IP (?:iteration|sprint)\b",
     lambda m, c: _iteration_end(c.named_iteration("IP"))),
    (r"\b(?:(?:the\s+)?end of (?:the |this )?PI|PI end|this PI)\b", lambda m, c: c.pi_end()),
    (r"\bnext (?:week'?s\s+)?(?:(?:po|art|coach)\s+)?sync\b|\bnext scrum of scrums\b",
     lambda m, c: c.meeting + timedelta(days=7)),
    (r"\b(?:asap|as soon as possible|no date yet|tbd|no due date)\b", lambda m, c: None),
]
_COMPILED = [(re.compile(pattern, re.IGNORECASE), resolver) for pattern, resolver in _PATTERNS]
_ITERATION_SHORT = re.compile(r"\bI(\d{1,2})\b")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _ym(day: date) -> tuple[int, int]:
    return day.year, day.month


def _event_patterns(cal: Calendar) -> list[tuple[re.Pattern[str], Resolver]]:
    names = {m.name for m in cal.milestones} | {"system demo"}
    if any(_event_key(n) == "inspect & adapt" for n in names):
        names.add("I&A")
    found: list[tuple[re.Pattern[str], Resolver]] = []
    for name in sorted(names, key=len, reverse=True):
        words = r"\s+".join(re.escape(w) for w in name.split())
        pattern = re.compile(rf"(?<![\w&])(?:the\s+)?(?:next\s+)?{words}(?![\w&])", re.IGNORECASE)
        found.append((pattern, _event_resolver(name)))
    found.append((_ITERATION_SHORT, lambda m, c: _iteration_end(
        c.numbered_iteration(int(m.group(1))))))
    return found


def _event_resolver(name: str) -> Resolver:
    if _event_key(name) == "system demo":
        return lambda m, c: _system_demo(c)
    return lambda m, c: c.next_milestone(name)


def find_due_phrases(text: str, cal: Calendar) -> list[DuePhrase]:
    """Every date phrase of `text`, longest first where they overlap, in reading order."""
    candidates: list[tuple[int, int, date | None]] = []
    for pattern, resolver in [*_COMPILED, *_event_patterns(cal)]:
        for match in pattern.finditer(text):
            candidates.append((match.start(), match.end(), resolver(match, cal)))
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    phrases: list[DuePhrase] = []
    for start, end, on in candidates:
        if phrases and start < phrases[-1].end:
            continue
        phrases.append(DuePhrase(text=text[start:end], start=start, end=end, on=on))
    return phrases


_NOT_A_DEADLINE = re.compile(
    r"(?:\bsince|\bfrom|\bstarting|\blast|\bafter|\buntil|\btill|\bweek of)\s+"
    r"(?:(?:in|on|at|from|with)\s+)?(?:the\s+)?$", re.IGNORECASE)
_DEADLINE = re.compile(
    r"(?:\bby|\bbefore|\bdue|\bno later than|\bfor|\bwithin|\bin|\bon|\bat|\bend of|[-–—(,→:])"
    r"\s*(?:the\s+)?$", re.IGNORECASE)


def pick_due(text: str, phrases: Iterable[DuePhrase]) -> DuePhrase | None:
    """The phrase most likely to state a deadline: one after 'by', 'before', a dash…"""
    usable = [p for p in phrases
              if not _NOT_A_DEADLINE.search(text[:p.start]) and
              not re.match(r"\s*ago\b", text[p.end:], re.IGNORECASE)]
    marked = [p for p in usable if _DEADLINE.search(text[:p.start])]
    if marked:
        return marked[0]
    return usable[-1] if usable else None


def parse_due(text: str, meeting_date: date, *, iterations: Sequence[IterationRef] = (),
              milestones: Sequence[MilestoneRef] = ()) -> DuePhrase | None:
    """The deadline stated in `text`, resolved against the meeting date, or None."""
    cal = Calendar(meeting_date, tuple(iterations), tuple(milestones))
    return pick_due(text, find_due_phrases(text, cal))
