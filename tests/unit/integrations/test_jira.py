"""The Jira client over real HTTP against a local Jira Cloud imitation."""

import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.trackers import JiraServer, serve
from trainmaster.domain.errors import Invalid
from trainmaster.integrations import jira
from trainmaster.integrations.http import RetryPolicy
from trainmaster.integrations.mapping import load_mapping

FIXTURES = Path(__file__).parents[2] / "fixtures" / "jira"
MAPPING = load_mapping(FIXTURES / "mapping.toml")
SLEEPS: list[float] = []


def fetch(fake, since=None, **scope_changes):
    with serve(fake) as url:
        scope = dataclasses.replace(MAPPING.jira, url=url, **scope_changes)
        source = jira.connect(scope, MAPPING.mapping, "token",
                              policy=RetryPolicy(sleep=SLEEPS.append))
        try:
            return {i.key: i for i in source.fetch(since)}, source
        finally:
            source.close()


def test_every_issue_of_the_projects_and_the_board_comes_with_its_fields():
    items, _ = fetch(JiraServer())
    assert sorted(items) == ["KES-1", "KES-2", "KES-3", "OSP-1", "OSP-2", "OSP-3", "OSP-4",
                             "PAY-1", "PAY-2", "PAY-3"]
    osp1 = items["OSP-1"]
    assert (osp1.title, osp1.issue_type, osp1.status) == ("Generate the payment link", "Story",
                                                          "Done")
    assert osp1.points == 3 and osp1.parent_key == "PAY-2" and osp1.project == "OSP"
    assert [s.name for s in osp1.sprints] == ["OSP Sprint 1"]
    assert osp1.sprints[0].start == datetime(2026, 11, 2, 8, tzinfo=UTC)
    assert items["PAY-2"].fix_versions == ("PI 26.4",) and items["PAY-2"].components == ("osprey",)
    assert items["PAY-2"].description.splitlines()[1] == "Links expire after 7 days."
    assert items["OSP-3"].labels == ("customer", "escalated")
    assert items["KES-1"].boards == (14,) and items["OSP-1"].boards == ()


def test_story_points_come_from_whichever_points_field_the_issue_uses():
    items, _ = fetch(JiraServer())
    assert items["OSP-2"].points == 5        # team-managed "Story point estimate"
    assert items["KES-1"].points == 8        # company-managed "Story Points"
    assert items["PAY-1"].points is None


def test_the_points_field_is_discovered_by_name_not_by_id(tmp_path):
    fields = json.loads((FIXTURES / "fields.json").read_text())
    for f in fields:
        if f["name"] == "Story Points":
            f["id"] = f["key"] = "customfield_12345"
    issues = json.loads((FIXTURES / "issues.json").read_text())
    for i in issues:
        i["fields"]["customfield_12345"] = i["fields"].pop("customfield_10028")
    for name in ("myself.json", "board_14_configuration.json", "filter_10040.json"):
        (tmp_path / name).write_text((FIXTURES / name).read_text())
    (tmp_path / "fields.json").write_text(json.dumps(fields))
    items, _ = fetch(JiraServer(issues, fixtures=tmp_path))
    assert items["KES-1"].points == 8


def test_a_jira_without_the_named_points_field_says_which_name_to_set():
    with pytest.raises(Invalid, match="no field named 'Velocity'") as caught:
        fetch(JiraServer(), story_points=("Velocity",))
    assert caught.value.field == "story_points"


def test_the_status_history_starts_at_creation_and_follows_the_changelog():
    items, _ = fetch(JiraServer())
    history = [(t.from_status, t.to_status) for t in items["OSP-1"].history]
    assert history == [(None, "To Do"), ("To Do", "In Progress"), ("In Progress", "In Review"),
                       ("In Review", "Done")]
    assert items["OSP-1"].history[0].at == items["OSP-1"].created
    assert [t.to_status for t in items["OSP-4"].history] == ["To Do"]


def test_a_cut_changelog_is_paged_in_from_the_changelog_endpoint():
    fake = JiraServer(embedded_changelog=5, changelog_page=50)
    items, _ = fetch(fake)
    assert len(items["KES-1"].history) == 122       # creation + 121 status changes
    assert fake.paths("/rest/api/3/issue/KES-1/changelog") == \
        ["/rest/api/3/issue/KES-1/changelog"] * 3
    assert not fake.paths("/rest/api/3/issue/OSP-1/changelog")


