"""The import use case against the in-memory unit of work."""

import dataclasses
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.factories import actor, make_art, make_pi
from tests.fakes import FakeUnitOfWork
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.domain.errors import Conflict, Forbidden, Invalid, NotFound
from trainmaster.domain.objective import Objective
from trainmaster.domain.sync import Link, SourceItem, Sprint, Transition
from trainmaster.integrations.jira_csv import JiraCsvSource
from trainmaster.integrations.mapping import load_mapping
from trainmaster.services import imports

FIXTURES = Path(__file__).parents[2] / "fixtures" / "jira"
MAPPING = load_mapping(FIXTURES / "mapping.toml").mapping
AT = datetime(2026, 11, 24, 9, tzinfo=UTC)


class ListSource:
    """Items held in memory; records the `since` each fetch was asked for."""

    kind, location, scope_text = "jira", "https://train.atlassian.net", "projects=PAY"

    def __init__(self, items):
        self.items = list(items)
        self.asked: list[datetime | None] = []

    def fetch(self, since, progress=None):
        self.asked.append(since)
        return [i for i in self.items if since is None or i.updated >= since]


def issue(key, issue_type="Story", status="To Do", **kw):
    created = kw.pop("created", datetime(2026, 11, 2, 9, tzinfo=UTC))
    history = kw.pop("history", (Transition(created, status),))
    return SourceItem(key=key, title=kw.pop("title", f"Item {key}"), issue_type=issue_type,
                      status=status, created=created, updated=kw.pop("updated", created),
                      project=key.split("-")[0], history=history, **kw)


TRAIN = [
    issue("PAY-1", "Epic", "In Progress"),
    issue("PAY-2", "Feature", "In Progress", parent_key="PAY-1", components=("osprey",),
          fix_versions=("PI 26.4",)),
    issue("OSP-1", points=3, parent_key="PAY-2", status="Done",
          sprints=(Sprint("OSP Sprint 1", datetime(2026, 11, 2, 8, tzinfo=UTC)),),
          history=(Transition(datetime(2026, 11, 2, 9, tzinfo=UTC), "To Do"),
                   Transition(datetime(2026, 11, 3, 9, tzinfo=UTC), "In Progress", "To Do"),
                   Transition(datetime(2026, 11, 6, 9, tzinfo=UTC), "Done", "In Progress"))),
    issue("OSP-2", points=5, parent_key="PAY-2", links=(Link("OSP-1", "OSP-2", "Blocks"),)),
    issue("OSP-3", "Sub-task", parent_key="OSP-2"),
]


@pytest.fixture
def uow():
    uow = FakeUnitOfWork()
    with uow:
        art = uow.arts.add(make_art(key="PAY"))
        pi = uow.pis.add(make_pi(art_id=art.id, name="PI 26.4", start_date=date(2026, 11, 2)))
        uow.iterations.add_all(pi.build_iterations())
        uow.commit()
    return uow


def run(uow, items, **kw):
    return imports.import_items(uow, kw.pop("who", SYSTEM), kw.pop("mapping", MAPPING),
                                ListSource(items), items, at=AT, **kw)


def test_a_first_import_creates_teams_items_histories_and_dependencies(uow):
    report = run(uow, TRAIN)
    assert report.created == {"epic": 1, "feature": 1, "story": 2}
    assert report.teams_created == ["Osprey"]
    assert report.skipped == {"issue type 'Sub-task' not mapped": 1}
    assert report.dependencies_created == 1
    with uow:
        items = {i.key: i for i in uow.items.find()}
        assert items["PAY-2"].status == "implementing"          # a feature's Kanban state
        assert items["OSP-1"].status == "Done" and items["OSP-1"].points == 3
        assert items["OSP-1"].parent_id == items["PAY-2"].id
        assert items["OSP-1"].external_key == "OSP-1"
        history = uow.status_changes.find(item_id=items["OSP-1"].id, order_by="at")
        assert [(h.from_status, h.to_status) for h in history] == [
            (None, "To Do"), ("To Do", "In Progress"), ("In Progress", "Done")]
        dep = uow.dependencies.first()
        assert (dep.provider_id, dep.consumer_id) == (items["OSP-1"].id, items["OSP-2"].id)
        assert uow.external_items.count() == 4


