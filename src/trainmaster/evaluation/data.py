"""Where the public evaluation data lives."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """TRAINMASTER_EVAL_DATA, else ../shared/data beside the checkout."""
    env = os.environ.get("TRAINMASTER_EVAL_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[3].parent / "shared" / "data"
