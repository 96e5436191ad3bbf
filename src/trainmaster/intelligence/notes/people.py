"""Names of people and teams in running text, resolved against the ART's roster.

A person is found by full name, first name, last name, alias or nickname, first name plus
last initial ("Sam P."), "@handle" or a bracketed tag ("[PERSON6]"); accents, case and
apostrophes do not matter. A name that fits several people stays unresolved. Single words
must be capitalised unless the sentence starts in lower case (chat notes) or they are
written as "@name".
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from trainmaster.intelligence.notes.model import Owner, PersonRef, RefId, TeamRef

_TOKEN = re.compile(r"@?\[?[^\W\d_][\w'’-]*\]?\.?")


def normalise(word: str) -> str:
    """Fold case, accents, brackets, '@', apostrophes and a possessive "'s" away."""
    word = unicodedata.normalize("NFKD", word)
    word = "".join(ch for ch in word if not unicodedata.combining(ch)).casefold()
    word = re.sub(r"['’]s$", "", word.strip("@[]."))
    return word.replace("'", "").replace("’", "").replace("[", "").replace("]", "")


def _key(name: str) -> tuple[str, ...]:
    return tuple(normalise(t.group(0)) for t in _TOKEN.finditer(name))


@dataclass(frozen=True)
class NameHit:
    """A name found in a text: where, as written, and whom it resolves to."""

    start: int
    end: int
    text: str
    person_id: RefId | None
    team_id: RefId | None

    @property
    def owner(self) -> Owner:
        return Owner(self.text, self.person_id, self.team_id)


class NameIndex:
    """Looks up people and teams by any of the forms they go by."""

    def __init__(self, people: Sequence[PersonRef], teams: Sequence[TeamRef]) -> None:
        self._people: dict[tuple[str, ...], set[RefId]] = defaultdict(set)
        self._teams: dict[tuple[str, ...], RefId] = {}
        self.names = {person.id: person.name for person in people}
        for person in people:
            for form in _person_forms(person):
                self._people[form].add(person.id)
        for team in teams:
            key = _key(team.name)
            for form in (key, ("team", *key), (*key, "team")):
                self._teams[form] = team.id
        self._longest = max((len(k) for k in [*self._people, *self._teams]), default=1)

    def person(self, name: str) -> RefId | None:
        """The one person `name` stands for, or None when unknown or ambiguous."""
        ids = self._people.get(_key(name), set())
        return next(iter(ids)) if len(ids) == 1 else None

    def is_person_name(self, name: str) -> bool:
        return _key(name) in self._people

    def team(self, name: str) -> RefId | None:
        return self._teams.get(_key(name))

    def resolve(self, name: str) -> Owner:
        text = name.strip().lstrip("@").strip()
        return Owner(text, self.person(text), None if self.person(text) else self.team(text))

    def find(self, text: str) -> list[NameHit]:
        """People and teams named in `text`, longest names first, in reading order."""
        tokens = list(_TOKEN.finditer(text))
        letters = [ch for ch in text if ch.isalpha()]
        lowercase = bool(letters) and letters[0].islower()
        hits: list[NameHit] = []
        position = 0
        while position < len(tokens):
            hit, used = self._match_at(text, tokens, position, lowercase)
            if hit is not None:
                hits.append(hit)
            position += used
        return hits

    def _match_at(self, text: str, tokens: list[re.Match[str]], position: int,
                  lowercase: bool) -> tuple[NameHit | None, int]:
        for size in range(min(self._longest, len(tokens) - position), 0, -1):
            window = tokens[position:position + size]
            key = tuple(normalise(t.group(0)) for t in window)
            raw = window[0].group(0).lstrip("@[")
            shaped = lowercase or window[0].group(0).startswith(("@", "[")) or raw[:1].isupper()
            start, end = window[0].start(), window[-1].end()
            written = text[start:end].rstrip(".")
            if key in self._people and shaped:
                ids = self._people[key]
                person = next(iter(ids)) if len(ids) == 1 else None
                return NameHit(start, start + len(written), written, person, None), size
            if key in self._teams and (shaped or size > 1):
                return NameHit(start, start + len(written), written, None, self._teams[key]), size
        return None, 1


def _person_forms(person: PersonRef) -> list[tuple[str, ...]]:
    full = _key(person.name)
    forms = [full]
    if len(full) > 1:
        forms += [full[:1], full[-1:], (full[0], full[-1][0])]
    forms += [_key(alias) for alias in person.aliases]
    return [form for form in forms if form]
