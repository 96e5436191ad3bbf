"""Tables of the tracker integration: sync sources, external items, import runs."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint

from trainmaster.domain.sync import ExternalItem, ImportRun, SyncSource
from trainmaster.storage.tables import fk_column, id_column, metadata
from trainmaster.storage.types import UtcDateTime, json_dict

sync_sources = Table(
    "sync_sources", metadata, id_column(),
    fk_column("art_id", "arts.id"),
    Column("kind", String(20), nullable=False),
    Column("location", String(500), nullable=False),
    Column("scope", Text, nullable=False),
    Column("scope_key", String(64), nullable=False),
    Column("created_at", UtcDateTime(), nullable=False),
    Column("last_sync_at", UtcDateTime()),
    Column("last_run_at", UtcDateTime()),
    Column("status_classes", json_dict(), nullable=False),
    Column("item_count", Integer, nullable=False),
    UniqueConstraint("art_id", "kind", "location", "scope_key",
                     name="uq_sync_sources_art_kind_location_scope"),
)

external_items = Table(
    "external_items", metadata, id_column(),
    Column("item_id", Integer, ForeignKey("work_items.id", ondelete="CASCADE"), nullable=False,
           unique=True),
    fk_column("source_id", "sync_sources.id"),
    Column("external_id", String(64), nullable=False),
    Column("url", Text, nullable=False),
    Column("issue_type", String(100), nullable=False),
    Column("source_status", String(100), nullable=False),
    Column("project", String(200), nullable=False),
    Column("area_path", Text, nullable=False),
    Column("lists", json_dict(), nullable=False),
    Column("source_updated_at", UtcDateTime()),
)

import_runs = Table(
    "import_runs", metadata, id_column(),
    fk_column("source_id", "sync_sources.id"),
    Column("started_at", UtcDateTime(), nullable=False),
    Column("finished_at", UtcDateTime(), nullable=False),
    Column("counts", json_dict(), nullable=False),
    fk_column("by_user_id", "users.id", nullable=True, cascade=False),
)

MAPPED: dict[type, Table] = {
    SyncSource: sync_sources, ExternalItem: external_items, ImportRun: import_runs,
}
