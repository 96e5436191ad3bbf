"""Simulated trains shared by the simulation tests (each generated once per run)."""

from __future__ import annotations

import pytest

from tests.unit.simulation.measures import NEW_YEAR, TODAY, on_time_share
from trainmaster.simulation import TrainData, generate


@pytest.fixture(scope="session")
def demo() -> TrainData:
    """The default demo: one ART, eight teams, three finished PIs, current and next."""
    return generate(7, today=TODAY)


@pytest.fixture(scope="session")
def portfolio() -> TrainData:
    return generate(11, arts=3, teams=6, pis=2, today=TODAY)


@pytest.fixture(scope="session")
def new_year() -> TrainData:
    """Five ARTs in five time zones, `today` just before New Year's Day."""
    return generate(5, arts=5, teams=3, pis=1, today=NEW_YEAR)


@pytest.fixture(scope="session")
def samples() -> list[TrainData]:
    """Enough finished team-PIs to see the causal effects through the noise."""
    return [generate(seed, arts=2, teams=10, pis=4, today=TODAY) for seed in (1, 2, 3)]


@pytest.fixture(scope="session")
def on_time(samples: list[TrainData]) -> list[dict[tuple[int, int], float]]:
    return [on_time_share(data) for data in samples]