def test_new_items_are_placed_by_sprint_and_fix_version_once(uow):
    run(uow, TRAIN)
    with uow:
        items = {i.key: i for i in uow.items.find()}
        first = uow.iterations.first(index=1)
        assert (items["OSP-1"].pi_id, items["OSP-1"].iteration_id) == (first.pi_id, first.id)
        assert (items["PAY-2"].pi_id, items["PAY-2"].iteration_id) == (first.pi_id, None)
        assert items["PAY-1"].pi_id is None
        assert items["OSP-2"].iteration_id is None


def test_a_dry_run_reports_the_same_and_writes_nothing(uow):
    dry = run(uow, TRAIN, dry_run=True)
    with uow:
        assert uow.items.count() == 0 and uow.sync_sources.count() == 0
    real = run(uow, TRAIN)
    assert dataclasses.replace(dry, dry_run=False) == real


def test_importing_the_same_items_again_changes_nothing(uow):
    run(uow, TRAIN)
    again = run(uow, TRAIN)
    assert again.created == {} and again.updated == 0 and again.unchanged == 4
    assert again.dependencies_created == 0 and again.history_rows == 0
    with uow:
        assert uow.items.count() == 4 and uow.status_changes.count() == 6
        assert uow.dependencies.count() == 1


def test_a_reimport_updates_source_fields_and_keeps_local_planning(uow):
    run(uow, TRAIN)
    with uow:
        feature = uow.items.first(key="PAY-2")
        iteration = uow.iterations.first(index=3)
        feature.iteration_id = iteration.id
        feature.business_value, feature.job_size = 8, 5
        feature.acceptance_criteria = "Links expire after 7 days"
        story = uow.items.first(key="OSP-2")
        story.pi_id, story.iteration_id = iteration.pi_id, iteration.id
        uow.objectives.add(Objective(pi_id=iteration.pi_id, text="Pay by link", planned_bv=8,
                                     feature_ids=[feature.id]))
        uow.commit()
    later = datetime(2026, 11, 20, 9, tzinfo=UTC)
    changed = [dataclasses.replace(TRAIN[1], title="Pay by link (v2)", status="Done",
                                   updated=later, fix_versions=()),
               dataclasses.replace(TRAIN[3], points=8, updated=later, sprints=(
                   Sprint("OSP Sprint 1", datetime(2026, 11, 2, 8, tzinfo=UTC)),))]
    report = run(uow, changed)
    assert report.updated == 2
    assert {c.key: set(c.fields) for c in report.changes} == {
        "PAY-2": {"title", "status", "source_status", "fix_versions"},
        "OSP-2": {"points", "sprints"}}
    with uow:
        feature = uow.items.first(key="PAY-2")
        assert (feature.title, feature.status) == ("Pay by link (v2)", "done")
        assert feature.iteration_id == iteration.id and feature.pi_id == iteration.pi_id
        assert (feature.business_value, feature.job_size) == (8, 5)
        assert feature.acceptance_criteria == "Links expire after 7 days"
        story = uow.items.first(key="OSP-2")
        assert story.points == 8 and story.iteration_id == iteration.id
        assert uow.objectives.first().planned_bv == 8


def test_run_import_asks_only_for_what_changed_since_the_last_sync(uow):
    source = ListSource(TRAIN)
    first = imports.run_import(uow, SYSTEM, MAPPING, source, at=AT)
    assert first.created_total == 4 and source.asked == [None]
    newer = dataclasses.replace(TRAIN[3], title="Send the link", updated=AT + timedelta(hours=2))
    source.items = [*TRAIN[:3], newer, *TRAIN[4:]]
    second = imports.run_import(uow, SYSTEM, MAPPING, source, at=AT + timedelta(days=1))
    assert source.asked == [None, AT]
    assert second.fetched == 1 and second.updated == 1 and second.since == AT
    full = imports.run_import(uow, SYSTEM, MAPPING, source, at=AT + timedelta(days=2), full=True)
    assert source.asked[-1] is None and full.fetched == 5


