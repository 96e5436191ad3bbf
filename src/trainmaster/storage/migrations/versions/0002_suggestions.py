"""Dependency suggestions: finder runs and proposed pairs

Revision ID: 0002_suggestions
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import trainmaster.storage.types

revision = '0002_suggestions'
down_revision = '0001_foundation'
branch_labels = ('suggestions',)
depends_on = None


def upgrade() -> None:
    op.create_table('suggestion_runs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('started_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=True),
    sa.Column('finished_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.Column('proposed', sa.Integer(), nullable=False),
    sa.Column('model_id', sa.String(length=100), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_suggestion_runs_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_suggestion_runs_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_suggestion_runs_pi_id_pis'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion_runs'))
    )
    with op.batch_alter_table('suggestion_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggestion_runs_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_runs_by_user_id'), ['by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggestion_runs_pi_id'), ['pi_id'], unique=False)

    op.create_table('dependency_suggestions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('consumer_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('direction_known', sa.Boolean(), nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=True),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('proposed', 'accepted', 'rejected', name='suggestionstatus', native_enum=False), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('decided_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('dependency_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_dependency_suggestions_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['consumer_id'], ['work_items.id'], name=op.f('fk_dependency_suggestions_consumer_id_work_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_dependency_suggestions_decided_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dependency_id'], ['dependencies.id'], name=op.f('fk_dependency_suggestions_dependency_id_dependencies'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_dependency_suggestions_pi_id_pis'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['provider_id'], ['work_items.id'], name=op.f('fk_dependency_suggestions_provider_id_work_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['suggestion_runs.id'], name=op.f('fk_dependency_suggestions_run_id_suggestion_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dependency_suggestions'))
    )
    with op.batch_alter_table('dependency_suggestions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dependency_suggestions_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependency_suggestions_consumer_id'), ['consumer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependency_suggestions_decided_by'), ['decided_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependency_suggestions_dependency_id'), ['dependency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependency_suggestions_pi_id'), ['pi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependency_suggestions_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependency_suggestions_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependency_suggestions_status'), ['status'], unique=False)

def downgrade() -> None:
    with op.batch_alter_table('dependency_suggestions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dependency_suggestions_status'))
        batch_op.drop_index(batch_op.f('ix_dependency_suggestions_run_id'))
        batch_op.drop_index(batch_op.f('ix_dependency_suggestions_provider_id'))
        batch_op.drop_index(batch_op.f('ix_dependency_suggestions_pi_id'))
        batch_op.drop_index(batch_op.f('ix_dependency_suggestions_dependency_id'))
        batch_op.drop_index(batch_op.f('ix_dependency_suggestions_decided_by'))
        batch_op.drop_index(batch_op.f('ix_dependency_suggestions_consumer_id'))
        batch_op.drop_index(batch_op.f('ix_dependency_suggestions_art_id'))

    op.drop_table('dependency_suggestions')
    with op.batch_alter_table('suggestion_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggestion_runs_pi_id'))
        batch_op.drop_index(batch_op.f('ix_suggestion_runs_by_user_id'))
        batch_op.drop_index(batch_op.f('ix_suggestion_runs_art_id'))

    op.drop_table('suggestion_runs')
