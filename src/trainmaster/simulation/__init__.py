"""Seeded simulation of a whole train: the demo data, and the history prediction learns from."""

from trainmaster.simulation.data import ArtRole, TrainData
from trainmaster.simulation.demo import generate

__all__ = ["ArtRole", "TrainData", "generate"]
