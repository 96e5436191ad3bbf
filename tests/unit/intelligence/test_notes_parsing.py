"""Reading WebVTT, Markdown, plain text and speaker transcripts, with spans kept."""

from datetime import date

from trainmaster.intelligence.notes import NotesFormat, detect_format, parse_notes

DAY = date(2025, 3, 20)

VTT = """WEBVTT
Kind: captions

NOTE recorded by the meeting bot

1
00:00:01.000 --> 00:00:05.500
<v Katherine Ng>Okay, let's start. We closed four stories.</v>

00:00:05.500 --> 00:00:09.000
<v Grace Adeyemi>We got the GPU quota bumped,

00:00:09.000 --> 00:00:12.000
<v Grace Adeyemi>so training runs again.

00:00:12.500 --> 00:00:20.000
Lars Eriksson: Kestrel is blocked by the
missing sandbox credentials.
"""


def test_vtt_is_detected_and_read_with_speakers_and_timestamps():
    analysis = parse_notes(VTT, meeting_date=DAY)
    assert analysis.format is NotesFormat.VTT
    assert [(s.speaker, s.timestamp, s.sentence) for s in analysis.sentences] == [
        ("Katherine Ng", "00:00:01.000", "Okay, let's start."),
        ("Katherine Ng", "00:00:01.000", "We closed four stories."),
        ("Grace Adeyemi", "00:00:05.500", "We got the GPU quota bumped, so training runs again."),
        ("Lars Eriksson", "00:00:12.500",
         "Kestrel is blocked by the missing sandbox credentials."),
    ]
    assert analysis.speakers == ("Katherine Ng", "Grace Adeyemi", "Lars Eriksson")


def test_every_sentence_span_points_at_its_text_in_the_input():
    analysis = parse_notes(VTT, meeting_date=DAY)
    for source in analysis.sentences:
        raw = VTT[source.start:source.end]
        assert raw.startswith(source.sentence.split()[0])
        assert raw.endswith(source.sentence.split()[-1])
    joined = analysis.sentences[2]
    assert "00:00:09.000 -->" in VTT[joined.start:joined.end]  # a sentence across two cues


def test_a_proposal_cites_the_sentence_with_its_speaker_and_time():
    [impediment] = parse_notes(VTT, meeting_date=DAY).impediments
    assert impediment.source.speaker == "Lars Eriksson"
    assert impediment.source.timestamp == "00:00:12.500"
    assert impediment.source.index == 3


def test_formats_are_told_apart():
    assert detect_format("WEBVTT\n\n00:00.000 --> 00:01.000\nhi") is NotesFormat.VTT
    assert detect_format("Alice: hi\nBob: hello\nAlice: bye\n") is NotesFormat.TRANSCRIPT
    assert detect_format("(Alice) hi\nhow are you\n(Bob) fine\n") is NotesFormat.TRANSCRIPT
    assert detect_format("# Sync\n- Tom to fix it\n") is NotesFormat.MARKDOWN
    assert detect_format("We met and agreed to ship.") is NotesFormat.PLAIN
    assert detect_format("Decision: ship it\nAction: Tom to fix it\n") is NotesFormat.PLAIN


def test_transcript_lines_without_a_speaker_continue_the_last_speaker():
    text = "(Alice) We need a plan.\nI will draft it tomorrow.\n(Bob) Fine.\n"
    analysis = parse_notes(text, meeting_date=DAY)
    assert [s.speaker for s in analysis.sentences] == ["Alice", "Alice", "Bob"]


def test_markdown_headings_bullets_and_emphasis_are_read():
    text = "## Decisions\n- **Staging freeze** starts Thursday.\n\n## Risks\n* Vendor may slip.\n"
    analysis = parse_notes(text, meeting_date=DAY)
    assert [s.sentence for s in analysis.sentences] == [
        "Staging freeze starts Thursday.", "Vendor may slip."]
    assert analysis.sentences[0].section == "Decisions"
    assert [d.text for d in analysis.decisions] == ["Staging freeze starts Thursday."]
    assert [r.text for r in analysis.risks] == ["Vendor may slip."]


def test_table_cells_are_sentences_named_by_their_column():
    text = ("| Team | Impediments |\n|---|---|\n| Kestrel | waiting for test accounts |\n"
            "| Osprey | none |\n")
    analysis = parse_notes(text, meeting_date=DAY)
    assert [i.text for i in analysis.impediments] == ["Waiting for test accounts"]


def test_wrapped_lines_of_a_paragraph_form_one_sentence():
    text = "Tom will rotate the\ncertificates on staging\nby Friday.\n"
    [action] = parse_notes(text, meeting_date=DAY).actions
    assert action.source.sentence == "Tom will rotate the certificates on staging by Friday."
    assert action.due == date(2025, 3, 21)


def test_sentences_are_not_split_after_initials_or_abbreviations():
    text = "Tom and Sam P. are on it, e.g. the build. Next topic."
    sentences = [s.sentence for s in parse_notes(text, meeting_date=DAY).sentences]
    assert sentences == ["Tom and Sam P. are on it, e.g. the build.", "Next topic."]
