"""Tables of dependency suggestions: finder runs and the pairs they proposed."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Integer, String, Table

from trainmaster.domain.suggestion import DependencySuggestion, SuggestionRun, SuggestionStatus
from trainmaster.storage.tables import fk_column, id_column, metadata
from trainmaster.storage.types import UtcDateTime, enum_column, json_list

suggestion_runs = Table(
    "suggestion_runs", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("started_at", UtcDateTime(), nullable=False),
    # a PI's removal keeps the run (and its decisions) for the ART
    fk_column("pi_id", "pis.id", nullable=True, cascade=False),
    Column("finished_at", UtcDateTime()),
    Column("items", Integer, nullable=False),
    Column("proposed", Integer, nullable=False),
    Column("model_id", String(100), nullable=False),
    fk_column("by_user_id", "users.id", nullable=True, cascade=False),
)

dependency_suggestions = Table(
    "dependency_suggestions", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    fk_column("consumer_id", "work_items.id"),
    fk_column("provider_id", "work_items.id"),
    Column("score", Float, nullable=False),
    Column("reasons", json_list(), nullable=False),
    Column("direction_known", Boolean, nullable=False),
    fk_column("pi_id", "pis.id", nullable=True, cascade=False),
    fk_column("run_id", "suggestion_runs.id", nullable=True, cascade=False),
    Column("status", enum_column(SuggestionStatus), nullable=False, index=True),
    Column("created_at", UtcDateTime()),
    Column("decided_at", UtcDateTime()),
    fk_column("decided_by", "users.id", nullable=True, cascade=False),
    fk_column("dependency_id", "dependencies.id", nullable=True, cascade=False),
)

MAPPED: dict[type, Table] = {
    SuggestionRun: suggestion_runs, DependencySuggestion: dependency_suggestions,
}
