"""Tables of what the train learns: stored models, triage suggestions, risk forecasts."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from trainmaster.domain.learning import (
    DecisionStatus,
    ForecastStatus,
    ModelKind,
    RetrainSchedule,
    RiskForecast,
    RiskSubject,
    StoredModel,
    TriageSuggestion,
)
from trainmaster.storage.tables import fk_column, id_column, metadata
from trainmaster.storage.types import UtcDateTime, enum_column, json_dict, json_list

stored_models = Table(
    "stored_models", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("kind", enum_column(ModelKind), nullable=False),
    Column("version", Integer, nullable=False),
    Column("trained_at", UtcDateTime(), nullable=False),
    Column("blob", LargeBinary, nullable=False),
    Column("metrics", json_dict(), nullable=False),
    Column("trained_on", Integer, nullable=False),
    fk_column("by_user_id", "users.id", nullable=True, cascade=False),
    UniqueConstraint("art_id", "kind", "version", name="uq_stored_models_art_kind_version"),
)

triage_suggestions = Table(
    "triage_suggestions", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    fk_column("item_id", "work_items.id"),
    Column("field", String(32), nullable=False),
    Column("value", String(200), nullable=False),
    Column("confidence", Float, nullable=False),
    Column("reasons", json_list(), nullable=False),
    Column("current", String(200)),
    Column("kind", String(20), nullable=False),
    Column("low", Float),
    Column("high", Float),
    Column("model_version", Integer, nullable=False),
    Column("status", enum_column(DecisionStatus), nullable=False, index=True),
    Column("created_at", UtcDateTime()),
    Column("decided_at", UtcDateTime()),
    fk_column("decided_by", "users.id", nullable=True, cascade=False),
    Column("decided_value", String(200)),
)

risk_forecasts = Table(
    "risk_forecasts", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    fk_column("pi_id", "pis.id"),
    Column("subject", enum_column(RiskSubject), nullable=False),
    Column("subject_id", Integer, nullable=False),
    Column("label", Text, nullable=False),
    Column("probability", Float, nullable=False),
    Column("base_rate", Float, nullable=False),
    Column("factors", json_list(), nullable=False),
    fk_column("team_id", "teams.id", nullable=True, cascade=False),
    Column("model_version", Integer, nullable=False),
    Column("taken_at", UtcDateTime()),
    Column("status", enum_column(ForecastStatus), nullable=False, index=True),
    fk_column("risk_id", "risks.id", nullable=True, cascade=False),
    fk_column("decided_by", "users.id", nullable=True, cascade=False),
)

retrain_schedules = Table(
    "retrain_schedules", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("kind", enum_column(ModelKind), nullable=False),
    Column("every_hours", Integer, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("last_queued_at", UtcDateTime()),
    UniqueConstraint("art_id", "kind", name="uq_retrain_schedules_art_kind"),
)

MAPPED: dict[type, Table] = {
    StoredModel: stored_models, TriageSuggestion: triage_suggestions,
    RiskForecast: risk_forecasts, RetrainSchedule: retrain_schedules,
}
