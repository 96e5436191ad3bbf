"""Users, roles, password login, browser sessions and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from trainmaster.domain.access import (
    Actor,
    ApiToken,
    Permission,
    Role,
    RoleGrant,
    User,
    WebSession,
)
from trainmaster.domain.errors import Conflict, Forbidden, NotFound, require
from trainmaster.services.unit_of_work import UnitOfWork

# argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): strong enough, and
# quick on a small server where the library default (64 MiB, 4 lanes) takes most of a second
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
_DUMMY_HASH = _hasher.hash("not a password")


def hash_password(password: str) -> str:
    require(len(password) >= 8, "must be at least 8 characters", field="password")
    return _hasher.hash(password)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_for(uow: UnitOfWork, user: User) -> Actor:
    roles: dict[int, set[Role]] = {}
    for grant in uow.role_grants.find(user_id=user.id):
        roles.setdefault(grant.art_id, set()).add(grant.role)
    return Actor(user_id=user.id, username=user.username, is_admin=user.is_admin,
                 person_id=user.person_id,
                 roles={art: frozenset(rs) for art, rs in roles.items()})


def add_user(uow: UnitOfWork, actor: Actor, username: str, password: str, *,
             display_name: str = "", art_id: int | None = None,
             roles: tuple[Role, ...] = (), person_id: int | None = None,
             is_admin: bool = False, at: datetime) -> User:
    """Create a user, optionally with roles on one ART."""
    actor.require(Permission.MANAGE_USERS, art_id)
    if is_admin and not actor.is_admin:
        raise Forbidden("only an administrator may create another administrator")
    with uow:
        if uow.users.first(username=username.strip().lower()):
            raise Conflict(f"user {username!r} already exists", field="username")
        user = uow.users.add(User(username=username, display_name=display_name,
                                  password_hash=hash_password(password), person_id=person_id,
                                  is_admin=is_admin, created_at=at))
        if roles:
            require(art_id is not None, "roles need an ART", field="art_id")
            uow.arts.get(art_id)  # type: ignore[arg-type]
            for role in roles:
                uow.role_grants.add(RoleGrant(user_id=user.id, art_id=art_id, role=role))  # type: ignore[arg-type]
        uow.commit()
        return user


def grant_role(uow: UnitOfWork, actor: Actor, username: str, art_id: int, role: Role) -> None:
    actor.require(Permission.MANAGE_USERS, art_id)
    with uow:
        user = _user_named(uow, username)
        uow.arts.get(art_id)
        if not uow.role_grants.first(user_id=user.id, art_id=art_id, role=Role(role)):
            uow.role_grants.add(RoleGrant(user_id=user.id, art_id=art_id, role=Role(role)))  # type: ignore[arg-type]
        uow.commit()


def _user_named(uow: UnitOfWork, username: str) -> User:
    user = uow.users.first(username=username.strip().lower())
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def authenticate(uow: UnitOfWork, username: str, password: str) -> Actor:
    """Check a password; the same error for an unknown user and a wrong password."""
    with uow:
        user = uow.users.first(username=username.strip().lower())
        try:
            _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        except (VerificationError, InvalidHashError):
            user = None
        if user is None:
            raise Forbidden("wrong username or password")
        return actor_for(uow, user)


def create_token(uow: UnitOfWork, actor: Actor, username: str, *, name: str = "cli",
                 at: datetime) -> str:
    """A new API token for `username` (themselves, or anyone for an administrator)."""
    with uow:
        user = _user_named(uow, username)
        if not actor.is_admin and actor.user_id != user.id:
            raise Forbidden("you may only create tokens for yourself")
        secret = "tm_" + secrets.token_urlsafe(32)
        uow.api_tokens.add(ApiToken(user_id=user.id, name=name, token_hash=_digest(secret),  # type: ignore[arg-type]
                                    created_at=at))
        uow.commit()
        return secret


def actor_for_token(uow: UnitOfWork, secret: str, *, at: datetime) -> Actor:
    with uow:
        token = uow.api_tokens.first(token_hash=_digest(secret))
        if token is None:
            raise Forbidden("unknown or revoked API token")
        token.last_used_at = at
        actor = actor_for(uow, uow.users.get(token.user_id))
        uow.commit()
        return actor


def start_session(uow: UnitOfWork, actor: Actor, *, at: datetime, hours: int) -> tuple[str, str]:
    """Open a browser session; returns (cookie secret, CSRF token)."""
    secret, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with uow:
        uow.web_sessions.add(WebSession(key_hash=_digest(secret), user_id=actor.user_id or 0,
                                        csrf_token=csrf, created_at=at,
                                        expires_at=at + timedelta(hours=hours)))
        uow.commit()
    return secret, csrf


def session_actor(uow: UnitOfWork, secret: str, *, at: datetime) -> tuple[Actor, str]:
    """The actor and CSRF token of a live session."""
    with uow:
        session = uow.web_sessions.first(key_hash=_digest(secret))
        if session is None or session.expires_at <= at:
            raise Forbidden("your session has ended: please log in again")
        return actor_for(uow, uow.users.get(session.user_id)), session.csrf_token


def end_session(uow: UnitOfWork, secret: str) -> None:
    with uow:
        uow.web_sessions.remove_where(key_hash=_digest(secret))
        uow.commit()

