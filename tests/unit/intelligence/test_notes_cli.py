"""`trainmaster evaluate notes` (the sub-app the root mounts) on the labelled set."""

import json

from typer.testing import CliRunner

from trainmaster.cli.notes_eval import app


def test_the_notes_evaluation_prints_both_halves_of_the_labelled_set():
    result = CliRunner().invoke(app, ["--no-elitr", "--no-qmsum"])
    assert result.exit_code == 0, result.output
    assert "dev half" in result.output and "held-out half" in result.output
    assert "impediments" in result.output and "decisions" in result.output


def test_the_notes_evaluation_prints_json_for_scripts(tmp_path):
    result = CliRunner().invoke(app, ["--no-elitr", "--no-qmsum", "--json"])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output)
    assert set(figures["labelled"]) == {"dev", "heldout"}
    assert 0.0 <= figures["labelled"]["heldout"]["decisions"]["precision"] <= 1.0


def test_missing_meeting_data_is_reported_not_fatal(tmp_path):
    result = CliRunner().invoke(app, ["--no-labelled", "--data", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "skipped ELITR" in result.output and "skipped QMSum" in result.output
