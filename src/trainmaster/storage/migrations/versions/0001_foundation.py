"""foundation schema

Revision ID: 0001_foundation
Revises: 
Create Date: 2026-11-24 05:53:07.307741
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import trainmaster.storage.types

revision = '0001_foundation'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('people',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people')),
    sa.UniqueConstraint('email', name=op.f('uq_people_email'))
    )
    op.create_table('portfolios',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_portfolios'))
    )
    op.create_table('absences',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_absences_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absences')),
    sa.UniqueConstraint('person_id', 'day', name='uq_absences_person_day')
    )
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_absences_person_id'), ['person_id'], unique=False)

    op.create_table('arts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key', sa.String(length=20), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('portfolio_id', sa.Integer(), nullable=True),
    sa.Column('solution_train', sa.String(length=200), nullable=True),
    sa.Column('vision_url', sa.Text(), nullable=True),
    sa.Column('roadmap_url', sa.Text(), nullable=True),
    sa.Column('guardrails', sa.JSON(), nullable=False),
    sa.Column('guardrail_tolerance', sa.Float(), nullable=False),
    sa.Column('wip_analyzing', sa.Integer(), nullable=False),
    sa.Column('wip_implementing', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['portfolio_id'], ['portfolios.id'], name=op.f('fk_arts_portfolio_id_portfolios'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_arts')),
    sa.UniqueConstraint('key', name=op.f('uq_arts_key'))
    )
    with op.batch_alter_table('arts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_arts_portfolio_id'), ['portfolio_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('is_admin', sa.Boolean(), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_users_person_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_person_id'), ['person_id'], unique=False)

    op.create_table('action_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('open', 'done', 'cancelled', name='actionstatus', native_enum=False), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_action_items_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], name=op.f('fk_action_items_owner_id_people'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_items'))
    )
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_items_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_owner_id'), ['owner_id'], unique=False)

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=128), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('holidays',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_holidays_art_id_arts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holidays')),
    sa.UniqueConstraint('art_id', 'day', name='uq_holidays_art_day')
    )
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holidays_art_id'), ['art_id'], unique=False)

    op.create_table('jobs',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=64), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('queued', 'running', 'done', 'failed', name='jobstatus', native_enum=False), nullable=False),
    sa.Column('progress', sa.Float(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('worker', sa.String(length=200), nullable=True),
    sa.Column('started_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_jobs_created_by_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_created_by'), ['created_by'], unique=False)
        batch_op.create_index(batch_op.f('ix_jobs_status'), ['status'], unique=False)

    op.create_table('pis',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('iteration_days', sa.Integer(), nullable=False),
    sa.Column('iterations', sa.Integer(), nullable=False),
    sa.Column('has_ip', sa.Boolean(), nullable=False),
    sa.Column('state', sa.Enum('planning', 'executing', 'closed', name='pistate', native_enum=False), nullable=False),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_pis_art_id_arts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pis')),
    sa.UniqueConstraint('art_id', 'name', name='uq_pis_art_name')
    )
    with op.batch_alter_table('pis', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pis_art_id'), ['art_id'], unique=False)

    op.create_table('role_grants',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('rte', 'product_manager', 'business_owner', 'scrum_master', 'product_owner', 'team_member', 'viewer', name='role', native_enum=False), nullable=False),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_role_grants_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_grants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grants')),
    sa.UniqueConstraint('user_id', 'art_id', 'role', name='uq_role_grants_user_art_role')
    )
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grants_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_grants_user_id'), ['user_id'], unique=False)

    op.create_table('teams',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_teams_art_id_arts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_teams')),
    sa.UniqueConstraint('art_id', 'name', name='uq_teams_art_name')
    )
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_teams_art_id'), ['art_id'], unique=False)

    op.create_table('web_sessions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key_hash', sa.String(length=128), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf_token', sa.String(length=128), nullable=False),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_web_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_web_sessions_key_hash'))
    )
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_web_sessions_user_id'), ['user_id'], unique=False)

    op.create_table('events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('pi_planning', 'art_sync', 'coach_sync', 'po_sync', 'system_demo', 'pi_system_demo', 'inspect_adapt', 'milestone', 'other', name='eventkind', native_enum=False), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('start', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('end', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=True),
    sa.Column('recurrence', sa.String(length=200), nullable=True),
    sa.Column('location', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_events_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_events_pi_id_pis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_pi_id'), ['pi_id'], unique=False)

    op.create_table('impediments',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('pi_id', sa.Integer(), nullable=True),
    sa.Column('level', sa.Enum('team', 'art', 'portfolio', name='level', native_enum=False), nullable=False),
    sa.Column('raised_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('resolved_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_impediments_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], name=op.f('fk_impediments_owner_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_impediments_pi_id_pis'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_impediments_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impediments'))
    )
    with op.batch_alter_table('impediments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impediments_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impediments_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impediments_pi_id'), ['pi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impediments_team_id'), ['team_id'], unique=False)

    op.create_table('iterations',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=False),
    sa.Column('index', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('is_ip', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_iterations_pi_id_pis'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_iterations')),
    sa.UniqueConstraint('pi_id', 'index', name='uq_iterations_pi_index')
    )
    with op.batch_alter_table('iterations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_iterations_pi_id'), ['pi_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('developer', 'tester', 'scrum_master', 'product_owner', name='teamrole', native_enum=False), nullable=False),
    sa.Column('allocation', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_memberships_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_memberships_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('team_id', 'person_id', name='uq_memberships_team_person')
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_memberships_team_id'), ['team_id'], unique=False)

    op.create_table('objectives',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('committed', sa.Boolean(), nullable=False),
    sa.Column('planned_bv', sa.Integer(), nullable=True),
    sa.Column('actual_bv', sa.Integer(), nullable=True),
    sa.Column('feature_ids', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_objectives_pi_id_pis'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_objectives_team_id_teams'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objectives'))
    )
    with op.batch_alter_table('objectives', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_objectives_pi_id'), ['pi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_objectives_team_id'), ['team_id'], unique=False)

    op.create_table('risks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('pi_id', sa.Integer(), nullable=True),
    sa.Column('roam', sa.Enum('unroamed', 'resolved', 'owned', 'accepted', 'mitigated', name='roam', native_enum=False), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_risks_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['people.id'], name=op.f('fk_risks_owner_id_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_risks_pi_id_pis'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risks'))
    )
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risks_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risks_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risks_pi_id'), ['pi_id'], unique=False)

    op.create_table('impediment_steps',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('impediment_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('team', 'art', 'portfolio', name='level', native_enum=False), nullable=False),
    sa.Column('at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_impediment_steps_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['impediment_id'], ['impediments.id'], name=op.f('fk_impediment_steps_impediment_id_impediments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_impediment_steps'))
    )
    with op.batch_alter_table('impediment_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impediment_steps_by_user_id'), ['by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_impediment_steps_impediment_id'), ['impediment_id'], unique=False)

    op.create_table('risk_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('risk_id', sa.Integer(), nullable=False),
    sa.Column('from_roam', sa.Enum('unroamed', 'resolved', 'owned', 'accepted', 'mitigated', name='roam', native_enum=False), nullable=False),
    sa.Column('to_roam', sa.Enum('unroamed', 'resolved', 'owned', 'accepted', 'mitigated', name='roam', native_enum=False), nullable=False),
    sa.Column('at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_risk_changes_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['risk_id'], ['risks.id'], name=op.f('fk_risk_changes_risk_id_risks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_changes'))
    )
    with op.batch_alter_table('risk_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_changes_by_user_id'), ['by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_changes_risk_id'), ['risk_id'], unique=False)

    op.create_table('work_items',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('art_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.Enum('epic', 'feature', 'story', name='itemlevel', native_enum=False), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('work_type', sa.Enum('business', 'enabler', 'defect', 'tech_debt', name='worktype', native_enum=False), nullable=False),
    sa.Column('status', sa.String(length=64), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('acceptance_criteria', sa.Text(), nullable=False),
    sa.Column('points', sa.Float(), nullable=True),
    sa.Column('business_value', sa.Integer(), nullable=True),
    sa.Column('time_criticality', sa.Integer(), nullable=True),
    sa.Column('risk_reduction', sa.Integer(), nullable=True),
    sa.Column('job_size', sa.Integer(), nullable=True),
    sa.Column('team_id', sa.Integer(), nullable=True),
    sa.Column('pi_id', sa.Integer(), nullable=True),
    sa.Column('iteration_id', sa.Integer(), nullable=True),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('external_key', sa.String(length=128), nullable=True),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['art_id'], ['arts.id'], name=op.f('fk_work_items_art_id_arts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['iteration_id'], ['iterations.id'], name=op.f('fk_work_items_iteration_id_iterations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['work_items.id'], name=op.f('fk_work_items_parent_id_work_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['pi_id'], ['pis.id'], name=op.f('fk_work_items_pi_id_pis'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['team_id'], ['teams.id'], name=op.f('fk_work_items_team_id_teams'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_items')),
    sa.UniqueConstraint('art_id', 'external_key', name='uq_work_items_art_external_key'),
    sa.UniqueConstraint('art_id', 'key', name='uq_work_items_art_key')
    )
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_work_items_art_id'), ['art_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_items_iteration_id'), ['iteration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_items_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_items_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_items_pi_id'), ['pi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_work_items_team_id'), ['team_id'], unique=False)

    op.create_table('dependencies',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('consumer_id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('needed_by_iteration_id', sa.Integer(), nullable=True),
    sa.Column('agreement', sa.Enum('requested', 'accepted', 'declined', 'countered', name='agreement', native_enum=False), nullable=False),
    sa.Column('offered_iteration_id', sa.Integer(), nullable=True),
    sa.Column('created_at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['consumer_id'], ['work_items.id'], name=op.f('fk_dependencies_consumer_id_work_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['needed_by_iteration_id'], ['iterations.id'], name=op.f('fk_dependencies_needed_by_iteration_id_iterations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['offered_iteration_id'], ['iterations.id'], name=op.f('fk_dependencies_offered_iteration_id_iterations'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['provider_id'], ['work_items.id'], name=op.f('fk_dependencies_provider_id_work_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dependencies')),
    sa.UniqueConstraint('consumer_id', 'provider_id', name='uq_dependencies_pair')
    )
    with op.batch_alter_table('dependencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dependencies_consumer_id'), ['consumer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependencies_needed_by_iteration_id'), ['needed_by_iteration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependencies_offered_iteration_id'), ['offered_iteration_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependencies_provider_id'), ['provider_id'], unique=False)

    op.create_table('status_changes',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('from_status', sa.String(length=64), nullable=True),
    sa.Column('to_status', sa.String(length=64), nullable=False),
    sa.Column('at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['work_items.id'], name=op.f('fk_status_changes_item_id_work_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_status_changes'))
    )
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.create_index('ix_status_changes_item_at', ['item_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_status_changes_item_id'), ['item_id'], unique=False)

    op.create_table('dependency_events',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('dependency_id', sa.Integer(), nullable=False),
    sa.Column('agreement', sa.Enum('requested', 'accepted', 'declined', 'countered', name='agreement', native_enum=False), nullable=False),
    sa.Column('at', trainmaster.storage.types.UtcDateTime(timezone=True), nullable=False),
    sa.Column('by_user_id', sa.Integer(), nullable=True),
    sa.Column('offered_iteration_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['by_user_id'], ['users.id'], name=op.f('fk_dependency_events_by_user_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['dependency_id'], ['dependencies.id'], name=op.f('fk_dependency_events_dependency_id_dependencies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offered_iteration_id'], ['iterations.id'], name=op.f('fk_dependency_events_offered_iteration_id_iterations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dependency_events'))
    )
    with op.batch_alter_table('dependency_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dependency_events_by_user_id'), ['by_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependency_events_dependency_id'), ['dependency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dependency_events_offered_iteration_id'), ['offered_iteration_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dependency_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dependency_events_offered_iteration_id'))
        batch_op.drop_index(batch_op.f('ix_dependency_events_dependency_id'))
        batch_op.drop_index(batch_op.f('ix_dependency_events_by_user_id'))

    op.drop_table('dependency_events')
    with op.batch_alter_table('status_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_status_changes_item_id'))
        batch_op.drop_index('ix_status_changes_item_at')

    op.drop_table('status_changes')
    with op.batch_alter_table('dependencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dependencies_provider_id'))
        batch_op.drop_index(batch_op.f('ix_dependencies_offered_iteration_id'))
        batch_op.drop_index(batch_op.f('ix_dependencies_needed_by_iteration_id'))
        batch_op.drop_index(batch_op.f('ix_dependencies_consumer_id'))

    op.drop_table('dependencies')
    with op.batch_alter_table('work_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_work_items_team_id'))
        batch_op.drop_index(batch_op.f('ix_work_items_pi_id'))
        batch_op.drop_index(batch_op.f('ix_work_items_parent_id'))
        batch_op.drop_index(batch_op.f('ix_work_items_level'))
        batch_op.drop_index(batch_op.f('ix_work_items_iteration_id'))
        batch_op.drop_index(batch_op.f('ix_work_items_art_id'))

    op.drop_table('work_items')
    with op.batch_alter_table('risk_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_changes_risk_id'))
        batch_op.drop_index(batch_op.f('ix_risk_changes_by_user_id'))

    op.drop_table('risk_changes')
    with op.batch_alter_table('impediment_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impediment_steps_impediment_id'))
        batch_op.drop_index(batch_op.f('ix_impediment_steps_by_user_id'))

    op.drop_table('impediment_steps')
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risks_pi_id'))
        batch_op.drop_index(batch_op.f('ix_risks_owner_id'))
        batch_op.drop_index(batch_op.f('ix_risks_art_id'))

    op.drop_table('risks')
    with op.batch_alter_table('objectives', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_objectives_team_id'))
        batch_op.drop_index(batch_op.f('ix_objectives_pi_id'))

    op.drop_table('objectives')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_team_id'))
        batch_op.drop_index(batch_op.f('ix_memberships_person_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('iterations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_iterations_pi_id'))

    op.drop_table('iterations')
    with op.batch_alter_table('impediments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impediments_team_id'))
        batch_op.drop_index(batch_op.f('ix_impediments_pi_id'))
        batch_op.drop_index(batch_op.f('ix_impediments_owner_id'))
        batch_op.drop_index(batch_op.f('ix_impediments_art_id'))

    op.drop_table('impediments')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_pi_id'))
        batch_op.drop_index(batch_op.f('ix_events_art_id'))

    op.drop_table('events')
    with op.batch_alter_table('web_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_web_sessions_user_id'))

    op.drop_table('web_sessions')
    with op.batch_alter_table('teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teams_art_id'))

    op.drop_table('teams')
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grants_user_id'))
        batch_op.drop_index(batch_op.f('ix_role_grants_art_id'))

    op.drop_table('role_grants')
    with op.batch_alter_table('pis', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pis_art_id'))

    op.drop_table('pis')
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_status'))
        batch_op.drop_index(batch_op.f('ix_jobs_created_by'))

    op.drop_table('jobs')
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holidays_art_id'))

    op.drop_table('holidays')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_items_owner_id'))
        batch_op.drop_index(batch_op.f('ix_action_items_art_id'))

    op.drop_table('action_items')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_person_id'))

    op.drop_table('users')
    with op.batch_alter_table('arts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_arts_portfolio_id'))

    op.drop_table('arts')
    with op.batch_alter_table('absences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_absences_person_id'))

    op.drop_table('absences')
    op.drop_table('portfolios')
    op.drop_table('people')
