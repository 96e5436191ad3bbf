"""Peer tools the benchmarks compare against, each in a private venv under bench/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def peer_python(name: str, requirements: tuple[str, ...]) -> Path:
    """The interpreter of a private venv holding `requirements` (created once)."""
    venv = BENCH / ".bench-venv" / name
    python, marker = venv / "bin" / "python", venv / "requirements.txt"
    if not marker.is_file() or marker.read_text() != "\n".join(requirements):
        print(f"creating {venv} with {' '.join(requirements)} ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *requirements],
                       check=True)
        marker.write_text("\n".join(requirements))
    return python
