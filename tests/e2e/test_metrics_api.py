import pytest

from tests.e2e.conftest import login
from tests.e2e.metrics_train import seed_flow
from trainmaster.domain.access import Role


@pytest.fixture
def flow(tm, train):
    seed_flow(tm, train)
    return train


def test_metrics_api_returns_flow_metrics_and_chart_data(client, headers, flow):
    response = client.get("/api/v1/arts/PAY/metrics", headers=headers(Role.VIEWER))
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["scope"]["pi"] == "PI 26.4" and data["scope"]["end"] == "2026-11-24"
    assert data["metrics"]["velocity"]["total"] == 5
    assert data["metrics"]["flow_time_days"]["percentiles"]["50"] == 4.0
    assert data["metrics"]["load"]["at_end"] == 2
    assert data["charts"]["burn_up"]["scope"][-1] == 10
    assert sorted(data["charts"]["aging"]["keys"]) == ["PAY-300", "PAY-301"]


def test_metrics_api_for_a_team_and_the_last_90_days(client, headers, flow):
    response = client.get("/api/v1/arts/PAY/metrics?team=osprey&pi=none",
                          headers=headers(Role.VIEWER))
    data = response.json()
    assert data["scope"]["team"] == "Osprey" and data["scope"]["pi"] is None
    assert data["metrics"]["velocity"]["total"] == 45


def test_unknown_team_is_404(client, headers, flow):
    response = client.get("/api/v1/arts/PAY/metrics?team=Nope", headers=headers(Role.VIEWER))
    assert response.status_code == 404 and "Nope" in response.text


def test_forecast_api_states_likelihood_sample_and_backtest(client, headers, flow):
    response = client.get("/api/v1/arts/PAY/forecast?trials=2000",
                          headers=headers(Role.VIEWER))
    assert response.status_code == 200, response.text
    data = response.json()
    assert (data["total"], data["done"], data["remaining"]) == (10, 5, 5)
    assert data["deadline"] == "2027-01-10" and data["when"]["trials"] == 2000
    assert data["sentence"].startswith("rest of PI 26.4 scope: ")
    assert data["sample"]["method"] == "mixed-windows"


def test_forecast_of_a_feature_by_key(client, headers, flow):
    data = client.get("/api/v1/arts/PAY/forecast?item=PAY-1&trials=1000",
                      headers=headers(Role.VIEWER)).json()
    assert data["kind"] == "feature" and data["remaining"] == 5 and data["total"] == 50


@pytest.mark.parametrize(("fmt", "media", "magic"), [
    ("md", "text/markdown", b"# Payments ART"), ("html", "text/html", b"<!doctype html>"),
    ("pdf", "application/pdf", b"%PDF-")])
def test_report_downloads_in_each_format(client, headers, flow, fmt, media, magic):
    response = client.get(f"/api/v1/pis/{flow['pi']}/report?format={fmt}",
                          headers=headers(Role.VIEWER))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert response.headers["content-disposition"] == (
        f'attachment; filename="report-pi-26-4.{fmt}"')
    assert response.content.startswith(magic)


def test_report_needs_a_caller(client, flow):
    assert client.get(f"/api/v1/pis/{flow['pi']}/report").status_code == 401


def test_dashboard_page_loads_plotly_locally_and_embeds_its_numbers(client, flow):
    login(client, Role.VIEWER)
    page = client.get("/arts/PAY/dashboard")
    assert page.status_code == 200, page.text
    assert '<script src="/vendor/plotly.min.js" defer></script>' in page.text
    assert 'id="metrics-data"' in page.text and 'data-chart="cfd"' in page.text
    assert "rest of PI 26.4 scope" in page.text
    assert '/arts/PAY/dashboard">Dashboard</a>' in page.text
    script = client.get("/vendor/plotly.min.js")
    assert script.status_code == 200 and len(script.content) > 1_000_000
