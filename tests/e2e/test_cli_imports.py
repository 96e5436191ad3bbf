"""`trainmaster import|export|backup|restore` through the Typer app."""

import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.trackers import JiraServer, serve
from trainmaster import bootstrap
from trainmaster.bootstrap import build
from trainmaster.cli.main import app
from trainmaster.config import Settings
from trainmaster.domain.errors import Invalid
from trainmaster.domain.pi import Pi

FIXTURES = Path(__file__).parents[1] / "fixtures"
runner = CliRunner()


@pytest.fixture
def cli_db(sqlite_tm, monkeypatch):
    monkeypatch.setenv("TRAINMASTER_DATABASE_URL", sqlite_tm.settings.database_url)
    bootstrap.default_app.cache_clear()
    yield sqlite_tm
    bootstrap.default_app.cache_clear()


def invoke(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env=env)


def test_a_dry_run_then_the_import_from_jira(cli_db):
    mapping = str(FIXTURES / "jira" / "mapping.toml")
    with serve(JiraServer()) as url:
        dry = invoke("import", "jira", mapping, "--url", url, "--dry-run",
                     env={"TRAINMASTER_JIRA_TOKEN": "secret"})
        assert dry.exit_code == 0, dry.output
        assert "Dry run, nothing written" in dry.output and "create story" in dry.output
        with cli_db.uow() as uow:
            assert uow.items.count() == 0
        done = invoke("import", "jira", mapping, "--url", url, "--token", "secret", "--json")
    assert done.exit_code == 0, done.output
    report = json.loads(done.output)
    assert report["created"] == {"epic": 1, "feature": 2, "story": 6}
    sources = json.loads(invoke("import", "sources", "--json").output)
    assert sources[0]["art_key"] == "PAY" and sources[0]["source"]["item_count"] == 9


def test_a_jira_import_without_a_token_says_what_is_missing(cli_db):
    result = invoke("import", "jira", str(FIXTURES / "jira" / "mapping.toml"), env={})
    assert isinstance(result.exception, Invalid) and result.exception.field == "token"


def test_csv_imports_and_a_pi_export_as_csv_and_json(cli_db, tmp_path):
    done = invoke("import", "jira-csv", str(FIXTURES / "jira" / "export_all_fields.csv"),
                  "--mapping", str(FIXTURES / "jira" / "mapping.toml"))
    assert done.exit_code == 0, done.output
    assert "Imported" in done.output
    with cli_db.uow() as uow:
        art = uow.arts.first(key="PAY")
        pi = uow.pis.add(Pi(art_id=art.id, name="PI 26.4", start_date=date(2026, 11, 2)))
        for item in uow.items.find(level=["feature", "story"]):
            item.pi_id = pi.id
        uow.commit()
    archive = tmp_path / "pi.zip"
    exported = invoke("export", "--pi", "PI 26.4", "--format", "csv", "-o", str(archive))
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(archive) as z:
        assert sorted(z.namelist()) == ["dependencies.csv", "features.csv", "objectives.csv",
                                        "risks.csv", "stories.csv"]
        first = z.read("dependencies.csv").decode().splitlines()[1]
        # the CSV has no boards, and KES-1 has no component: no team rule names its team
        assert first == "OSP-2,Osprey,KES-1,,unplanned,requested,,,from the tracker link 'Blocks'"
    document = tmp_path / "pi.json"
    as_json = invoke("export", "--pi", "PI 26.4", "--format", "json", "-o", str(document))
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(document.read_text())
    assert [f["key"] for f in data["features"]] == ["PAY-2", "PAY-3"]
    assert data["pi"]["name"] == "PI 26.4" and len(data["stories"]) == 5


def test_an_azure_csv_with_a_wrong_encoding_fails_with_one_clear_error(cli_db, tmp_path):
    bad = tmp_path / "export.csv"
    bad.write_bytes((FIXTURES / "azure" / "query_flat.csv").read_text(encoding="utf-8-sig")
                    .replace("Payments", "Zahlungsverkehr Süd").encode("latin-1"))
    result = invoke("import", "azure-csv", str(bad), "--mapping",
                    str(FIXTURES / "azure" / "mapping.toml"))
    assert isinstance(result.exception, Invalid)
    assert "is not utf-8 text: byte 0xfc" in str(result.exception)
    ok = invoke("import", "azure-csv", str(bad), "--mapping",
                str(FIXTURES / "azure" / "mapping.toml"), "--encoding", "latin-1")
    assert ok.exit_code == 0, ok.output


def test_backup_and_restore_into_a_new_database(cli_db, tmp_path, monkeypatch):
    invoke("import", "jira-csv", str(FIXTURES / "jira" / "export_all_fields.csv"),
           "--mapping", str(FIXTURES / "jira" / "mapping.toml"))
    path = tmp_path / "train.jsonl.gz"
    made = invoke("backup", str(path))
    assert made.exit_code == 0 and "Backed up" in made.output
    target = tmp_path / "target.db"
    build(Settings(database_url=f"sqlite:///{target}", data_dir=tmp_path)).engine.dispose()
    monkeypatch.setenv("TRAINMASTER_DATABASE_URL", f"sqlite:///{target}")
    bootstrap.default_app.cache_clear()
    restored = invoke("restore", str(path))
    assert restored.exit_code == 0, restored.output
    with bootstrap.default_app().uow() as uow:
        assert uow.items.count() == 8
