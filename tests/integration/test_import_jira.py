"""Journey 5 on both databases: Jira over real HTTP into the train, then again tomorrow."""

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import NOW
from tests.trackers import JiraServer, serve
from trainmaster.domain.access import SYSTEM
from trainmaster.domain.errors import Invalid
from trainmaster.domain.objective import Objective
from trainmaster.domain.pi import Pi
from trainmaster.domain.risk import Risk, Roam
from trainmaster.integrations import jira
from trainmaster.integrations.http import RetryPolicy
from trainmaster.integrations.mapping import load_mapping
from trainmaster.services import imports
from trainmaster.storage.schema import all_metadata

FIXTURES = Path(__file__).parents[1] / "fixtures" / "jira"
MAPPING = load_mapping(FIXTURES / "mapping.toml")


@pytest.fixture
def fake():
    """One Jira for the whole test, so re-imports come from the same place."""
    server = JiraServer()
    with serve(server) as url:
        server.url = url
        yield server


def run(tm, fake, *, at=NOW, mapping=MAPPING.mapping, **kw):
    scope = dataclasses.replace(MAPPING.jira, url=fake.url)
    source = jira.connect(scope, mapping, "token", policy=RetryPolicy(sleep=lambda s: None))
    try:
        return imports.run_import(tm.uow(), SYSTEM, mapping, source, at=at, **kw)
    finally:
        source.close()


def rows(tm) -> dict[str, int]:
    with tm.engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t))
                for t in all_metadata().sorted_tables}


def test_a_first_import_brings_the_train_in(tm, fake):
    fake.page_size = 4
    progress: list[tuple[str, int, int | None]] = []
    report = run(tm, fake, progress=lambda *a: progress.append(a))
    assert report.created == {"epic": 1, "feature": 2, "story": 6}
    assert report.teams_created == ["Kestrel", "Osprey"] and report.dependencies_created == 2
    assert ("fetch", 10, 10) in progress
    assert progress[-1][0] == "store" and progress[-1][1] == progress[-1][2]
    with tm.uow() as uow:
        items = {i.key: i for i in uow.items.find()}
        teams = {t.id: t.name for t in uow.teams.find()}
        assert teams[items["KES-1"].team_id] == "Kestrel"        # from board 14
        assert teams[items["PAY-2"].team_id] == "Osprey"         # from its component
        assert items["PAY-3"].status == "funnel"
        assert uow.status_changes.count(item_id=items["KES-1"].id) == 122
        assert uow.external_items.first(item_id=items["OSP-2"].id).sprints == [
            "OSP Sprint 1", "OSP Sprint 2"]


def test_a_dry_run_shows_the_counts_and_writes_nothing(tm, fake):
    before = rows(tm)
    report = run(tm, fake, dry_run=True)
    assert report.created_total == 9 and report.art_created
    assert rows(tm) == before


def test_tomorrows_import_brings_only_what_changed_and_keeps_local_planning(tm, fake):
    run(tm, fake)
    with tm.uow() as uow:
        art = uow.arts.first(key="PAY")
        pi = uow.pis.add(Pi(art_id=art.id, name="PI 26.4", start_date=date(2026, 11, 2)))
        uow.iterations.add_all(pi.build_iterations())
        feature = uow.items.first(key="PAY-2")
        it3 = uow.iterations.first(pi_id=pi.id, index=3)
        feature.pi_id, feature.iteration_id, feature.business_value = pi.id, it3.id, 13
        uow.objectives.add(Objective(pi_id=pi.id, text="Pay by link live", planned_bv=9,
                                     feature_ids=[feature.id]))
        uow.risks.add(Risk(art_id=art.id, title="Card scheme certification", roam=Roam.OWNED))
        uow.commit()
        pi_id, it3_id = pi.id, it3.id
    changed = fake.issues["PAY-2"]
    changed["fields"]["summary"] = "Pay by link for every merchant"
    changed["fields"]["updated"] = (NOW + timedelta(hours=20)).strftime(
        "%Y-%m-%dT%H:%M:%S.000+0000")
    fake.requests.clear()
    report = run(tm, fake, at=NOW + timedelta(days=1))
    assert report.fetched == 1 and report.updated == 1 and report.created == {}
    searches = [q["jql"][0] for _, p, q in fake.requests if p == "/rest/api/3/search/jql"]
    assert all('updated >= "2026-11-24 09:59"' in j for j in searches)      # Berlin time
    with tm.uow() as uow:
        feature = uow.items.first(key="PAY-2")
        assert feature.title == "Pay by link for every merchant"
        assert (feature.pi_id, feature.iteration_id, feature.business_value) == (pi_id, it3_id,
                                                                                 13)
        assert uow.objectives.first().planned_bv == 9
        assert uow.risks.first().roam is Roam.OWNED
        assert uow.items.count() == 9


def test_an_import_that_fails_half_way_leaves_the_database_as_it_was(tm, fake):
    run(tm, fake)
    before = rows(tm)
    fake.issues["PAY-1"]["fields"]["summary"] = "Renamed epic"
    fake.issues["OSP-4"]["fields"]["customfield_10028"] = -2
    with pytest.raises(Invalid, match="not a non-negative number") as caught:
        run(tm, fake, full=True)
    assert caught.value.field == "OSP-4.Story Points"
    fake.issues["OSP-4"]["fields"]["customfield_10028"] = 2
    fake.issues["OSP-4"]["fields"]["status"]["name"] = "x" * 70
    renamed = dataclasses.replace(MAPPING.mapping, teams=(
        dataclasses.replace(MAPPING.mapping.teams[0], name="Osprey Squad"),
        *MAPPING.mapping.teams[1:]))
    with pytest.raises(Invalid, match="at most 64") as caught:   # after creating a team
        run(tm, fake, full=True, mapping=renamed)
    assert caught.value.field == "OSP-4.status"
    assert rows(tm) == before
    with tm.uow() as uow:
        assert uow.items.first(key="PAY-1").title == "Instant payments"
        assert [t.name for t in uow.teams.find(order_by="name")] == ["Kestrel", "Osprey"]
