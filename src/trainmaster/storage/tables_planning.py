"""Tables of PI Planning: agenda, confidence vote, baseline, publications, WIP overrides."""

from __future__ import annotations

from sqlalchemy import Column, Float, Integer, String, Table, Text, UniqueConstraint

from trainmaster.domain.baseline import Baseline
from trainmaster.domain.kanban import WipOverride
from trainmaster.domain.planning import AgendaItem, ObjectivesPublication
from trainmaster.domain.vote import RoundStatus, Vote, VoteRound
from trainmaster.storage.tables import fk_column, id_column, metadata
from trainmaster.storage.types import UtcDateTime, enum_column, json_dict

agenda_items = Table(
    "agenda_items", metadata, id_column(),
    fk_column("pi_id", "pis.id"),
    Column("position", Integer, nullable=False),
    Column("day", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("start", UtcDateTime(), nullable=False),
    Column("end", UtcDateTime(), nullable=False),
    Column("revision", Integer, nullable=False),
    UniqueConstraint("pi_id", "position", name="uq_agenda_items_pi_position"),
)

vote_rounds = Table(
    "vote_rounds", metadata, id_column(),
    fk_column("pi_id", "pis.id"),
    Column("number", Integer, nullable=False),
    Column("opened_at", UtcDateTime(), nullable=False),
    fk_column("opened_by", "users.id", nullable=True, cascade=False),
    Column("status", enum_column(RoundStatus), nullable=False),
    Column("closed_at", UtcDateTime()),
    fk_column("closed_by", "users.id", nullable=True, cascade=False),
    Column("art_mean", Float),
    UniqueConstraint("pi_id", "number", name="uq_vote_rounds_pi_number"),
)

votes = Table(
    "votes", metadata, id_column(),
    fk_column("round_id", "vote_rounds.id"),
    fk_column("voter_id", "users.id"),
    Column("scope", String(32), nullable=False),
    Column("value", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    fk_column("team_id", "teams.id", nullable=True),
    Column("at", UtcDateTime()),
    # one vote per attendee per scope per round: a re-vote replaces, never duplicates
    UniqueConstraint("round_id", "voter_id", "scope", name="uq_votes_round_voter_scope"),
)

baselines = Table(
    "baselines", metadata, id_column(),
    fk_column("pi_id", "pis.id"),
    Column("taken_at", UtcDateTime(), nullable=False),
    Column("snapshot", json_dict(), nullable=False),
    fk_column("round_id", "vote_rounds.id", nullable=True, cascade=False),
    fk_column("by_user_id", "users.id", nullable=True, cascade=False),
    UniqueConstraint("pi_id", name="uq_baselines_pi"),
)

objective_publications = Table(
    "objective_publications", metadata, id_column(),
    fk_column("pi_id", "pis.id"),
    Column("published_at", UtcDateTime(), nullable=False),
    Column("teams", Integer, nullable=False),
    Column("committed", Integer, nullable=False),
    Column("uncommitted", Integer, nullable=False),
    Column("planned_bv", Integer, nullable=False),
    fk_column("by_user_id", "users.id", nullable=True, cascade=False),
)

wip_overrides = Table(
    "wip_overrides", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    fk_column("item_id", "work_items.id"),
    Column("from_status", String(64), nullable=False),
    Column("to_status", String(64), nullable=False),
    Column("limit", Integer, nullable=False),
    Column("count_before", Integer, nullable=False),
    Column("at", UtcDateTime(), nullable=False),
    fk_column("by_user_id", "users.id", nullable=True, cascade=False),
    Column("reason", Text, nullable=False),
)

MAPPED: dict[type, Table] = {
    AgendaItem: agenda_items, VoteRound: vote_rounds, Vote: votes, Baseline: baselines,
    ObjectivesPublication: objective_publications, WipOverride: wip_overrides,
}
