from trainmaster.domain.access import Role


def test_arts_are_listed_for_a_token_holder(client, headers, train):
    response = client.get("/api/v1/arts", headers=headers(Role.VIEWER))
    assert response.status_code == 200
    assert [a["key"] for a in response.json()] == ["PAY"]


def test_calls_without_credentials_are_refused(client, train):
    assert client.get("/api/v1/arts").status_code == 401
    assert client.get("/api/v1/arts", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_create_read_update_delete_a_feature(client, headers, train):
    h = headers(Role.PRODUCT_OWNER)
    body = {"art_id": train["art"], "level": "feature", "key": "PAY-2", "title": "Refunds",
            "team_id": train["team"], "business_value": 5, "job_size": 3}
    created = client.post("/api/v1/items", json=body, headers=h)
    assert created.status_code == 201, created.text
    item_id = created.json()["id"]
    assert client.get(f"/api/v1/items/{item_id}", headers=h).json()["title"] == "Refunds"
    patched = client.patch(f"/api/v1/items/{item_id}", json={"title": "Refunds v2"}, headers=h)
    assert patched.json()["title"] == "Refunds v2"
    refused = client.patch(f"/api/v1/items/{item_id}", json={"status": "analyzing"}, headers=h)
    assert refused.status_code == 422 and "Kanban" in refused.json()["detail"][0]["msg"]
    story = client.post("/api/v1/items", headers=h, json={
        "art_id": train["art"], "level": "story", "key": "PAY-3", "title": "Refund API",
        "parent_id": item_id}).json()
    client.patch(f"/api/v1/items/{story['id']}", json={"status": "in_progress"}, headers=h)
    history = client.get(f"/api/v1/items/{story['id']}/history", headers=h).json()
    assert [(c["from"], c["to"]) for c in history] == [(None, "todo"), ("todo", "in_progress")]
    client.delete(f"/api/v1/items/{story['id']}", headers=h)
    assert client.delete(f"/api/v1/items/{item_id}", headers=h).status_code == 204
    assert client.get(f"/api/v1/items/{item_id}", headers=h).status_code == 404


def test_unknown_ids_give_404(client, headers, train):
    response = client.get("/api/v1/risks/4242", headers=headers(Role.RTE))
    assert response.status_code == 404
    assert "4242" in response.json()["detail"]


def test_invalid_input_gives_422_with_field_and_reason(client, headers, train):
    h = headers(Role.PRODUCT_OWNER)
    body = {"art_id": train["art"], "level": "story", "key": "S-1", "title": "x", "points": -3}
    response = client.post("/api/v1/items", json=body, headers=h)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "points"] and "negative" in error["msg"]


def test_schema_errors_give_422_naming_the_field(client, headers, train):
    response = client.post("/api/v1/teams", json={"art_id": "many", "name": "Heron"},
                           headers=headers(Role.RTE))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "art_id"]


def test_a_viewer_gets_403_and_nothing_changes(client, headers, train):
    h = headers(Role.VIEWER)
    response = client.patch(f"/api/v1/items/{train['feature']}", json={"title": "Hacked"},
                            headers=h)
    assert response.status_code == 403
    stored = client.get(f"/api/v1/items/{train['feature']}", headers=h).json()
    assert stored["title"] == "Pay by link"


def test_only_a_business_owner_sets_business_value(client, headers, train):
    url = f"/api/v1/objectives/{train['objective']}"
    refused = client.patch(url, json={"planned_bv": 9}, headers=headers(Role.RTE))
    assert refused.status_code == 403
    assert client.get(url, headers=headers(Role.RTE)).json()["planned_bv"] is None
    accepted = client.patch(url, json={"planned_bv": 9}, headers=headers(Role.BUSINESS_OWNER))
    assert accepted.status_code == 200 and accepted.json()["planned_bv"] == 9


def test_openapi_describes_every_entity(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for name in ("arts", "teams", "people", "pis", "items", "dependencies", "risks",
                 "objectives", "events", "impediments", "actions"):
        assert f"/api/v1/{name}" in paths and f"/api/v1/{name}/{{id}}" in paths


def test_filters_are_checked(client, headers, train):
    h = headers(Role.RTE)
    assert len(client.get(f"/api/v1/items?team_id={train['team']}", headers=h).json()) == 1
    bad = client.get("/api/v1/items?colour=red", headers=h)
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "colour"]


def test_a_filter_may_be_called_name(client, headers, train):
    found = client.get("/api/v1/teams?name=Osprey", headers=headers(Role.VIEWER))
    assert found.status_code == 200 and [t["name"] for t in found.json()] == ["Osprey"]
