"""Settings from TRAINMASTER_* environment variables (read only by bootstrap)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from platformdirs import user_data_dir

from trainmaster.domain.errors import Invalid

SETTINGS_DOC = {
    "TRAINMASTER_DATABASE_URL": "database URL; default: SQLite file in the user data directory",
    "TRAINMASTER_DATA_DIR": "folder for the SQLite database and caches",
    "TRAINMASTER_SESSION_HOURS": "how long a web login lasts (hours, default 12)",
    "TRAINMASTER_SECURE_COOKIES": "1 to mark cookies Secure (behind HTTPS)",
    "TRAINMASTER_EVAL_DATA": "folder of the public evaluation data",
    "TRAINMASTER_NOW": "a fixed instant (ISO 8601) to use as 'now' instead of the system clock",
}


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    session_hours: int = 12
    secure_cookies: bool = False
    now: datetime | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("TRAINMASTER_DATA_DIR") or user_data_dir("trainmaster"))
        url = env.get("TRAINMASTER_DATABASE_URL") or f"sqlite:///{data_dir / 'trainmaster.db'}"
        hours = env.get("TRAINMASTER_SESSION_HOURS", "12")
        if not hours.isdigit() or int(hours) < 1:
            raise Invalid(f"must be a whole number of hours, got {hours!r}",
                          field="TRAINMASTER_SESSION_HOURS")
        return cls(database_url=url, data_dir=data_dir, session_hours=int(hours),
                   secure_cookies=env.get("TRAINMASTER_SECURE_COOKIES", "") in ("1", "true"),
                   now=_instant(env.get("TRAINMASTER_NOW", "")))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _instant(text: str) -> datetime | None:
    """An ISO 8601 date or date-time (UTC unless it names an offset), or None when empty."""
    if not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise Invalid(f"must be an ISO 8601 date or date-time, got {text!r}",
                      field="TRAINMASTER_NOW") from exc
    return value if value.tzinfo else value.replace(tzinfo=UTC)
