"""parse_notes: meeting notes in, summary and proposals (each with its source) out."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from trainmaster.domain.errors import Invalid
from trainmaster.intelligence.notes.actions import ActionFind, find_action
from trainmaster.intelligence.notes.clauses import Clause, split_clauses, strip_label
from trainmaster.intelligence.notes.dates import Calendar, find_due_phrases, pick_due
from trainmaster.intelligence.notes.lexicon import (
    ACK,
    ACTION,
    IMPEDIMENT,
    PROPOSAL,
    RISK,
    heading_category,
)
from trainmaster.intelligence.notes.mentions import find_mentions
from trainmaster.intelligence.notes.model import (
    ActionProposal,
    DecisionProposal,
    DuePhrase,
    FeatureRef,
    ImpedimentProposal,
    IterationRef,
    MilestoneRef,
    NotesAnalysis,
    NotesFormat,
    Owner,
    PersonRef,
    RiskProposal,
    SummaryPoint,
    TeamRef,
)
from trainmaster.intelligence.notes.owners import antecedent_of, listed_owners
from trainmaster.intelligence.notes.people import NameIndex
from trainmaster.intelligence.notes.segments import Segment
from trainmaster.intelligence.notes.sentences import Sentence, split_sentences
from trainmaster.intelligence.notes.statements import (
    decision_score,
    impediment_score,
    risk_score,
)
from trainmaster.intelligence.notes.summary import Embedder, SummaryOptions, rank_sentences
from trainmaster.intelligence.notes.textual import (
    looks_like_markdown,
    looks_like_transcript,
    parse_text,
)
from trainmaster.intelligence.notes.vtt import looks_like_vtt, parse_vtt

_OWNER_COLUMN = re.compile(r"^(?:who|owners?|assignee|responsible)$", re.I)
_DUE_COLUMN = re.compile(r"^(?:when|due(?: date)?|deadline|by|date)$", re.I)
_STATUS_COLUMN = re.compile(r"^(?:status|roam|state)$", re.I)
_METADATA = re.compile(r"^\s*(?:present|attendees|participants|attending|absent|apologies|"
                       r"facilitator|note ?taker|minutes (?:by|taken by)|date|time|location|"
                       r"venue)\s*:", re.I)
_REQUEST_TO_GET = re.compile(r"\b(?:can|could)\s+(?:we|i)\s+(?:get|have|receive)\b", re.I)


def detect_format(text: str) -> NotesFormat:
    if looks_like_vtt(text):
        return NotesFormat.VTT
    if looks_like_transcript(text):
        return NotesFormat.TRANSCRIPT
    return NotesFormat.MARKDOWN if looks_like_markdown(text) else NotesFormat.PLAIN


def parse_segments(text: str, fmt: NotesFormat) -> list[Segment]:
    if fmt is NotesFormat.VTT:
        return parse_vtt(text)
    return parse_text(text, transcript=fmt is NotesFormat.TRANSCRIPT)


@dataclass
class _Findings:
    """What one sentence yields."""

    actions: list[tuple[ActionFind, DuePhrase | None]] = field(default_factory=list)
    decision: tuple[str, float] | None = None
    risk: tuple[str, float] | None = None
    impediment: tuple[str, float] | None = None

    @property
    def any(self) -> bool:
        return bool(self.actions or self.decision or self.risk or self.impediment)


@dataclass
class _Analyser:
    sentences: list[Sentence]
    names: NameIndex
    calendar: Calendar
    rows: dict[int, dict[str, str]]

    def findings(self) -> list[_Findings]:
        found = [self._sentence(position) for position in range(len(self.sentences))]
        self._replies(found)
        return found

    def _sentence(self, position: int) -> _Findings:
        sentence = self.sentences[position]
        first = sentence.begin == 0
        body, offset, label, label_owner = strip_label(sentence.text) if first else (
            sentence.text, 0, None, None)
        prior = label or self._column_prior(sentence) or self._section_prior(sentence)
        result = _Findings()
        if self._is_side_cell(sentence) or sentence.segment.kind == "title" or \
                _METADATA.match(sentence.segment.text):
            return result
        clauses = [self._clause(position, text, offset + start, prior, label_owner)
                   for start, text in split_clauses(body)]
        for clause in clauses:
            self._classify(clause, result)
        result.actions = self._borrow_due(_merged(result.actions), clauses)
        return result

    def _borrow_due(self, actions: list[tuple[ActionFind, DuePhrase | None]],
                    clauses: list[Clause]) -> list[tuple[ActionFind, DuePhrase | None]]:
        """An action without a date takes one from a clause of its sentence that is no action."""
        if len(actions) != 1 or actions[0][1] is not None or len(clauses) < 2:
            return actions
        for clause in clauses:
            due = self._due(clause, None)
            if due is not None and find_action(clause, self.names) is None:
                return [(actions[0][0], due)]
        return actions

    def _clause(self, position: int, text: str, start: int, prior: str | None,
                label_owner: str | None) -> Clause:
        sentence = self.sentences[position]
        before = [s.text for s in self.sentences[max(0, position - 3):position]
                  if s.segment.block == sentence.segment.block]
        context = " ".join([*before, sentence.text[:start]])
        speaker = self.names.resolve(sentence.source.speaker) if sentence.source.speaker else None
        return Clause(text=text, start=start, sentence=sentence, prior=prior,
                      label_owner=label_owner, hits=tuple(self.names.find(text)),
                      speaker=speaker, antecedent=antecedent_of(context, len(context), self.names))

    def _classify(self, clause: Clause, result: _Findings) -> None:
        hinted, due_hint = self._hints(clause.sentence)
        action = find_action(clause, self.names, hinted)
        scores = {"decision": decision_score(clause), "risk": risk_score(
            clause, self._row_status(clause.sentence)), "impediment": impediment_score(clause)}
        if action is not None and clause.prior in (RISK, IMPEDIMENT) and action.confidence < 0.9:
            scores[clause.prior] = 0.0 if scores[clause.prior] == 0.9 else scores[clause.prior]
        if action is not None and clause.prior == ACTION and not action.owners and \
                decision_score(replace(clause, prior=None)) >= 0.8:
            action = None  # "We decided against …" listed among actions is a decision
        if action is not None:
            result.actions.append((action, self._due(clause, due_hint)))
        for name, score in scores.items():
            current = getattr(result, name)
            if score >= 0.5 and (current is None or score > current[1]):
                setattr(result, name, (_tidy(clause.text), score))

    def _due(self, clause: Clause, hint: str | None) -> DuePhrase | None:
        if hint:
            phrases = find_due_phrases(hint, self.calendar)
            return pick_due(hint, phrases) or DuePhrase(hint, 0, len(hint), None)
        return pick_due(clause.text, find_due_phrases(clause.text, self.calendar))

    def _hints(self, sentence: Sentence) -> tuple[tuple[Owner, ...], str | None]:
        segment = sentence.segment
        owner_text, due_text = segment.field("owner"), segment.field("due")
        if segment.row is not None:
            for column, value in self.rows[segment.row].items():
                if _OWNER_COLUMN.match(column):
                    owner_text = value
                elif _DUE_COLUMN.match(column):
                    due_text = value
        owners = listed_owners(owner_text, self.names) if owner_text else ()
        return owners, due_text

    def _row_status(self, sentence: Sentence) -> str | None:
        if sentence.segment.row is None:
            return None
        row = self.rows[sentence.segment.row]
        return next((v for k, v in row.items() if _STATUS_COLUMN.match(k)), None)

    def _is_side_cell(self, sentence: Sentence) -> bool:
        column = sentence.segment.column or ""
        return bool(_OWNER_COLUMN.match(column) or _DUE_COLUMN.match(column)
                    or _STATUS_COLUMN.match(column))

    def _column_prior(self, sentence: Sentence) -> str | None:
        segment = sentence.segment
        if segment.row is None or segment.column is None:
            return None
        columns = list(self.rows[segment.row])
        if any(_OWNER_COLUMN.match(c) for c in columns) and any(
                _DUE_COLUMN.match(c) for c in columns):
            main = next(c for c in columns if not (_OWNER_COLUMN.match(c) or _DUE_COLUMN.match(c)
                                                   or _STATUS_COLUMN.match(c)))
            return ACTION if segment.column == main else None
        return heading_category(segment.column)

    def _section_prior(self, sentence: Sentence) -> str | None:
        for heading in reversed(sentence.segment.context):
            category = heading_category(heading)
            if category is not None:
                return category
        return None

    def _replies(self, found: list[_Findings]) -> None:
        """Answers such as "Sure, will do." or "Agreed." settle the sentence they answer."""
        for position, sentence in enumerate(self.sentences):
            if not sentence.source.speaker:
                continue
            earlier = self._previous_turn(position)
            if earlier and ACK.match(sentence.text):
                self._answer(found, position, earlier)
            elif earlier and found[position].actions:
                for asked in earlier:  # "could someone…?" answered by a commitment
                    found[asked].actions = [(a, d) for a, d in found[asked].actions
                                            if a.owners or not a.request]

    def _answer(self, found: list[_Findings], position: int, earlier: list[int]) -> None:
        asked = earlier[-1]
        speaker = self.sentences[position].source.speaker
        requests = [a for a, _ in found[asked].actions if a.request]
        if requests:
            owners = requests[0].owners or (self.names.resolve(speaker or ""),)
            found[asked].actions = [(replace(a, owners=owners) if a.request else a, d)
                                    for a, d in found[asked].actions]
            found[position].actions = []
            return
        if _REQUEST_TO_GET.search(self.sentences[asked].text) and not found[asked].actions:
            action = ActionFind(_tidy(self.sentences[asked].text), (
                self.names.resolve(speaker or ""),), 0.6, request=True)
            found[asked].actions = [(action, None)]
            return
        proposals = [p for p in earlier if PROPOSAL.search(self.sentences[p].text)]
        bare = len(self.sentences[position].text.split()) <= 4
        if proposals and not any(found[p].decision for p in earlier):
            found[proposals[-1]].decision = (_tidy(self.sentences[proposals[-1]].text), 0.7)
            found[position].decision = None
        elif bare and any(found[p].decision for p in earlier):
            found[position].decision = None

    def _previous_turn(self, position: int) -> list[int]:
        """The sentences of the turn just before `position` (another speaker), oldest first."""
        speaker = self.sentences[position].source.speaker
        back = position - 1
        while back >= 0 and self.sentences[back].source.speaker == speaker:
            back -= 1
        if back < 0:
            return []
        other = self.sentences[back].source.speaker
        turn: list[int] = []
        while back >= 0 and self.sentences[back].source.speaker == other and len(turn) < 3:
            turn.insert(0, back)
            back -= 1
        return turn


def _merged(actions: list[tuple[ActionFind, DuePhrase | None]]
            ) -> list[tuple[ActionFind, DuePhrase | None]]:
    """One sentence, one piece of work: a weak ownerless clause ("fix expected by Monday")
    lends its due date to the action with owners beside it instead of standing alone."""
    strong = [(a, d) for a, d in actions if a.owners or a.confidence > 0.6]
    weak = [(a, d) for a, d in actions if (a, d) not in strong]
    if not strong or not weak:
        return actions
    spare = next((d for _, d in weak if d is not None), None)
    return [(a, d if d is not None else spare) for a, d in strong]


def _tidy(text: str) -> str:
    text = re.sub(r"^[\s,:;→>–—-]+|[\s;,]+$", "", text)
    return text[:1].upper() + text[1:]


def _table_rows(sentences: Sequence[Sentence]) -> dict[int, dict[str, str]]:
    rows: dict[int, dict[str, str]] = defaultdict(dict)
    for sentence in sentences:
        segment = sentence.segment
        if segment.row is not None and segment.column is not None:
            rows[segment.row][segment.column] = segment.text
    return rows


def _local_date(meeting_date: date | datetime, tz: tzinfo | str | None) -> date:
    if not isinstance(meeting_date, date):
        raise Invalid("must be a date", field="meeting_date")
    if not isinstance(meeting_date, datetime):
        return meeting_date
    if tz is None or meeting_date.tzinfo is None:
        return meeting_date.date()
    try:
        zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"unknown time zone {tz!r}", field="tz") from exc
    return meeting_date.astimezone(zone).date()


def _format(text: str, fmt: NotesFormat | str | None) -> NotesFormat:
    if fmt is None:
        return detect_format(text)
    try:
        return NotesFormat(str(fmt).lower())
    except ValueError as exc:
        allowed = ", ".join(f.value for f in NotesFormat)
        raise Invalid(f"unknown notes format {fmt!r}; use one of {allowed}", field="fmt") from exc


def _refs(items: Sequence[object], kind: type[Any], widths: tuple[int, ...]) -> list[Any]:
    """References given as dataclasses or as plain tuples ((id, name), (name, start, end)…)."""
    refs = []
    for item in items:
        if isinstance(item, kind):
            refs.append(item)
        elif isinstance(item, tuple | list) and len(item) in widths:
            values = list(item)
            if kind is PersonRef and len(values) == 3:
                values[2] = tuple(values[2])
            refs.append(kind(*values))
        else:
            raise Invalid(f"expected a {kind.__name__} or a tuple of {widths[0]}, got {item!r}",
                          field=kind.__name__)
    return refs


def _build(sentences: list[Sentence], found: list[_Findings], names: NameIndex,
           min_confidence: float) -> tuple[list[ActionProposal], list[DecisionProposal],
                                           list[RiskProposal], list[ImpedimentProposal]]:
    actions, decisions, risks, impediments = [], [], [], []
    for sentence, finding in zip(sentences, found, strict=True):
        source = sentence.source
        for action, due in finding.actions:
            if action.confidence >= min_confidence:
                owners = tuple(_resolved(o, names) for o in action.owners)
                actions.append(ActionProposal(action.text, owners, due.on if due else None,
                                              due.text if due else None, source,
                                              action.confidence))
        if finding.decision and finding.decision[1] >= min_confidence:
            decisions.append(DecisionProposal(finding.decision[0], source, finding.decision[1]))
        if finding.risk and finding.risk[1] >= min_confidence:
            risks.append(RiskProposal(finding.risk[0], source, finding.risk[1]))
        if finding.impediment and finding.impediment[1] >= min_confidence:
            impediments.append(ImpedimentProposal(finding.impediment[0], source,
                                                  finding.impediment[1]))
    return actions, decisions, risks, impediments


def _resolved(owner: Owner, names: NameIndex) -> Owner:
    return owner if owner.resolved else names.resolve(owner.text)


def parse_notes(text: str, *, meeting_date: date | datetime,
                fmt: NotesFormat | str | None = None,
                people: Sequence[PersonRef | tuple[Any, ...]] = (),
                teams: Sequence[TeamRef | tuple[Any, str]] = (),
                features: Sequence[FeatureRef | tuple[Any, str, str]] = (),
                iterations: Sequence[IterationRef | tuple[str, date, date]] = (),
                milestones: Sequence[MilestoneRef | tuple[str, date]] = (),
                tz: tzinfo | str | None = None,
                embedder: Embedder | None = None,
                summary: SummaryOptions | None = None,
                min_confidence: float = 0.5) -> NotesAnalysis:
    """Summary, decisions, action items, risks, impediments and mentions of meeting notes.

    `fmt` is "plain", "markdown", "vtt" or "transcript" (detected when None). Dates in the
    notes are read relative to `meeting_date` (a datetime is first moved to `tz`). People,
    teams, features, iterations and milestones may be given as the Ref dataclasses or as
    tuples: (id, name[, aliases]), (id, name), (id, key, title), (name, start, end),
    (name, date). `embedder` (texts -> vectors) replaces TF-IDF in the summary ranker.
    """
    if not isinstance(text, str):
        raise Invalid("notes must be text", field="text")
    day = _local_date(meeting_date, tz)
    notes_format = _format(text, fmt)
    team_refs = _refs(teams, TeamRef, (2,))
    feature_refs = _refs(features, FeatureRef, (3,))
    sentences = split_sentences(parse_segments(text, notes_format))
    names = NameIndex(_refs(people, PersonRef, (2, 3)), team_refs)
    calendar = Calendar(day, tuple(_refs(iterations, IterationRef, (3,))),
                        tuple(_refs(milestones, MilestoneRef, (2,))))
    found = _Analyser(sentences, names, calendar, _table_rows(sentences)).findings()
    actions, decisions, risks, impediments = _build(sentences, found, names, min_confidence)
    boosts = [0.5 if finding.any else 0.0 for finding in found]
    ranked = rank_sentences([s.text for s in sentences], options=summary or SummaryOptions(),
                            boosts=boosts, embedder=embedder)
    team_mentions, feature_mentions = find_mentions(sentences, names, feature_refs)
    speakers = tuple(dict.fromkeys(s.source.speaker for s in sentences if s.source.speaker))
    return NotesAnalysis(
        format=notes_format, meeting_date=day, sentences=tuple(s.source for s in sentences),
        summary=tuple(SummaryPoint(sentences[i].text, sentences[i].source, score)
                      for i, score in ranked),
        decisions=tuple(decisions), actions=tuple(actions), risks=tuple(risks),
        impediments=tuple(impediments), teams=tuple(team_mentions),
        features=tuple(feature_mentions), speakers=speakers)
