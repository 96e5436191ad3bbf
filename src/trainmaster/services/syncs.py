"""ART Sync: the facts it starts from, and its record (team reports, scope, outcomes).

`sync_facts` gathers what the RTE should look at this week from live data: late
dependencies, overloaded iterations (load vs capacity, analytics/capacity.py), overdue
action items, unroamed risks, open impediments and each team's progress against its PI
objectives. `start_sync` opens the record of one sync, pre-filling each team's report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.action import ActionItem
from trainmaster.domain.art import Art, Person, Team
from trainmaster.domain.calendar import local_date
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.domain.event import EventKind
from trainmaster.domain.meeting import (
    Meeting,
    MeetingOutcome,
    OutcomeKind,
    OutcomeStatus,
    ScopeChange,
    ScopeChangeKind,
    TeamReport,
    TeamStatus,
    meeting_source,
)
from trainmaster.domain.pi import Pi
from trainmaster.domain.risk import Risk
from trainmaster.domain.work_item import WorkItem
from trainmaster.services import impediments as impediment_service
from trainmaster.services.actions import ActionView, check_owner, view_actions
from trainmaster.services.overview import current_pi
from trainmaster.services.sync_facts import SyncFacts, TeamProgress, gather_facts
from trainmaster.services.unit_of_work import UnitOfWork

__all__ = ["SyncFacts", "TeamProgress", "sync_facts", "start_sync", "sync_record",
           "list_syncs", "update_team_report", "add_scope_change", "record_outcome",
           "realize_outcome", "SyncRecord", "list_people", "art_people",
           "find_person", "find_team"]


@dataclass(frozen=True)
class SyncRecord:
    meeting: Meeting
    art: Art
    pi: Pi | None
    reports: list[tuple[TeamReport, Team]]
    scope_changes: list[tuple[ScopeChange, WorkItem | None]]
    outcomes: list[MeetingOutcome]
    actions: list[ActionView]
    facts: SyncFacts | None
    people: list[Person]
    teams: list[Team]
    features: list[WorkItem]
    owners: dict[int, Person] = field(default_factory=dict)

    def of_kind(self, kind: str, status: str = OutcomeStatus.CONFIRMED.value
                ) -> list[MeetingOutcome]:
        return [o for o in self.outcomes if o.kind.value == kind and o.status.value == status]

    @property
    def proposals(self) -> list[MeetingOutcome]:
        return [o for o in self.outcomes if o.status is OutcomeStatus.PROPOSED]


def sync_facts(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime,
               on: date | None = None) -> SyncFacts:
    """What the ART Sync should look at on day `on` (today in the ART's zone by default)."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        return gather_facts(uow, actor, uow.arts.get(art_id), at=at, on=on)


def _pi_on(uow: UnitOfWork, art_id: int, day: date) -> Pi | None:
    return current_pi(uow.pis.find(art_id=art_id, order_by="start_date"), day)


def start_sync(uow: UnitOfWork, actor: Actor, art_id: int, *, at: datetime,
               kind: EventKind = EventKind.ART_SYNC, held_on: date | None = None,
               title: str = "") -> Meeting:
    """Open the record of a sync (or return the one already held that day), pre-filled."""
    actor.require(Permission.RUN_EVENTS, art_id)
    with uow:
        art = uow.arts.get(art_id)
        day = held_on or local_date(at, art.timezone)
        meeting = Meeting(art_id=art_id, kind=kind, held_on=day, title=title,
                          created_at=at, created_by=actor.user_id)
        if not meeting.is_sync:
            raise Invalid("a sync is an ART Sync, Coach Sync or PO Sync", field="kind")
        found = uow.meetings.first(art_id=art_id, kind=meeting.kind.value, held_on=day)
        if found is not None:
            return found
        pi = _pi_on(uow, art_id, day)
        meeting.pi_id = pi.id if pi else None
        meeting.event_id = _event_for(uow, meeting)
        uow.meetings.add(meeting)
        facts = gather_facts(uow, actor, art, at=at, on=day)
        for progress in facts.teams:
            uow.team_reports.add(progress.report(meeting.id or 0))
        uow.commit()
        return meeting


def _event_for(uow: UnitOfWork, meeting: Meeting) -> int | None:
    kinds = [EventKind.COACH_SYNC.value, EventKind.PO_SYNC.value, EventKind.ART_SYNC.value]
    wanted = kinds if meeting.kind is EventKind.ART_SYNC else [meeting.kind.value]
    event = uow.events.first(art_id=meeting.art_id, pi_id=meeting.pi_id, kind=wanted)
    return event.id if event else None


def list_syncs(uow: UnitOfWork, actor: Actor, art_id: int) -> list[Meeting]:
    actor.require(Permission.VIEW, art_id)
    with uow:
        found = uow.meetings.find(art_id=art_id, order_by="held_on")
    return [m for m in reversed(found) if m.is_sync]


def sync_record(uow: UnitOfWork, actor: Actor, meeting_id: int, *, at: datetime,
                with_facts: bool = True) -> SyncRecord:
    with uow:
        meeting = uow.meetings.get(meeting_id)
        actor.require(Permission.VIEW, meeting.art_id)
        art = uow.arts.get(meeting.art_id)
        teams = uow.teams.find(art_id=art.id, order_by="name")
        by_team = {t.id: t for t in teams}
        reports = [(r, by_team[r.team_id]) for r in uow.team_reports.find(meeting_id=meeting_id)
                   if r.team_id in by_team]
        features = (uow.items.find(pi_id=meeting.pi_id, level="feature", order_by="key")
                    if meeting.pi_id else [])
        items = {f.id: f for f in features}
        changes = [(c, items.get(c.item_id) or (uow.items.get(c.item_id) if c.item_id else None))
                   for c in uow.scope_changes.find(meeting_id=meeting_id)]
        outcomes = uow.outcomes.find(meeting_id=meeting_id)
        actions = view_actions(uow, uow.actions.find(id=[o.target_id for o in outcomes
                               if o.kind is OutcomeKind.ACTION and o.target_id]), at)
        people = art_people(uow, art.id or 0)
        facts = (gather_facts(uow, actor, art, at=at, on=meeting.held_on)
                 if with_facts else None)
        return SyncRecord(
            meeting=meeting, art=art, pi=uow.pis.get(meeting.pi_id) if meeting.pi_id else None,
            reports=sorted(reports, key=lambda rt: rt[1].name), scope_changes=changes,
            outcomes=outcomes, actions=actions, facts=facts, people=people, teams=teams,
            features=features, owners={p.id or 0: p for p in people})


def list_people(uow: UnitOfWork, actor: Actor, art_id: int) -> list[Person]:
    """People of the ART, by name (owners to choose from)."""
    actor.require(Permission.VIEW, art_id)
    with uow:
        return art_people(uow, art_id)


def find_person(uow: UnitOfWork, actor: Actor, art_id: int, ref: str) -> Person:
    """A person of the ART by id or by (part of) the name; an ambiguous name is refused."""
    people = list_people(uow, actor, art_id)
    if ref.strip().isdigit():
        found = [p for p in people if p.id == int(ref)]
    else:
        found = [p for p in people if ref.strip().lower() in p.name.lower()]
    if not found:
        raise NotFound(f"nobody called {ref!r} on this ART")
    if len(found) > 1:
        raise Invalid(f"{ref!r} could be {', '.join(p.name for p in found[:5])}", field="owner")
    return found[0]


def find_team(uow: UnitOfWork, actor: Actor, art_id: int, name: str) -> Team:
    actor.require(Permission.VIEW, art_id)
    with uow:
        teams = uow.teams.find(art_id=art_id)
    found = next((t for t in teams if t.name.lower() == name.strip().lower()), None)
    if found is None:
        raise NotFound(f"no team {name!r} on this ART")
    return found


def art_people(uow: UnitOfWork, art_id: int) -> list[Person]:
    """People of the ART: team members, owners of its items and users with roles on it."""
    team_ids = [t.id for t in uow.teams.find(art_id=art_id)]
    ids = {m.person_id for m in uow.memberships.find(team_id=team_ids)} if team_ids else set()
    for repo in (uow.actions, uow.risks, uow.impediments):
        ids |= {x.owner_id for x in repo.find(art_id=art_id) if x.owner_id}
    grants = {g.user_id for g in uow.role_grants.find(art_id=art_id)}
    if grants:
        ids |= {u.person_id for u in uow.users.find(id=sorted(grants)) if u.person_id}
    return uow.people.find(id=sorted(ids), order_by="name") if ids else []


def _meeting_for_edit(uow: UnitOfWork, actor: Actor, meeting_id: int) -> Meeting:
    meeting = uow.meetings.get(meeting_id)
    actor.require(Permission.RUN_EVENTS, meeting.art_id)
    return meeting


def update_team_report(uow: UnitOfWork, actor: Actor, meeting_id: int, team_id: int, *,
                       status: TeamStatus | None = None, progress: int | None = None,
                       note: str | None = None, needs: str | None = None) -> TeamReport:
    with uow:
        meeting = _meeting_for_edit(uow, actor, meeting_id)
        if uow.teams.get(team_id).art_id != meeting.art_id:
            raise Invalid("the team belongs to another ART", field="team_id")
        report = uow.team_reports.first(meeting_id=meeting_id, team_id=team_id)
        if report is None:
            report = uow.team_reports.add(TeamReport(meeting_id=meeting_id, team_id=team_id))
        candidate = TeamReport(meeting_id, team_id,
                               status=status if status is not None else report.status,
                               progress=progress if progress is not None else report.progress,
                               note=note if note is not None else report.note,
                               needs=needs if needs is not None else report.needs)
        report.status, report.progress = candidate.status, candidate.progress
        report.note, report.needs = candidate.note.strip(), candidate.needs.strip()
        uow.commit()
        return report


def add_scope_change(uow: UnitOfWork, actor: Actor, meeting_id: int, kind: ScopeChangeKind,
                     description: str, *, item_id: int | None = None) -> ScopeChange:
    """A PO Sync change of scope or priority."""
    with uow:
        meeting = _meeting_for_edit(uow, actor, meeting_id)
        if item_id is not None and uow.items.get(item_id).art_id != meeting.art_id:
            raise Invalid("the item belongs to another ART", field="item_id")
        change = uow.scope_changes.add(ScopeChange(meeting_id, kind, description, item_id))
        uow.commit()
        return change


def record_outcome(uow: UnitOfWork, actor: Actor, meeting_id: int, kind: OutcomeKind,
                   text: str, *, owner_id: int | None = None, due: date | None = None,
                   team_id: int | None = None, at: datetime) -> MeetingOutcome:
    """Record a decision, or create an action item / risk / impediment from the meeting."""
    with uow:
        meeting = _meeting_for_edit(uow, actor, meeting_id)
        outcome = uow.outcomes.add(MeetingOutcome(
            meeting_id=meeting_id, kind=kind, text=text, owner_id=owner_id, due=due,
            team_id=team_id, created_at=at, decided_by=actor.user_id))
        realize_outcome(uow, actor, meeting, outcome, at=at)
        uow.commit()
        return outcome


def realize_outcome(uow: UnitOfWork, actor: Actor, meeting: Meeting, outcome: MeetingOutcome,
                    *, at: datetime) -> None:
    """Create the action item, risk or impediment of a confirmed outcome (inside `with uow`)."""
    check_owner(uow, outcome.owner_id)
    if outcome.team_id is not None and uow.teams.get(outcome.team_id).art_id != meeting.art_id:
        raise Invalid("the team belongs to another ART", field="team_id")
    source = meeting_source(meeting.id)
    if outcome.kind is OutcomeKind.ACTION:
        action = uow.actions.add(ActionItem(art_id=meeting.art_id, title=outcome.text,
                                            owner_id=outcome.owner_id, due=outcome.due,
                                            source=source, created_at=at))
        outcome.target_id = action.id
    elif outcome.kind is OutcomeKind.RISK:
        risk = uow.risks.add(Risk(art_id=meeting.art_id, title=outcome.text,
                                  description=_provenance(meeting, outcome),
                                  pi_id=meeting.pi_id, owner_id=outcome.owner_id,
                                  due=outcome.due, created_at=at))
        outcome.target_id = risk.id
    elif outcome.kind is OutcomeKind.IMPEDIMENT:
        impediment = impediment_service.raise_impediment(
            uow, actor, meeting.art_id, outcome.text,
            description=_provenance(meeting, outcome), team_id=outcome.team_id,
            pi_id=meeting.pi_id, owner_id=outcome.owner_id, at=at)
        outcome.target_id = impediment.id


def _provenance(meeting: Meeting, outcome: MeetingOutcome) -> str:
    said = f': "{outcome.sentence}"' if outcome.sentence else ""
    return f"Raised in {meeting.title} ({meeting_source(meeting.id)}){said}"

