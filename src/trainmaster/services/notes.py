"""Meeting notes → proposals to confirm: the ART's people, teams and features resolve names.

`analyse_notes` keeps the notes on the meeting, runs `intelligence.notes.parse_notes` and
stores each proposed decision, action item, risk and impediment with its sentence. Nothing
else is created until someone confirms a proposal (`confirm_outcome`, possibly edited);
`reject_outcome` keeps the rejection on record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.event import EventKind
from trainmaster.domain.meeting import (
    MEETING_TITLES,
    Meeting,
    MeetingOutcome,
    OutcomeKind,
    OutcomeStatus,
)
from trainmaster.intelligence.notes import (
    FeatureRef,
    IterationRef,
    MilestoneRef,
    NotesAnalysis,
    PersonRef,
    Source,
    TeamRef,
    parse_notes,
)
from trainmaster.services.syncs import art_people, realize_outcome
from trainmaster.services.unit_of_work import UnitOfWork

MAX_NOTES = 200_000
MILESTONE_KINDS = (EventKind.SYSTEM_DEMO, EventKind.PI_SYSTEM_DEMO, EventKind.PI_PLANNING,
                   EventKind.INSPECT_ADAPT, EventKind.MILESTONE)


@dataclass(frozen=True)
class NotesContext:
    """What names and dates in notes resolve against."""

    people: list[PersonRef]
    teams: list[TeamRef]
    features: list[FeatureRef]
    iterations: list[IterationRef]
    milestones: list[MilestoneRef]
    timezone: str


@dataclass(frozen=True)
class NotesSegment:
    """A piece of the notes as given: a sentence (with its index) or the text between."""

    text: str
    sentence: int | None


def notes_context(uow: UnitOfWork, art_id: int, pi_id: int | None) -> NotesContext:
    """Call inside `with uow:`."""
    art = uow.arts.get(art_id)
    people = [PersonRef(p.id or 0, p.name) for p in art_people(uow, art_id)]
    teams = [TeamRef(t.id or 0, t.name) for t in uow.teams.find(art_id=art_id)]
    filters: dict[str, Any] = {"art_id": art_id, "level": "feature"}
    if pi_id:
        filters["pi_id"] = pi_id
    features = [FeatureRef(f.id or 0, f.key, f.title) for f in uow.items.find(**filters)]
    iterations = [IterationRef(i.name, i.start_date, i.end_date)
                  for i in uow.iterations.find(pi_id=pi_id, order_by="index")] if pi_id else []
    events = uow.events.find(art_id=art_id, kind=[k.value for k in MILESTONE_KINDS],
                             order_by="start")
    zone = ZoneInfo(art.timezone)
    milestones = [MilestoneRef(e.title if e.kind is EventKind.MILESTONE else MEETING_TITLES[e.kind],
                               e.start.astimezone(zone).date()) for e in events]
    return NotesContext(people, teams, features, iterations, milestones, art.timezone)


def analyse(text: str, meeting_date: date, ctx: NotesContext | None,
            fmt: str | None = None) -> NotesAnalysis:
    if len(text) > MAX_NOTES:
        raise Invalid(f"notes are limited to {MAX_NOTES} characters", field="text")
    if not text.strip():
        raise Invalid("paste or upload the notes first", field="text")
    if ctx is None:
        return parse_notes(text, meeting_date=meeting_date, fmt=fmt or None)
    return parse_notes(text, meeting_date=meeting_date, fmt=fmt or None, people=ctx.people,
                       teams=ctx.teams, features=ctx.features, iterations=ctx.iterations,
                       milestones=ctx.milestones, tz=ctx.timezone)


def parse_notes_for(uow: UnitOfWork, actor: Actor, text: str, *, meeting_date: date,
                    art_id: int | None = None, fmt: str | None = None) -> NotesAnalysis:
    """Analyse notes without storing anything (the names of `art_id` resolve owners)."""
    ctx = None
    if art_id is not None:
        actor.require(Permission.VIEW, art_id)
        with uow:
            pi = next((p for p in uow.pis.find(art_id=art_id, order_by="start_date")
                       if p.start_date <= meeting_date <= p.end_date), None)
            ctx = notes_context(uow, art_id, pi.id if pi else None)
    return analyse(text, meeting_date, ctx, fmt)


def analyse_notes(uow: UnitOfWork, actor: Actor, meeting_id: int, text: str, *,
                  fmt: str | None = None, at: datetime) -> Meeting:
    """Keep the notes on the meeting and replace its pending proposals with new ones."""
    with uow:
        meeting = uow.meetings.get(meeting_id)
        actor.require(Permission.RUN_EVENTS, meeting.art_id)
        analysis = analyse(text, meeting.held_on,
                           notes_context(uow, meeting.art_id, meeting.pi_id), fmt)
        for old in uow.outcomes.find(meeting_id=meeting_id,
                                     status=OutcomeStatus.PROPOSED.value):
            uow.outcomes.remove(old)
        meeting.notes, meeting.notes_format = text, analysis.format.value
        meeting.analysis = analysis_record(analysis)
        for outcome in proposals(analysis, meeting_id, at):
            uow.outcomes.add(outcome)
        uow.commit()
        return meeting


def _outcome(meeting_id: int, kind: OutcomeKind, text: str, source: Source,
             confidence: float, at: datetime, **extra: Any) -> MeetingOutcome:
    return MeetingOutcome(
        meeting_id=meeting_id, kind=kind, text=text[:200], status=OutcomeStatus.PROPOSED,
        from_notes=True, sentence=source.sentence, sentence_index=source.index,
        span_start=source.start, span_end=source.end, speaker=source.speaker,
        confidence=round(confidence, 3), created_at=at, **extra)


def proposals(analysis: NotesAnalysis, meeting_id: int, at: datetime) -> list[MeetingOutcome]:
    """One proposed outcome per decision, action item, risk and impediment found."""
    out = [_outcome(meeting_id, OutcomeKind.DECISION, d.text, d.source, d.confidence, at)
           for d in analysis.decisions]
    for a in analysis.actions:
        owner = a.owners[0] if a.owners else None
        out.append(_outcome(
            meeting_id, OutcomeKind.ACTION, a.text, a.source, a.confidence, at,
            owner_id=_int(owner.person_id) if owner else None,
            team_id=_int(owner.team_id) if owner else None,
            owner_text=", ".join(o.text for o in a.owners)[:200], due=a.due))
    out += [_outcome(meeting_id, OutcomeKind.RISK, r.text, r.source, r.confidence, at)
            for r in analysis.risks]
    teams = _team_by_sentence(analysis)
    out += [_outcome(meeting_id, OutcomeKind.IMPEDIMENT, i.text, i.source, i.confidence, at,
                     team_id=teams.get(i.source.index)) for i in analysis.impediments]
    return sorted(out, key=lambda o: (o.sentence_index or 0, o.kind.value))


def _team_by_sentence(analysis: NotesAnalysis) -> dict[int, int]:
    """The first team named in each sentence: the team an impediment there stalls."""
    out: dict[int, int] = {}
    for mention in analysis.teams:
        ref = _int(mention.ref_id)
        if ref is not None:
            out.setdefault(mention.source.index, ref)
    return out


def _int(ref: object) -> int | None:
    return ref if isinstance(ref, int) else None


def analysis_record(analysis: NotesAnalysis) -> dict[str, Any]:
    """What the page needs to show again later: sentence spans, summary and mentions."""
    return {
        "format": analysis.format.value,
        "sentences": [[s.start, s.end, s.speaker, s.timestamp] for s in analysis.sentences],
        "summary": [{"text": p.text, "sentence": p.source.index} for p in analysis.summary],
        "teams": [{"id": m.ref_id, "text": m.text, "sentence": m.source.index}
                  for m in analysis.teams],
        "features": [{"id": m.ref_id, "text": m.text, "sentence": m.source.index}
                     for m in analysis.features],
        "speakers": list(analysis.speakers),
    }


def notes_segments(meeting: Meeting) -> list[NotesSegment]:
    """The notes cut at the analysed sentences, so each sentence can be highlighted."""
    text, out, position = meeting.notes, [], 0
    for index, (start, end, *_rest) in enumerate(meeting.analysis.get("sentences", [])):
        if start < position or end > len(text):
            continue
        if start > position:
            out.append(NotesSegment(text[position:start], None))
        out.append(NotesSegment(text[start:end], index))
        position = end
    if position < len(text):
        out.append(NotesSegment(text[position:], None))
    return out


def _proposal(uow: UnitOfWork, actor: Actor, outcome_id: int) -> tuple[Meeting, MeetingOutcome]:
    outcome = uow.lock(MeetingOutcome, outcome_id)
    meeting = uow.meetings.get(outcome.meeting_id)
    actor.require(Permission.RUN_EVENTS, meeting.art_id)
    return meeting, outcome


EDITABLE = ("text", "owner_id", "due", "team_id")


def confirm_outcome(uow: UnitOfWork, actor: Actor, outcome_id: int, *, at: datetime,
                    **edits: Any) -> MeetingOutcome:
    """Accept a proposal; `edits` (text, owner_id, due, team_id) replace proposed values."""
    unknown = sorted(set(edits) - set(EDITABLE))
    if unknown:
        raise Invalid(f"cannot edit {', '.join(unknown)}", field=unknown[0])
    with uow:
        meeting, outcome = _proposal(uow, actor, outcome_id)
        values = {name: getattr(outcome, name) for name in EDITABLE} | edits
        outcome.confirm(**values, by_user_id=actor.user_id)
        realize_outcome(uow, actor, meeting, outcome, at=at)
        uow.commit()
        return outcome


def reject_outcome(uow: UnitOfWork, actor: Actor, outcome_id: int) -> MeetingOutcome:
    with uow:
        _, outcome = _proposal(uow, actor, outcome_id)
        outcome.reject(by_user_id=actor.user_id)
        uow.commit()
        return outcome


def meeting_of(uow: UnitOfWork, actor: Actor, meeting_id: int) -> Meeting:
    with uow:
        meeting = uow.meetings.first(id=meeting_id)
        if meeting is None:
            raise NotFound(f"meeting {meeting_id} does not exist")
        actor.require(Permission.VIEW, meeting.art_id)
        return meeting
