"""Percentile conventions shared by flow metrics and forecasts.

Flow-time percentiles interpolate linearly between observations (as spreadsheets do).
Forecast percentiles never interpolate: "by when with p % likelihood" is the smallest
simulated finish day reached by at least p % of trials, and "at least N with p %
likelihood" is the largest total that at least p % of trials reach.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from trainmaster.domain.errors import require

FLOW_PERCENTILES: tuple[int, ...] = (50, 85, 95)


def check_levels(levels: Sequence[float]) -> tuple[float, ...]:
    """The likelihood levels as a tuple, each strictly between 0 and 100."""
    levels = tuple(float(p) for p in levels)
    require(all(0 < p < 100 for p in levels), "percentiles lie strictly between 0 and 100",
            field="percentiles")
    return levels


def flow_percentiles(values: np.ndarray, levels: Sequence[float] = FLOW_PERCENTILES
                     ) -> dict[int | float, float | None]:
    """Linear-interpolated percentiles of `values` (NaN ignored); None when there are none."""
    levels = check_levels(levels)
    values = np.asarray(values, dtype=float)
    values = values[~np.isnan(values)]
    if values.size == 0:
        return {_key(p): None for p in levels}
    found = np.percentile(values, levels)
    return {_key(p): float(v) for p, v in zip(levels, found, strict=True)}


def finish_day_percentiles(days: np.ndarray, levels: Sequence[float]
                           ) -> dict[int | float, int | None]:
    """Smallest day that at least p % of trials finish on or before; None when beyond.

    `days` holds one finish day per trial (1 = the first forecast day), 0 for a trial that
    did not finish within the simulated horizon.
    """
    levels = check_levels(levels)
    finished = np.sort(days[days > 0])
    out: dict[int | float, int | None] = {}
    for p in levels:
        rank = int(np.ceil(p / 100.0 * days.size))  # trials that must have finished
        out[_key(p)] = int(finished[rank - 1]) if 0 < rank <= finished.size else None
    return out


def at_least_percentiles(totals: np.ndarray, levels: Sequence[float]) -> dict[int | float, int]:
    """Largest N that at least p % of trials reach or exceed (the (100-p)th percentile)."""
    levels = check_levels(levels)
    require(totals.size > 0, "needs at least one trial", field="trials")
    ordered = np.sort(totals)
    out: dict[int | float, int] = {}
    for p in levels:
        keep = max(1, int(np.ceil(p / 100.0 * ordered.size)))  # trials that must reach N
        out[_key(p)] = int(ordered[ordered.size - keep])
    return out


def _key(p: float) -> int | float:
    return int(p) if float(p).is_integer() else p
