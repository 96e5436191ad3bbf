"""The Azure DevOps client over real HTTP against a local Azure DevOps imitation."""

import dataclasses
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.trackers import AzureServer, serve
from trainmaster.domain.errors import Invalid, NotFound
from trainmaster.integrations import azure_devops
from trainmaster.integrations.http import RetryPolicy
from trainmaster.integrations.mapping import load_mapping

FIXTURES = Path(__file__).parents[2] / "fixtures" / "azure"
MAPPING = load_mapping(FIXTURES / "mapping.toml")


def fetch(fake, since=None, *, updates_page=200, page_size=10000, sleeps=None):
    sleeps = [] if sleeps is None else sleeps
    with serve(fake) as url:
        scope = dataclasses.replace(MAPPING.azure, url=url, page_size=page_size)
        source = azure_devops.connect(scope, MAPPING.mapping, "pat",
                                      policy=RetryPolicy(sleep=sleeps.append))
        source.updates_page = updates_page
        try:
            return {i.key: i for i in source.fetch(since)}
        finally:
            source.close()


def test_work_items_come_with_fields_parents_tags_and_sprints():
    items = fetch(AzureServer())
    assert sorted(items) == ["AB#100", "AB#101", "AB#102", "AB#110", "AB#111", "AB#112",
                             "AB#120", "AB#121"]
    story = items["AB#110"]
    assert (story.title, story.issue_type, story.status, story.points) == (
        "Generate the payment link", "User Story", "Closed", 3)
    assert story.parent_key == "AB#101" and story.area_path == "Payments\\Osprey"
    assert story.sprints[0].name == "Sprint 1"
    assert story.sprints[0].start == datetime(2026, 11, 2, tzinfo=UTC)
    assert items["AB#101"].labels == ("PI 26.4", "merchant")
    assert items["AB#101"].description == ("A merchant sends a link; the customer pays by "
                                           "opening it.\nLinks expire after 7 days.")
    assert items["AB#100"].sprints == ()     # the project root is no sprint


def test_the_state_history_comes_from_the_updates():
    items = fetch(AzureServer())
    history = items["AB#110"].history
    assert [(t.from_status, t.to_status) for t in history] == [
        (None, "New"), ("New", "Active"), ("Active", "Resolved"), ("Resolved", "Closed")]
    assert history[-1].at == datetime(2026, 11, 12, 15, 0, 0, 123000, tzinfo=UTC)


def test_updates_are_paged_with_top_and_skip():
    fake = AzureServer()
    items = fetch(fake, updates_page=5)
    assert len(items["AB#120"].history) == 15
    skips = [q["$skip"][0] for _, p, q in fake.requests if p.endswith("/workItems/120/updates")]
    assert skips == ["0", "5", "10", "15"]


def test_dependency_links_become_provider_and_consumer():
    items = fetch(AzureServer())
    pairs = {(link.provider, link.consumer) for i in items.values() for link in i.links}
    assert pairs == {("AB#120", "AB#111")}


def test_wiql_asks_for_the_area_paths_and_what_changed_since_the_last_sync():
    fake = AzureServer()
    since = datetime(2026, 11, 17, 9, 0, tzinfo=UTC)
    items = fetch(fake, since)
    assert sorted(items) == ["AB#111", "AB#112", "AB#120"]
    posts = [(q, b) for (_, p, q), b in zip(fake.requests, fake.bodies, strict=True)
             if p.endswith("/_apis/wit/wiql")]
    query, body = posts[0]
    assert query["timePrecision"] == ["true"]
    assert "[System.AreaPath] UNDER 'Payments'" in body["query"]
    assert "[System.ChangedDate] >= '2026-11-17T08:59:00Z'" in body["query"]


def test_wiql_is_paged_by_id_so_large_projects_are_read_whole():
    fake = AzureServer()
    items = fetch(fake, page_size=3)
    assert len(items) == 8
    assert len(fake.paths("/Payments/_apis/wit/wiql")) == 3


def test_a_throttled_batch_is_retried():
    fake = AzureServer()
    fake.throttle("/Payments/_apis/wit/workitemsbatch", retry_after="2")
    sleeps: list[float] = []
    assert len(fetch(fake, sleeps=sleeps)) == 8
    assert sleeps == [2.0]


def test_a_work_item_without_a_title_is_named():
    fake = AzureServer()
    del fake.items[111]["fields"]["System.Title"]
    with pytest.raises(Invalid) as caught:
        fetch(fake)
    assert caught.value.field == "AB#111.System.Title"


def test_bad_story_points_are_named():
    fake = AzureServer()
    fake.items[120]["fields"]["Microsoft.VSTS.Scheduling.StoryPoints"] = -8
    with pytest.raises(Invalid, match="non-negative") as caught:
        fetch(fake)
    assert caught.value.field == "AB#120.points"


def test_an_unknown_project_is_reported_with_the_servers_message():
    fake = AzureServer()
    with serve(fake) as url:
        scope = dataclasses.replace(MAPPING.azure, url=url, project="Nope")
        source = azure_devops.connect(scope, MAPPING.mapping, "pat")
        with pytest.raises(NotFound, match="VS800075"):
            source.fetch(None)
        source.close()