def test_a_bad_item_half_way_leaves_everything_as_before(uow):
    run(uow, TRAIN)
    before = {n: dict(rows) for n, rows in uow.data.items()}
    bad = [dataclasses.replace(TRAIN[1], title="Renamed", updated=AT),
           issue("OSP-9", points=2), issue("OSP-8", points=-1)]
    with pytest.raises(Invalid, match="must not be negative") as caught:
        run(uow, bad)
    assert caught.value.field == "OSP-8.points"
    with uow:
        assert uow.items.first(key="PAY-2").title == "Item PAY-2"
        assert uow.items.first(key="OSP-9") is None
    assert {n: set(rows) for n, rows in uow.data.items()} == \
        {n: set(rows) for n, rows in before.items()}


def test_a_local_item_with_the_same_key_is_a_conflict_not_a_duplicate(uow):
    with uow:
        art = uow.arts.first(key="PAY")
        from tests.factories import make_story
        uow.items.add(make_story(art_id=art.id, key="OSP-2"))
        uow.commit()
    with pytest.raises(Conflict, match="OSP-2: the ART already has an item with this key"):
        run(uow, TRAIN)


def test_links_that_would_close_a_cycle_are_skipped(uow):
    items = [issue("OSP-1", links=(Link("OSP-1", "OSP-2"),)),
             issue("OSP-2", links=(Link("OSP-2", "OSP-3"),)),
             issue("OSP-3", links=(Link("OSP-3", "OSP-1"),)),
             issue("OSP-4", links=(Link("OSP-4", "OSP-4"), Link("OSP-4", "KES-9")))]
    report = run(uow, items)
    assert report.dependencies_created == 2
    assert report.dependencies_skipped == {"would close a dependency cycle": 1,
                                           "other end not imported": 1}


def test_parents_that_form_a_loop_are_refused(uow):
    items = [issue("OSP-1", parent_key="OSP-2"), issue("OSP-2", parent_key="OSP-1")]
    with pytest.raises(Invalid, match="form a loop"):
        run(uow, items)


def test_importing_needs_the_import_permission_on_the_art(uow):
    with pytest.raises(Forbidden):
        run(uow, TRAIN, who=actor(Role.TEAM_MEMBER))
    report = run(uow, TRAIN, who=actor(Role.PRODUCT_MANAGER))
    assert report.created_total == 4


def test_a_missing_art_is_created_from_the_mapping_by_an_administrator():
    uow = FakeUnitOfWork()
    report = run(uow, TRAIN)
    assert report.art_created
    with uow:
        art = uow.arts.first(key="PAY")
        assert (art.name, art.timezone) == ("Payments ART", "Europe/Berlin")
    with pytest.raises(Forbidden):
        run(FakeUnitOfWork(), TRAIN, who=actor(Role.RTE))
    nameless = dataclasses.replace(MAPPING, art_name="")
    with pytest.raises(NotFound, match="no ART 'PAY'"):
        run(FakeUnitOfWork(), TRAIN, mapping=nameless)


def test_the_sync_state_keeps_the_last_run_and_the_status_classes(uow):
    run(uow, TRAIN)
    assert imports.status_classes(uow, SYSTEM, 1) == {
        "blocked": "waiting", "done": "done", "in progress": "active", "in review": "active"}
    [view] = imports.list_sources(uow, SYSTEM)
    assert view.source.last_sync_at == AT and view.source.item_count == 4 and view.runs == 1


def test_the_csv_export_imports_like_the_api(uow):
    source = JiraCsvSource(FIXTURES / "export_all_fields.csv", MAPPING)
    report = imports.run_import(uow, SYSTEM, MAPPING, source, at=AT)
    assert report.created == {"epic": 1, "feature": 2, "story": 5}
    assert report.dependencies_created == 2
    again = imports.run_import(uow, SYSTEM, MAPPING, source, at=AT)
    assert again.unchanged == 8 and again.created == {}
