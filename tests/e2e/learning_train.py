"""A small demo train (2 teams, 3 finished PIs) stored on SQLite, with the demo users."""

from __future__ import annotations

from tests.conftest import NOW
from trainmaster.bootstrap import App
from trainmaster.domain.access import SYSTEM
from trainmaster.services import auth, demo


def build_learning_train(tm: App) -> dict[str, int]:
    demo.build_demo(tm.uow(), SYSTEM, seed=3, arts=1, teams=2, pis=3, today=NOW.date(), at=NOW)
    with tm.uow() as uow:
        pi = next(p for p in uow.pis.find() if p.start_date <= NOW.date() <= p.end_date)
        return {"art": pi.art_id, "pi": pi.id or 0}


def bearer(tm: App, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {auth.create_token(tm.uow(), SYSTEM, username, at=NOW)}"}
