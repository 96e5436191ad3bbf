"""Running the train: meeting records, calendar feeds, Inspect & Adapt workshops

Revision ID: 0002_execution
Revises: 0001_foundation
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import trainmaster.storage.types

revision = '0002_execution'
down_revision = '0001_foundation'
branch_labels = ('execution',)
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_feeds',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_calendar_feeds_art_id_arts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feeds')),
    sa.UniqueConstraint('art_id', name='uq_calendar_feeds_art'),
    sa.UniqueConstraint('token', name=op.f('uq_calendar_feeds_token'))
    )
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feeds_art_id'), ['art_id'], unique=False)

    op.create_table('workshops',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=False),
    sa.Column('demo_notes', sa.Text(), nullable=False),
    sa.Column('demo_feature_ids', sa.JSON(), nullable=False),
    sa.Column('review', sa.JSON(), nullable=False),
    sa.Column('retro_well', sa.JSON(), nullable=False),
    sa.Column('retro_improve', sa.JSON(), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_workshops_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_workshops_pi_id_pis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshops')),
    sa.UniqueConstraint('pi_id', name='uq_workshops_pi')
    )
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshops_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshops_pi_id'), ['pi_id'], unique=False)

    op.create_table('meetings',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('pi_planning', 'art_sync', 'coach_sync', 'po_sync', 'system_demo', 'pi_system_demo', 'inspect_adapt', 'milestone', 'other', name='eventkind', native_enum=False), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('notes_format', sa.String(length=20), nullable=False),
    sa.Column('analysis', sa.JSON(), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_meetings_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_meetings_created_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_meetings_event_id_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_meetings_pi_id_pis'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('art_id', 'kind', 'held_on', name='uq_meetings_art_kind_day')
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_created_by'), ['created_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_pi_id'), ['pi_id'], unique=False)

    op.create_table('workshop_problems',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('statement', sa.String(length=200), nullable=False),
    sa.Column('stage', sa.Enum('agree', 'fishbone', 'whys', 'vote', 'restate', 'solutions', 'done', name='problemstage', native_enum=False), nullable=False),
    sa.Column('restated', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_workshop_problems_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_problems'))
    )
    with op.batch_alter_table('workshop_problems', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_problems_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('meeting_outcomes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('decision', 'action', 'risk', 'impediment', name='outcomekind', native_enum=False), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'confirmed', 'rejected', name='outcomestatus', native_enum=False), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('owner_text', sa.String(length=200), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('target_id', sa.Integer(), nullable=True),
    sa.Column('from_notes', sa.Boolean(), nullable=False),
    sa.Column('edited', sa.Boolean(), nullable=False),
    sa.Column('sentence', sa.Text(), nullable=False),
    sa.Column('sentence_index', sa.Integer(), nullable=True),
    sa.Column('span_start', sa.Integer(), nullable=True),
    sa.Column('span_end', sa.Integer(), nullable=True),
    sa.Column('speaker', sa.String(length=200), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_meeting_outcomes_decided_by_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_outcomes_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], name=op.f('fk_meeting_outcomes_owner_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_meeting_outcomes_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meeting_outcomes'))
    )
    with op.batch_alter_table('meeting_outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_outcomes_decided_by'), ['decided_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_outcomes_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_outcomes_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meeting_outcomes_team_id'), ['team_id'], unique=False)

    op.create_table('scope_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('added', 'removed', 'reprioritized', 'changed', name='scopechangekind', native_enum=False), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['work_items.id'], name=op.f('fk_scope_changes_item_id_work_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_scope_changes_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scope_changes'))
    )
    with op.batch_alter_table('scope_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scope_changes_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scope_changes_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('team_reports',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('on_track', 'at_risk', 'off_track', name='teamstatus', native_enum=False), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('needs', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_team_reports_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_team_reports_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_reports')),
    sa.UniqueConstraint('meeting_id', 'team_id', name='uq_team_reports_meeting_team')
    )
    with op.batch_alter_table('team_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_reports_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_reports_team_id'), ['team_id'], unique=False)

    op.create_table('workshop_causes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('people', 'process', 'tools', 'program', 'environment', name='causecategory', native_enum=False), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('whys', sa.JSON(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['problem_id'], ['workshop_problems.id'], name=op.f('fk_workshop_causes_problem_id_workshop_problems'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_causes'))
    )
    with op.batch_alter_table('workshop_causes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_causes_problem_id'), ['problem_id'], unique=False)

    op.create_table('workshop_solutions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('problem_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('work_type', sa.Enum('business', 'enabler', 'defect', 'tech_debt', name='worktype', native_enum=False), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['work_items.id'], name=op.f('fk_workshop_solutions_item_id_work_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['problem_id'], ['workshop_problems.id'], name=op.f('fk_workshop_solutions_problem_id_workshop_problems'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_solutions'))
    )
    with op.batch_alter_table('workshop_solutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_solutions_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_solutions_problem_id'), ['problem_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('workshop_solutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_solutions_problem_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_solutions_item_id'))

    op.drop_table('workshop_solutions')
    with op.batch_alter_table('workshop_causes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_causes_problem_id'))

    op.drop_table('workshop_causes')
    with op.batch_alter_table('team_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_reports_team_id'))
        batch_op.drop_index(batch_op.f('ix_team_reports_meeting_id'))

    op.drop_table('team_reports')
    with op.batch_alter_table('scope_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scope_changes_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_scope_changes_item_id'))

    op.drop_table('scope_changes')
    with op.batch_alter_table('meeting_outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_outcomes_team_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_outcomes_owner_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_outcomes_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_meeting_outcomes_decided_by'))

    op.drop_table('meeting_outcomes')
    with op.batch_alter_table('workshop_problems', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_problems_workshop_id'))

    op.drop_table('workshop_problems')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_pi_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_event_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_created_by'))
        batch_op.drop_index(batch_op.f('ix_meetings_art_id'))

    op.drop_table('meetings')
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshops_pi_id'))
        batch_op.drop_index(batch_op.f('ix_workshops_art_id'))

    op.drop_table('workshops')
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feeds_art_id'))

    op.drop_table('calendar_feeds')
