"""The dependency analysis, slip preview and suggestion API, end to end on both engines."""

from typing import Any

import pytest

from tests.factories import AT
from trainmaster.bootstrap import App
from trainmaster.domain.access import SYSTEM, Role
from trainmaster.services import catalog, jobs, suggestions

TEXTS = {
    "PAY-10": ("Falcon", "I1", "Refund endpoint in payments API v2",
               "Expose POST /refunds in the payments API v2 with idempotency keys."),
    "PAY-11": ("Kestrel", "I2", "Refund button on the order page",
               "Customers ask for a refund. Needs the refund endpoint from the payments API v2."),
    "PAY-12": ("Osprey", "I2", "Revenue dashboard",
               "Daily revenue per market. Blocked until the ledger export is deployed."),
    "PAY-13": ("Falcon", "I3", "Ledger export to the data warehouse",
               "Nightly export of ledger entries as parquet files."),
    "PAY-14": ("Kestrel", "I3", "Dark mode for checkout pages", "Offer a dark colour scheme."),
    "PAY-15": ("Osprey", "I4", "Show prices in the shopper's currency",
               "Use the rates from PAY-16 to convert basket totals."),
    "PAY-16": ("Falcon", "I2", "Currency conversion rates feed",
               "Import daily ECB exchange rates into the rates table."),
    "PAY-17": ("Kestrel", "I4", "Reconciliation report",
               "Match bank statements against the ledger export to the data warehouse."),
}


def build_dependencies(tm: App, train: dict[str, int]) -> dict[str, Any]:
    """Three teams, eight planned features; PAY-12 waits on PAY-13 (late), PAY-10 (ok) and
    PAY-1 (unplanned); the texts hide more links for the suggestions to find."""
    def add(name: str, values: dict[str, Any]) -> Any:
        return catalog.create_entity(tm.uow(), SYSTEM, name, values, at=AT)

    teams = {"Osprey": train["team"]}
    for name in ("Falcon", "Kestrel"):
        teams[name] = add("teams", {"art_id": train["art"], "name": name}).id
    its = {i.name: i.id for i in
           catalog.list_entities(tm.uow(), SYSTEM, "iterations", pi_id=train["pi"])}
    items = {"PAY-1": train["feature"]}
    for key, (team, it, title, text) in TEXTS.items():
        items[key] = add("items", {"art_id": train["art"], "level": "feature", "key": key,
                                   "title": title, "description": text, "team_id": teams[team],
                                   "pi_id": train["pi"], "iteration_id": its[it]}).id
    catalog.update_entity(tm.uow(), SYSTEM, "objectives", train["objective"],
                          {"feature_ids": [items["PAY-12"]]}, at=AT)
    for consumer, provider in (("PAY-12", "PAY-13"), ("PAY-12", "PAY-10"), ("PAY-12", "PAY-1")):
        add("dependencies", {"consumer_id": items[consumer], "provider_id": items[provider]})
    return {**train, "teams": teams, "its": its, "items": items}


@pytest.fixture
def deps(tm, train):
    return build_dependencies(tm, train)


def test_a_pis_analysis_gives_states_path_matrix_and_hot_spots(client, headers, deps):
    body = client.get(f"/api/v1/pis/{deps['pi']}/dependencies",
                      headers=headers(Role.VIEWER)).json()
    assert body["counts"] == {"ok": 1, "at_risk": 0, "late": 1, "unplanned": 1}
    late = next(d for d in body["dependencies"] if d["state"] == "late")
    assert (late["consumer"]["key"], late["provider"]["key"], late["iterations_late"]) == (
        "PAY-12", "PAY-13", 1)
    assert body["cycles"] == [] and len(body["critical_path"]["items"]) == 2
    assert {(c["consumer"]["name"], c["provider"]["name"], c["waits"]) for c in
            body["team_matrix"]} == {("Osprey", "Falcon", 2), ("Osprey", "Osprey", 1)}
    assert body["hot_teams"] == [{"team": {"id": deps["teams"]["Falcon"], "name": "Falcon"},
                                  "depended_on": 2}]


def test_the_analysis_filters_by_team_and_covers_an_art_or_everything(client, headers, deps):
    h = headers(Role.VIEWER)
    only = client.get(f"/api/v1/pis/{deps['pi']}/dependencies?team={deps['teams']['Falcon']}",
                      headers=h).json()
    assert {d["provider"]["key"] for d in only["dependencies"]} == {"PAY-13", "PAY-10"}
    art = client.get(f"/api/v1/arts/{deps['art']}/dependencies", headers=h).json()
    assert art["scope"]["kind"] == "art" and len(art["dependencies"]) == 3
    everything = client.get("/api/v1/portfolio/dependencies", headers=h).json()
    assert everything["counts"] == art["counts"]


