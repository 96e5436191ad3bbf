"""Tracker import: sync sources, external items, import runs

Revision ID: 0002_integration
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import trainmaster.storage.types

revision = '0002_integration'
down_revision = '0001_foundation'
branch_labels = ('integration',)
depends_on = None


def upgrade() -> None:
    op.create_table('sync_sources',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('location', sa.String(length=500), nullable=False),
    sa.Column('scope', sa.Text(), nullable=False),
    sa.Column('scope_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_sync_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_run_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('status_classes', sa.JSON(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_sync_sources_art_id_arts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_sources')),
    sa.UniqueConstraint('art_id', 'kind', 'location', 'scope_key', name='uq_sync_sources_art_kind_location_scope')
    )
    with op.batch_alter_table('sync_sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_sources_art_id'), ['art_id'], unique=False)

    op.create_table('external_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=64), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('issue_type', sa.String(length=100), nullable=False),
    sa.Column('source_status', sa.String(length=100), nullable=False),
    sa.Column('project', sa.String(length=200), nullable=False),
    sa.Column('area_path', sa.Text(), nullable=False),
    sa.Column('lists', sa.JSON(), nullable=False),
    sa.Column('source_updated_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['work_items.id'], name=op.f('fk_external_items_item_id_work_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['sync_sources.id'], name=op.f('fk_external_items_source_id_sync_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_external_items')),
    sa.UniqueConstraint('item_id', name=op.f('uq_external_items_item_id'))
    )
    with op.batch_alter_table('external_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_external_items_source_id'), ['source_id'], unique=False)

    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('started_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('counts', sa.JSON(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_import_runs_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sync_sources.id'], name=op.f('fk_import_runs_source_id_sync_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs')),
    )
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_runs_by_user_id'), ['by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_import_runs_source_id'), ['source_id'], unique=False)


def downgrade() -> None:
    op.drop_table('import_runs')
    op.drop_table('external_items')
    op.drop_table('sync_sources')
