"""Value objects of the meeting-notes analysis: what goes in, what comes out.

Every proposal carries a `Source`: the sentence it came from, its index among the sentences
of the notes and its character span in the text as given, so a page can highlight it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

RefId = int | str


class NotesFormat(StrEnum):
    PLAIN = "plain"
    MARKDOWN = "markdown"
    VTT = "vtt"
    TRANSCRIPT = "transcript"  # "Name: text" or "(Name) text" lines


@dataclass(frozen=True)
class PersonRef:
    """A person of the ART that an owner can resolve to."""

    id: RefId
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamRef:
    id: RefId
    name: str


@dataclass(frozen=True)
class FeatureRef:
    id: RefId
    key: str
    title: str


@dataclass(frozen=True)
class IterationRef:
    """An iteration of the PI; iteration phrases ("next sprint") resolve to its end."""

    name: str
    start: date
    end: date


@dataclass(frozen=True)
class MilestoneRef:
    """A dated event ("System Demo", "PI Planning") that due phrases may name."""

    name: str
    on: date


@dataclass(frozen=True)
class Source:
    """Where a proposal comes from.

    `sentence` is the sentence's text with markup removed and spacing collapsed; `start` and
    `end` delimit it in the input text (`text[start:end]`, markup and line breaks included).
    """

    sentence: str
    index: int
    start: int
    end: int
    speaker: str | None = None
    timestamp: str | None = None
    section: str | None = None


@dataclass(frozen=True)
class Owner:
    """An owner as written, resolved to a person or a team of the ART when possible."""

    text: str
    person_id: RefId | None = None
    team_id: RefId | None = None

    @property
    def resolved(self) -> bool:
        return self.person_id is not None or self.team_id is not None


@dataclass(frozen=True)
class DuePhrase:
    """A date phrase found in the text; `on` is None when it names no definite day."""

    text: str
    start: int
    end: int
    on: date | None


@dataclass(frozen=True)
class ActionProposal:
    text: str
    owners: tuple[Owner, ...]
    due: date | None
    due_text: str | None
    source: Source
    confidence: float

    @property
    def owner_text(self) -> str | None:
        return self.owners[0].text if self.owners else None

    @property
    def owner_id(self) -> RefId | None:
        return self.owners[0].person_id if self.owners else None


@dataclass(frozen=True)
class DecisionProposal:
    text: str
    source: Source
    confidence: float


@dataclass(frozen=True)
class RiskProposal:
    text: str
    source: Source
    confidence: float


@dataclass(frozen=True)
class ImpedimentProposal:
    text: str
    source: Source
    confidence: float


@dataclass(frozen=True)
class Mention:
    """A team or feature named in the notes (by name, key or title)."""

    kind: str  # "team" | "feature"
    ref_id: RefId
    text: str
    source: Source


@dataclass(frozen=True)
class SummaryPoint:
    text: str
    source: Source
    score: float


@dataclass(frozen=True)
class NotesAnalysis:
    format: NotesFormat
    meeting_date: date
    sentences: tuple[Source, ...]
    summary: tuple[SummaryPoint, ...]
    decisions: tuple[DecisionProposal, ...]
    actions: tuple[ActionProposal, ...]
    risks: tuple[RiskProposal, ...]
    impediments: tuple[ImpedimentProposal, ...]
    teams: tuple[Mention, ...]
    features: tuple[Mention, ...]
    speakers: tuple[str, ...] = ()

    @property
    def summary_text(self) -> str:
        return " ".join(point.text for point in self.summary)

    @property
    def team_ids(self) -> tuple[RefId, ...]:
        return tuple(dict.fromkeys(m.ref_id for m in self.teams))

    @property
    def feature_ids(self) -> tuple[RefId, ...]:
        return tuple(dict.fromkeys(m.ref_id for m in self.features))
