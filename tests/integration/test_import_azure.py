"""Azure DevOps over real HTTP into the train, on both databases."""

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import NOW
from tests.trackers import AzureServer, serve
from trainmaster.domain.access import SYSTEM
from trainmaster.domain.art import Art
from trainmaster.domain.pi import Pi
from trainmaster.integrations import azure_devops
from trainmaster.integrations.http import RetryPolicy
from trainmaster.integrations.mapping import load_mapping
from trainmaster.services import imports

MAPPING = load_mapping(Path(__file__).parents[1] / "fixtures" / "azure" / "mapping.toml")


@pytest.fixture
def fake():
    server = AzureServer()
    with serve(server) as url:
        server.url = url
        yield server


def run(tm, fake, *, at=NOW, **kw):
    scope = dataclasses.replace(MAPPING.azure, url=fake.url)
    source = azure_devops.connect(scope, MAPPING.mapping, "pat",
                                  policy=RetryPolicy(sleep=lambda s: None))
    try:
        return imports.run_import(tm.uow(), SYSTEM, MAPPING.mapping, source, at=at, **kw)
    finally:
        source.close()


def test_work_items_come_in_with_teams_iterations_history_and_dependencies(tm, fake):
    with tm.uow() as uow:
        art = uow.arts.add(Art(name="Payments ART", key="PAY", timezone="Europe/Berlin"))
        pi = uow.pis.add(Pi(art_id=art.id, name="PI 26.4", start_date=date(2026, 11, 2)))
        uow.iterations.add_all(pi.build_iterations())
        uow.commit()
    report = run(tm, fake)
    assert report.created == {"epic": 1, "feature": 2, "story": 4}
    assert report.skipped == {"issue type 'Task' not mapped": 1}
    assert report.dependencies_created == 1
    with tm.uow() as uow:
        items = {i.key: i for i in uow.items.find()}
        teams = {t.id: t.name for t in uow.teams.find()}
        assert teams[items["AB#120"].team_id] == "Kestrel"
        assert items["AB#101"].status == "implementing"
        assert items["AB#112"].work_type.value == "defect"
        second = uow.iterations.first(pi_id=pi.id, index=2)
        assert items["AB#111"].iteration_id == second.id           # Sprint 2's dates
        history = uow.status_changes.find(item_id=items["AB#110"].id, order_by="at")
        assert [h.to_status for h in history] == ["New", "Active", "Resolved", "Closed"]


def test_the_next_import_asks_only_for_what_changed(tm, fake):
    run(tm, fake)
    fake.items[102]["fields"]["System.State"] = "Active"
    fake.items[102]["fields"]["System.ChangedDate"] = (NOW + timedelta(hours=3)).isoformat()
    fake.updates["102"].append({"id": 3, "workItemId": 102, "rev": 3,
                                "revisedDate": "9999-01-01T00:00:00Z", "fields": {
                                    "System.State": {"oldValue": "New", "newValue": "Active"},
                                    "System.ChangedDate": {"newValue": fake.items[102]["fields"][
                                        "System.ChangedDate"]}}})
    report = run(tm, fake, at=NOW + timedelta(days=1))
    assert report.fetched == 1 and report.updated == 1
    assert set(report.changes[0].fields) >= {"status", "history"}
    with tm.uow() as uow:
        feature = uow.items.first(key="AB#102")
        assert feature.status == "implementing"
        assert uow.status_changes.count(item_id=feature.id) == 2
