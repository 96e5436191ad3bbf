"""The one error tree of trainmaster.

    TrainmasterError
     ├── NotFound    an id or key names nothing            (web: 404)
     ├── Invalid     input breaks a rule; names the field  (web: 422)
     ├── Conflict    the request clashes with current state (web: 409)
     └── Forbidden   the actor may not do this             (web: 403)

Domain code and services raise only these; the web and the CLI map them once.
"""

from __future__ import annotations


class TrainmasterError(Exception):
    """Base of every error trainmaster raises on purpose."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class NotFound(TrainmasterError):
    """Something named by id or key does not exist."""


class Invalid(TrainmasterError):
    """Input breaks a domain rule; `field` names the offending field when there is one."""


class Conflict(TrainmasterError):
    """The request clashes with the current state (duplicate key, limit reached, ...)."""


class Forbidden(TrainmasterError):
    """The actor lacks the permission for this action."""


def require(condition: bool, message: str, *, field: str | None = None) -> None:
    """Raise `Invalid(message, field=field)` unless `condition` holds."""
    if not condition:
        raise Invalid(message, field=field)
