"""Every table module of the schema, mapped in one place.

Each area keeps its tables in a module of its own (`tables.py` for the foundation,
`tables_<area>.py` for the others), all on one MetaData, each exposing `MAPPED`
(domain class -> table). Add a new module to TABLE_MODULES.
"""

from __future__ import annotations

import importlib

from sqlalchemy import MetaData

from trainmaster.storage import tables

TABLE_MODULES = (
    "trainmaster.storage.tables",
    "trainmaster.storage.tables_planning",
    "trainmaster.storage.tables_execution",
    "trainmaster.storage.tables_integration",
    "trainmaster.storage.tables_suggestions",
    "trainmaster.storage.tables_learning",
)

_mapped = False


def map_all() -> None:
    """Instrument every domain class with its table (idempotent)."""
    global _mapped
    if _mapped:
        return
    for name in TABLE_MODULES:
        module = importlib.import_module(name)
        for cls, table in module.MAPPED.items():
            tables.mapper_registry.map_imperatively(cls, table)
    _mapped = True


def all_metadata() -> MetaData:
    for name in TABLE_MODULES:
        importlib.import_module(name)
    return tables.metadata
