"""Stories with status histories on top of seed_train, for the metrics end-to-end tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from trainmaster.bootstrap import App
from trainmaster.domain.work_item import ItemLevel, StatusChange, WorkItem

START = date(2026, 11, 2)  # the seeded PI's first day


def _steps() -> list[tuple[str, int | None, list[tuple[str, date]]]]:
    """(key, in the PI?, status steps): 40 stories done before the PI (one a day), 5 done
    in it, 2 in progress, 3 to do."""
    out: list[tuple[str, int | None, list[tuple[str, date]]]] = []
    for n in range(40):
        done = START - timedelta(days=40 - n)
        out.append((f"PAY-{100 + n}", None, [("in_progress", done - timedelta(days=2)),
                                            ("done", done)]))
    for n in range(5):
        done = START + timedelta(days=2 + n * 3)
        out.append((f"PAY-{200 + n}", 1, [("in_progress", done - timedelta(days=4)),
                                         ("blocked", done - timedelta(days=2)), ("done", done)]))
    out += [(f"PAY-{300 + n}", 1, [("in_progress", START)]) for n in range(2)]
    out += [(f"PAY-{400 + n}", 1, []) for n in range(3)]
    return out


def seed_flow(tm: App, train: dict[str, int]) -> None:
    """Add the stories under the seeded feature, in one transaction."""
    with tm.uow() as uow:
        for key, in_pi, steps in _steps():
            story = uow.items.add(WorkItem(
                art_id=train["art"], level=ItemLevel.STORY, key=key, title=f"Story {key}",
                team_id=train["team"], pi_id=train["pi"] if in_pi else None,
                parent_id=train["feature"]))
            previous = "todo"
            uow.status_changes.add(StatusChange(story.id or 0, previous,
                                                datetime(2026, 9, 1, tzinfo=UTC)))
            for status, day in steps:
                uow.status_changes.add(StatusChange(story.id or 0, status, datetime(
                    day.year, day.month, day.day, 12, tzinfo=UTC), previous))
                previous = status
        uow.commit()