def test_search_pages_follow_the_next_page_token():
    fake = JiraServer(page_size=2)
    items, _ = fetch(fake)
    assert len(items) == 10
    searches = [q for _, p, q in fake.requests if p == "/rest/api/3/search/jql"]
    assert len(searches) == 2 + 4         # board KES: 3 issues, projects PAY+OSP: 7 issues
    assert "nextPageToken" not in searches[0] and "nextPageToken" in searches[1]
    assert searches[0]["expand"] == ["changelog"]
    assert "customfield_10028" in searches[0]["fields"][0].split(",")


def test_a_jira_without_enhanced_search_is_paged_by_start_at():
    fake = JiraServer(page_size=2, enhanced_search=False)
    items, _ = fetch(fake)
    assert len(items) == 10
    starts = [q["startAt"][0] for _, p, q in fake.requests if p == "/rest/api/3/search"]
    assert starts == ["0", "2", "0", "2", "4", "6"]


def test_a_boards_filter_is_read_and_its_order_by_dropped():
    fake = JiraServer()
    fetch(fake)
    jqls = [q["jql"][0] for _, p, q in fake.requests if p == "/rest/api/3/search/jql"]
    assert jqls[0] == "(project = KES) ORDER BY created ASC"
    assert jqls[-1] == 'project in ("PAY", "OSP") ORDER BY created ASC'


def test_only_issues_updated_since_the_last_sync_are_asked_for():
    fake = JiraServer()
    since = datetime(2026, 11, 17, 8, 30, tzinfo=UTC)        # 09:30 in Berlin
    items, _ = fetch(fake, since=since)
    assert sorted(items) == ["KES-1", "OSP-2", "OSP-3"]
    jqls = [q["jql"][0] for _, p, q in fake.requests if p == "/rest/api/3/search/jql"]
    assert all('updated >= "2026-11-17 09:29"' in j for j in jqls)


def test_dependencies_come_from_blocks_and_dependency_links_only():
    items, _ = fetch(JiraServer())
    pairs = {(link.provider, link.consumer, link.kind) for i in items.values()
             for link in i.links}
    assert pairs == {("KES-1", "OSP-2", "Blocks"), ("KES-1", "KES-2", "Dependency")}


def test_rate_limited_searches_are_retried_and_the_import_goes_on():
    fake = JiraServer()
    fake.throttle("/rest/api/3/search/jql", times=2, retry_after="7")
    SLEEPS.clear()
    items, source = fetch(fake)
    assert len(items) == 10 and SLEEPS == [7.0, 7.0]


def test_a_malformed_issue_is_named_with_its_field():
    fake = JiraServer()
    fake.issues["OSP-2"]["fields"]["customfield_10016"] = "five"
    with pytest.raises(Invalid, match="'five' is not a number") as caught:
        fetch(fake)
    assert caught.value.field == "OSP-2.Story point estimate"


def test_an_issue_without_status_is_named():
    fake = JiraServer()
    del fake.issues["PAY-3"]["fields"]["status"]
    with pytest.raises(Invalid) as caught:
        fetch(fake)
    assert caught.value.field == "PAY-3.status"


def test_a_broken_time_stamp_is_named():
    fake = JiraServer()
    fake.issues["KES-2"]["fields"]["created"] = "23/10/2026"
    with pytest.raises(Invalid, match="not an ISO 8601 time stamp") as caught:
        fetch(fake)
    assert caught.value.field == "KES-2.created"


def test_a_scope_without_projects_boards_or_jql_is_refused():
    with pytest.raises(Invalid, match="name projects, boards or a jql"):
        fetch(JiraServer(), projects=(), boards=())


def test_an_api_token_needs_the_email_that_goes_with_it():
    scope = dataclasses.replace(MAPPING.jira, email=None)
    with pytest.raises(Invalid, match="e-mail"):
        jira.connect(scope, MAPPING.mapping, "token")
    jira.connect(scope, MAPPING.mapping, "token", bearer=True).close()