def test_a_cycle_shows_up_as_an_error(client, headers, deps):
    h = headers(Role.PRODUCT_OWNER)
    client.post("/api/v1/dependencies", json={"consumer_id": deps["items"]["PAY-13"],
                                              "provider_id": deps["items"]["PAY-12"]}, headers=h)
    body = client.get(f"/api/v1/pis/{deps['pi']}/dependencies", headers=h).json()
    assert [sorted(r["key"] for r in c["items"]) for c in body["cycles"]] == [
        ["PAY-12", "PAY-13"]]


def test_a_slip_preview_names_what_turns_red_and_the_objectives_hit(client, headers, deps):
    h = headers(Role.VIEWER)
    url = f"/api/v1/items/{deps['items']['PAY-10']}/slip-preview"
    body = client.get(url, params={"iteration_id": deps["its"]["I3"]}, headers=h).json()
    assert (body["from"], body["to"]) == ("I1", "I3")
    assert [(e["consumer"]["key"], e["before"], e["after"]) for e in body["edge_changes"]] == [
        ("PAY-12", "ok", "late")]
    assert [o["because"] for o in body["objectives"]] == [["PAY-12"]]
    later = client.get(f"/api/v1/items/{deps['items']['PAY-13']}/slip-preview",
                       params={"iteration_id": deps["its"]["I4"]}, headers=h).json()
    assert [(a["item"]["key"], a["planned"], a["earliest"], a["must_move"])
            for a in later["affected"]] == [("PAY-12", "I2", "IP", True)]
    wrong = client.get(url, params={"iteration_id": 999999}, headers=h)
    assert wrong.status_code == 422 and wrong.json()["detail"][0]["loc"] == [
        "body", "iteration_id"]
    assert client.get("/api/v1/items/999999/slip-preview", headers=h).status_code == 404


def test_suggestions_are_found_accepted_as_requests_and_rejections_stick(client, headers, deps):
    h = headers(Role.PRODUCT_OWNER)
    url = f"/api/v1/pis/{deps['pi']}/dependencies/suggestions"
    first = client.post(url, json={"top_k": 10}, headers=h)
    assert first.status_code == 200 and first.json()["status"] == "done"
    found = {(s["consumer"]["key"], s["provider"]["key"]): s for s in first.json()["suggestions"]}
    accept = found[("PAY-11", "PAY-10")]
    assert accept["reasons"] and accept["consumer"]["team"] == "Kestrel"
    done = client.post(f"/api/v1/dependency-suggestions/{accept['id']}/accept", headers=h)
    assert done.status_code == 200 and done.json()["status"] == "accepted"
    recorded = client.get("/api/v1/dependencies", params={
        "consumer_id": deps["items"]["PAY-11"]}, headers=h).json()
    assert [(d["provider_id"], d["agreement"]) for d in recorded] == [
        (deps["items"]["PAY-10"], "requested")]
    others = [s for s in first.json()["suggestions"] if s["id"] != accept["id"]]
    for s in others:
        assert client.post(f"/api/v1/dependency-suggestions/{s['id']}/reject",
                           headers=h).status_code == 200
    again = client.post(url, json={"top_k": 10}, headers=h).json()
    assert again["suggestions"] == [] and again["rejected"] == len(others)
    listed = client.get(url, headers=headers(Role.VIEWER)).json()
    assert listed["accepted"] == 1 and listed["run"]["items"] == len(TEXTS) + 1


def test_a_big_backlog_is_searched_by_a_background_job(client, headers, deps, tm,
                                                        monkeypatch):
    monkeypatch.setattr(suggestions, "INLINE_TEXTS", -1)
    h = headers(Role.PRODUCT_OWNER)
    queued = client.post(f"/api/v1/arts/{deps['art']}/dependencies/suggestions", headers=h)
    assert queued.status_code == 202
    job_id = queued.json()["job"]["id"]
    finished = jobs.run_next_job(tm.uow, tm.clock, data_dir=tm.settings.data_dir)
    assert finished.id == job_id and finished.status.value == "done", finished.message
    assert client.get(f"/api/v1/jobs/{job_id}", headers=h).json()["progress"] == 1.0
    listed = client.get(f"/api/v1/arts/{deps['art']}/dependencies/suggestions",
                        headers=h).json()
    assert listed["run"]["proposed"] == len(listed["suggestions"]) > 0
    assert (tm.settings.data_dir / suggestions.CACHE_FILE).is_file()


def test_viewers_may_read_but_not_search_or_decide(client, headers, deps):
    h = headers(Role.VIEWER)
    url = f"/api/v1/pis/{deps['pi']}/dependencies/suggestions"
    assert client.post(url, headers=h).status_code == 403
    assert client.get(url, headers=h).status_code == 200
    assert client.post("/api/v1/dependency-suggestions/1/reject", headers=h).status_code in (
        403, 404)
