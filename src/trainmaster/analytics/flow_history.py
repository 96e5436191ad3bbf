"""Columnar status histories and the local calendar they are bucketed in.

A `StatusHistory` is one row per status change: which item, which status, when (UTC).
Days are local to a time zone given as a parameter; conversion is vectorised with the
zone's transitions found once per call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import numpy as np

from trainmaster.domain.errors import Invalid, require

DAY_S = 86_400
NEVER = np.iinfo(np.int64).max  # sentinel "no such time" in int64 seconds


@dataclass(frozen=True, eq=False)
class StatusHistory:
    """Status changes as parallel arrays, one entry per change.

    `statuses` and `work_types` are integer codes into `status_names` and
    `work_type_names`; `at` is datetime64[s] in UTC. An item's work type, points and group
    are taken from its latest change.
    """

    item_ids: np.ndarray
    statuses: np.ndarray
    at: np.ndarray
    status_names: tuple[str, ...]
    work_types: np.ndarray | None = None
    work_type_names: tuple[str, ...] = ()
    points: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.item_ids)
        for name in ("statuses", "at", "work_types", "points"):
            column = getattr(self, name)
            require(column is None or len(column) == n,
                    f"has {0 if column is None else len(column)} entries, item_ids has {n}",
                    field=name)
        require(np.issubdtype(np.asarray(self.at).dtype, np.datetime64),
                "must be datetime64 (UTC)", field="at")
        _check_codes(self.statuses, len(self.status_names), "statuses")
        if self.work_types is not None:
            _check_codes(self.work_types, len(self.work_type_names), "work_types")

    @property
    def seconds(self) -> np.ndarray:
        """`at` as int64 seconds since the epoch."""
        return np.asarray(self.at).astype("datetime64[s]").astype(np.int64)

    @classmethod
    def from_changes(cls, item_ids: Sequence[int], statuses: Sequence[str],
                     at: Sequence[datetime], work_types: Sequence[str] | None = None,
                     points: Sequence[float | None] | None = None) -> StatusHistory:
        """Build from plain columns; `at` must hold time-zone-aware datetimes."""
        status_names, status_codes = _encode(statuses)
        type_names, type_codes = _encode(work_types) if work_types is not None else ((), None)
        return cls(
            item_ids=np.asarray(item_ids, dtype=np.int64), statuses=status_codes,
            at=to_utc(at), status_names=status_names, work_types=type_codes,
            work_type_names=type_names,
            points=None if points is None else np.array(
                [np.nan if p is None else p for p in points], dtype=float))

    def subset(self, mask: np.ndarray) -> StatusHistory:
        """The changes where `mask` is true, same code tables."""
        return StatusHistory(
            self.item_ids[mask], self.statuses[mask], self.at[mask], self.status_names,
            None if self.work_types is None else self.work_types[mask], self.work_type_names,
            None if self.points is None else self.points[mask])


def _check_codes(codes: np.ndarray, size: int, field: str) -> None:
    codes = np.asarray(codes)
    require(np.issubdtype(codes.dtype, np.integer), "must hold integer codes", field=field)
    require(codes.size == 0 or (codes.min() >= 0 and codes.max() < size),
            f"codes must index the {size} names given", field=field)


def _encode(values: Sequence[str]) -> tuple[tuple[str, ...], np.ndarray]:
    names, codes = np.unique(np.asarray(list(values), dtype=str), return_inverse=True)
    return tuple(str(n) for n in names), codes.astype(np.int32)


def to_utc(values: Sequence[datetime]) -> np.ndarray:
    """Aware datetimes as datetime64[s] in UTC; a naive datetime is refused."""
    for value in values:
        if value.tzinfo is None or value.utcoffset() is None:
            raise Invalid(f"{value.isoformat()} has no time zone", field="at")
    return np.array([int(v.timestamp()) for v in values], dtype=np.int64).astype(
        "datetime64[s]")


def zone(tz: str | ZoneInfo) -> ZoneInfo:
    """The ZoneInfo named `tz`."""
    if isinstance(tz, ZoneInfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"unknown time zone {tz!r}", field="tz") from exc


def utc_offsets(seconds: np.ndarray, tz: str | ZoneInfo) -> np.ndarray:
    """UTC offset in seconds at each instant (int64 epoch seconds) in zone `tz`.

    Offsets are looked up per UTC day (offset at the day's start, and the switch instant
    and new offset when the zone changes offset that day), so the cost is O(n) gathers.
    """
    seconds = np.asarray(seconds, dtype=np.int64)
    z = zone(tz)
    finite = seconds[seconds != NEVER]
    if finite.size == 0:
        return np.zeros(seconds.size, dtype=np.int64)
    lo, hi = int(finite.min()), int(finite.max())
    instants, offsets = _transitions(lo, hi, z)
    if instants.size == 0:
        return np.full(seconds.size, offsets[0], dtype=np.int64)
    first_day = lo // DAY_S
    span = hi // DAY_S - first_day + 1
    switch_day = instants // DAY_S - first_day
    if np.unique(switch_day).size < switch_day.size:  # two switches in one day
        return offsets[np.searchsorted(instants, seconds, side="right")]
    starts = (np.arange(span) + first_day) * DAY_S
    at_start = offsets[np.searchsorted(instants, starts, side="right")]
    switch_at = np.full(span, NEVER, dtype=np.int64)
    after = at_start.copy()
    inside = (switch_day >= 0) & (switch_day < span)
    switch_at[switch_day[inside]] = instants[inside]
    after[switch_day[inside]] = offsets[1:][inside]
    day = np.clip(seconds // DAY_S - first_day, 0, span - 1)
    return np.where(seconds >= switch_at[day], after[day], at_start[day])


def _offset(t: int, z: ZoneInfo) -> int:
    delta = datetime.fromtimestamp(t, tz=z).utcoffset() or timedelta(0)
    return int(delta.total_seconds())


def _transitions(lo: int, hi: int, z: ZoneInfo) -> tuple[np.ndarray, np.ndarray]:
    """Instants where the offset changes within [lo, hi] and the offsets around them."""
    probes = list(range(lo - DAY_S, hi + 2 * DAY_S, DAY_S))
    values = [_offset(t, z) for t in probes]
    instants, offsets = [], [values[0]]
    for i in range(1, len(probes)):
        if values[i] != values[i - 1]:
            a, b = probes[i - 1], probes[i]  # offset(a) = old, offset(b) = new
            while b - a > 1:
                mid = (a + b) // 2
                a, b = (mid, b) if _offset(mid, z) == values[i - 1] else (a, mid)
            instants.append(b)
            offsets.append(values[i])
    return np.array(instants, dtype=np.int64), np.array(offsets, dtype=np.int64)


def local_days(seconds: np.ndarray, tz: str | ZoneInfo) -> np.ndarray:
    """Local calendar day (as int days since 1970-01-01) of each UTC instant."""
    seconds = np.asarray(seconds, dtype=np.int64)
    return (seconds + utc_offsets(seconds, tz)) // DAY_S


def day_starts(days: np.ndarray, tz: str | ZoneInfo) -> np.ndarray:
    """UTC epoch seconds of local midnight starting each day (int days since epoch)."""
    local = np.asarray(days, dtype=np.int64) * DAY_S
    guess = local - utc_offsets(local, tz)
    return local - utc_offsets(guess, tz)


def instant(value: date | datetime, tz: str | ZoneInfo, *, end_of_day: bool = False) -> int:
    """Epoch seconds of an aware datetime, or of a local day's start (end with end_of_day)."""
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise Invalid(f"{value.isoformat()} has no time zone", field="window")
        return int(value.timestamp())
    day = (value - date(1970, 1, 1)).days + (1 if end_of_day else 0)
    return int(day_starts(np.array([day]), tz)[0])


def day_index(value: date) -> int:
    """Days since 1970-01-01."""
    return (value - date(1970, 1, 1)).days


def to_dates(days: np.ndarray) -> tuple[date, ...]:
    """Dates of int days since 1970-01-01."""
    return tuple(np.asarray(days, dtype=np.int64).astype("datetime64[D]").tolist())


def to_datetime(seconds: int) -> datetime:
    """An aware UTC datetime from epoch seconds."""
    return datetime.fromtimestamp(int(seconds), tz=UTC)
