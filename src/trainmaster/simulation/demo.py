"""The seeded demo train: a portfolio of ARTs with several PIs of plausible history."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import numpy as np

from trainmaster.domain.art import Portfolio
from trainmaster.domain.errors import require
from trainmaster.simulation import names
from trainmaster.simulation.cadence import PI_DAYS, pi_starts
from trainmaster.simulation.data import TrainData, keep
from trainmaster.simulation.org import build_art
from trainmaster.simulation.run import ArtRun

Progress = Callable[[str, int, int], None]
HISTORY_DAYS = 200      # calendar days of backlog history before the first PI
CARRY_DAYS = 300        # calendar days simulated after the next PI (leftover work)
PROGRESS_STAGE = "pi"


def generate(seed: int, *, arts: int = 1, teams: int = 8, pis: int = 3, today: date,
             progress: Progress | None = None) -> TrainData:
    """Simulate `arts` ARTs of `teams` teams with `pis` finished PIs, a current PI in its
    second iteration relative to `today` and a next PI in planning.

    Same seed and `today`, same data. Nothing happens after `today` except calendar events,
    planned vacations and due dates. `progress("pi", done, total)` follows each PI.
    """
    require(seed >= 0, "must not be negative", field="seed")
    require(1 <= arts <= 26, "must be between 1 and 26", field="arts")
    require(1 <= teams <= 30, "must be between 1 and 30", field="teams")
    require(0 <= pis <= 20, "must be between 0 and 20", field="pis")
    if isinstance(today, datetime):
        today = today.date()
    children = np.random.SeedSequence(seed).spawn(arts + 1)
    pool = names.NamePool(np.random.default_rng(children[0]))
    data = TrainData()
    keep(data.portfolios, Portfolio(name=names.PORTFOLIO_NAME))
    starts = pi_starts(today, pis)
    window = (starts[0] - timedelta(days=HISTORY_DAYS),
              starts[-1] + timedelta(days=PI_DAYS + CARRY_DAYS))
    absence_window = (starts[0] - timedelta(days=14), starts[-1] + timedelta(days=PI_DAYS))
    done, total = 0, arts * len(starts)
    for index in range(arts):
        rng = np.random.default_rng(children[index + 1])
        org = build_art(data, rng, pool, index=index, teams=teams, window=window,
                        absence_window=absence_window, today=today,
                        solution_train=names.SOLUTION_TRAIN_NAME if arts > 1 else None)
        run = ArtRun(data, rng, org, starts, today)
        for frame in run.frames:
            run.run(frame)
            done += 1
            if progress:
                progress(PROGRESS_STAGE, done, total)
        run.finish()
    return data
