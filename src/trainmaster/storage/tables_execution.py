"""Tables of running the train: meeting records, calendar feeds, Inspect & Adapt workshops."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Float, Integer, String, Table, Text, UniqueConstraint

from trainmaster.domain.calendar import CalendarFeed
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
)
from trainmaster.domain.work_item import WorkType
from trainmaster.domain.workshop import (
    Cause,
    CauseCategory,
    Problem,
    ProblemStage,
    Solution,
    Workshop,
)
from trainmaster.storage.tables import fk_column, id_column, metadata
from trainmaster.storage.types import UtcDateTime, enum_column, json_dict, json_list

meetings = Table(
    "meetings", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("kind", enum_column(EventKind), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("title", String(200), nullable=False),
    fk_column("pi_id", "pis.id", nullable=True, cascade=False),
    fk_column("event_id", "events.id", nullable=True, cascade=False),
    Column("notes", Text, nullable=False),
    Column("notes_format", String(20), nullable=False),
    Column("analysis", json_dict(), nullable=False),
    Column("created_at", UtcDateTime()),
    fk_column("created_by", "users.id", nullable=True, cascade=False),
    UniqueConstraint("art_id", "kind", "held_on", name="uq_meetings_art_kind_day"),
)

team_reports = Table(
    "team_reports", metadata, id_column(),
    fk_column("meeting_id", "meetings.id"),
    fk_column("team_id", "teams.id"),
    Column("status", enum_column(TeamStatus), nullable=False),
    Column("progress", Integer),
    Column("note", Text, nullable=False),
    Column("needs", Text, nullable=False),
    UniqueConstraint("meeting_id", "team_id", name="uq_team_reports_meeting_team"),
)

scope_changes = Table(
    "scope_changes", metadata, id_column(),
    fk_column("meeting_id", "meetings.id"),
    Column("kind", enum_column(ScopeChangeKind), nullable=False),
    Column("description", Text, nullable=False),
    fk_column("item_id", "work_items.id", nullable=True, cascade=False),
)

meeting_outcomes = Table(
    "meeting_outcomes", metadata, id_column(),
    fk_column("meeting_id", "meetings.id"),
    Column("kind", enum_column(OutcomeKind), nullable=False),
    Column("text", String(200), nullable=False),
    Column("status", enum_column(OutcomeStatus), nullable=False),
    fk_column("owner_id", "people.id", nullable=True, cascade=False),
    Column("owner_text", String(200), nullable=False),
    fk_column("team_id", "teams.id", nullable=True, cascade=False),
    Column("due", Date),
    Column("target_id", Integer),
    Column("from_notes", Boolean, nullable=False),
    Column("edited", Boolean, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("sentence_index", Integer),
    Column("span_start", Integer),
    Column("span_end", Integer),
    Column("speaker", String(200)),
    Column("confidence", Float),
    Column("created_at", UtcDateTime()),
    fk_column("decided_by", "users.id", nullable=True, cascade=False),
)

calendar_feeds = Table(
    "calendar_feeds", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("token", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime(), nullable=False),
    UniqueConstraint("art_id", name="uq_calendar_feeds_art"),
)

workshops = Table(
    "workshops", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    fk_column("pi_id", "pis.id"),
    Column("demo_notes", Text, nullable=False),
    Column("demo_feature_ids", json_list(), nullable=False),
    Column("review", json_dict(), nullable=False),
    Column("retro_well", json_list(), nullable=False),
    Column("retro_improve", json_list(), nullable=False),
    Column("created_at", UtcDateTime()),
    UniqueConstraint("pi_id", name="uq_workshops_pi"),
)

workshop_problems = Table(
    "workshop_problems", metadata, id_column(),
    fk_column("workshop_id", "workshops.id"),
    Column("statement", String(200), nullable=False),
    Column("stage", enum_column(ProblemStage), nullable=False),
    Column("restated", String(200), nullable=False),
)

workshop_causes = Table(
    "workshop_causes", metadata, id_column(),
    fk_column("problem_id", "workshop_problems.id"),
    Column("category", enum_column(CauseCategory), nullable=False),
    Column("text", String(200), nullable=False),
    Column("whys", json_list(), nullable=False),
    Column("votes", Integer, nullable=False),
)

workshop_solutions = Table(
    "workshop_solutions", metadata, id_column(),
    fk_column("problem_id", "workshop_problems.id"),
    Column("text", String(200), nullable=False),
    Column("work_type", enum_column(WorkType), nullable=False),
    fk_column("item_id", "work_items.id", nullable=True, cascade=False),
)

MAPPED: dict[type, Table] = {
    Meeting: meetings, TeamReport: team_reports, ScopeChange: scope_changes,
    MeetingOutcome: meeting_outcomes, CalendarFeed: calendar_feeds, Workshop: workshops,
    Problem: workshop_problems, Cause: workshop_causes, Solution: workshop_solutions,
}
