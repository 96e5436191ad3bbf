"""PI Planning: agenda, confidence vote, baseline, objective publications, WIP overrides

Revision ID: 0002_planning
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import trainmaster.storage.types

revision = '0002_planning'
down_revision = '0001_foundation'
branch_labels = ('planning',)
depends_on = None


def upgrade() -> None:
    op.create_table('agenda_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('start', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('end', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_agenda_items_pi_id_pis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_items')),
    sa.UniqueConstraint('pi_id', 'position', name='uq_agenda_items_pi_position')
    )
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_items_pi_id'), ['pi_id'], unique=False)

    op.create_table('objective_publications',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=False),
    sa.Column('published_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('teams', sa.Integer(), nullable=False),
    sa.Column('committed', sa.Integer(), nullable=False),
    sa.Column('uncommitted', sa.Integer(), nullable=False),
    sa.Column('planned_bv', sa.Integer(), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_objective_publications_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_objective_publications_pi_id_pis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objective_publications'))
    )
    with op.batch_alter_table('objective_publications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objective_publications_by_user_id'), ['by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objective_publications_pi_id'), ['pi_id'], unique=False)

    op.create_table('vote_rounds',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('opened_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('open', 'committed', 'failed', name='roundstatus', native_enum=False), nullable=False),
    sa.Column('closed_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.Column('art_mean', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by'], ['users.id'], name=op.f('fk_vote_rounds_closed_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['opened_by'], ['users.id'], name=op.f('fk_vote_rounds_opened_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_vote_rounds_pi_id_pis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vote_rounds')),
    sa.UniqueConstraint('pi_id', 'number', name='uq_vote_rounds_pi_number')
    )
    with op.batch_alter_table('vote_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_rounds_closed_by'), ['closed_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_vote_rounds_opened_by'), ['opened_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_vote_rounds_pi_id'), ['pi_id'], unique=False)

    op.create_table('baselines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=False),
    sa.Column('taken_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=True),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_baselines_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_baselines_pi_id_pis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['vote_rounds.id'], name=op.f('fk_baselines_round_id_vote_rounds'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_baselines')),
    sa.UniqueConstraint('pi_id', name='uq_baselines_pi')
    )
    with op.batch_alter_table('baselines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_baselines_by_user_id'), ['by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_baselines_pi_id'), ['pi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_baselines_round_id'), ['round_id'], unique=False)

    op.create_table('votes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('voter_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('value', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['vote_rounds.id'], name=op.f('fk_votes_round_id_vote_rounds'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_votes_team_id_teams'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['voter_id'], ['users.id'], name=op.f('fk_votes_voter_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_votes')),
    sa.UniqueConstraint('round_id', 'voter_id', 'scope', name='uq_votes_round_voter_scope')
    )
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_votes_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_votes_team_id'), ['team_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_votes_voter_id'), ['voter_id'], unique=False)

    op.create_table('wip_overrides',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=64), nullable=False),
    sa.Column('to_status', sa.String(length=64), nullable=False),
    sa.Column('limit', sa.Integer(), nullable=False),
    sa.Column('count_before', sa.Integer(), nullable=False),
    sa.Column('at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_wip_overrides_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_wip_overrides_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['work_items.id'], name=op.f('fk_wip_overrides_item_id_work_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wip_overrides'))
    )
    with op.batch_alter_table('wip_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_wip_overrides_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wip_overrides_by_user_id'), ['by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_wip_overrides_item_id'), ['item_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('wip_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_wip_overrides_item_id'))
        batch_op.drop_index(batch_op.f('ix_wip_overrides_by_user_id'))
        batch_op.drop_index(batch_op.f('ix_wip_overrides_art_id'))

    op.drop_table('wip_overrides')
    with op.batch_alter_table('votes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_votes_voter_id'))
        batch_op.drop_index(batch_op.f('ix_votes_team_id'))
        batch_op.drop_index(batch_op.f('ix_votes_round_id'))

    op.drop_table('votes')
    with op.batch_alter_table('baselines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_baselines_round_id'))
        batch_op.drop_index(batch_op.f('ix_baselines_pi_id'))
        batch_op.drop_index(batch_op.f('ix_baselines_by_user_id'))

    op.drop_table('baselines')
    with op.batch_alter_table('vote_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_rounds_pi_id'))
        batch_op.drop_index(batch_op.f('ix_vote_rounds_opened_by'))
        batch_op.drop_index(batch_op.f('ix_vote_rounds_closed_by'))

    op.drop_table('vote_rounds')
    with op.batch_alter_table('objective_publications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objective_publications_pi_id'))
        batch_op.drop_index(batch_op.f('ix_objective_publications_by_user_id'))

    op.drop_table('objective_publications')
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_items_pi_id'))

    op.drop_table('agenda_items')
