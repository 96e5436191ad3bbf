"""The notes pipeline on the real meetings in TRAINMASTER_EVAL_DATA (skipped without them)."""

from __future__ import annotations

import pytest

from trainmaster.evaluation.notes_corpora import (
    default_data_dir,
    evaluate_summaries,
    load_elitr,
    load_qmsum,
)

pytestmark = pytest.mark.evaluation

DATA = default_data_dir()
ELITR = DATA / "meetings" / "elitr"
QMSUM = DATA / "meetings" / "qmsum_product"


@pytest.mark.skipif(not ELITR.is_dir(), reason=f"ELITR meetings not found in {ELITR} "
                    "(set TRAINMASTER_EVAL_DATA)")
def test_elitr_transcripts_yield_speakers_actions_and_a_summary_scored_against_minutes():
    meetings = load_elitr(DATA)[:2]
    assert meetings and all(m.people for m in meetings)
    report = evaluate_summaries(meetings, "elitr")
    table = report.table("mean")
    assert set(table) == {"LEAD", "TextRank", "TextRank + cues"}
    assert all(0.0 < scores["rouge1"] < 1.0 for scores in table.values())


@pytest.mark.skipif(not QMSUM.is_dir(), reason=f"QMSum meetings not found in {QMSUM} "
                    "(set TRAINMASTER_EVAL_DATA)")
def test_qmsum_meetings_load_with_their_whole_meeting_summary():
    meetings = load_qmsum(DATA)
    assert len(meetings) >= 1
    first = meetings[0]
    assert first.references and len(first.references[0].split()) > 20
    assert "{vocalsound}" not in first.transcript
