"""Meeting notes → summary, decisions, action items, risks and impediments.

    parse_notes(text, meeting_date=…, people=…, teams=…, features=…) -> NotesAnalysis

Plain text, Markdown and WebVTT transcripts (with speakers) are read by rules and an
extractive ranker, offline. Every proposal cites its sentence (index, character span,
speaker and timestamp). `OpenAICompatibleBackend` asks a configured chat-completions
endpoint instead and returns the same structure.
"""

from trainmaster.intelligence.notes.analysis import detect_format, parse_notes
from trainmaster.intelligence.notes.dates import parse_due
from trainmaster.intelligence.notes.llm import NotesBackendError, OpenAICompatibleBackend
from trainmaster.intelligence.notes.model import (
    ActionProposal,
    DecisionProposal,
    DuePhrase,
    FeatureRef,
    ImpedimentProposal,
    IterationRef,
    Mention,
    MilestoneRef,
    NotesAnalysis,
    NotesFormat,
    Owner,
    PersonRef,
    RiskProposal,
    Source,
    SummaryPoint,
    TeamRef,
)
from trainmaster.intelligence.notes.people import NameIndex
from trainmaster.intelligence.notes.summary import Embedder, SummaryOptions

__all__ = [
    "ActionProposal", "DecisionProposal", "DuePhrase", "Embedder", "FeatureRef",
    "ImpedimentProposal", "IterationRef", "Mention", "MilestoneRef", "NameIndex",
    "NotesAnalysis", "NotesBackendError", "NotesFormat", "OpenAICompatibleBackend", "Owner",
    "PersonRef", "RiskProposal", "Source", "SummaryOptions", "SummaryPoint", "TeamRef",
    "detect_format", "parse_due", "parse_notes",
]
