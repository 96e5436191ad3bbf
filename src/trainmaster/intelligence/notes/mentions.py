"""Teams and features named in the notes: team names, feature keys and feature titles."""

from __future__ import annotations

import re
from collections.abc import Sequence

from trainmaster.intelligence.notes.model import FeatureRef, Mention
from trainmaster.intelligence.notes.people import NameIndex
from trainmaster.intelligence.notes.sentences import Sentence


def _feature_patterns(features: Sequence[FeatureRef]) -> list[tuple[re.Pattern[str], FeatureRef]]:
    patterns = []
    for feature in features:
        forms = [re.escape(feature.key)] if feature.key else []
        if len(feature.title.split()) >= 2 or len(feature.title) >= 8:
            forms.append(r"\s+".join(re.escape(word) for word in feature.title.split()))
        if forms:
            pattern = re.compile(rf"(?<![\w-])(?:{'|'.join(forms)})(?![\w-])", re.IGNORECASE)
            patterns.append((pattern, feature))
    return patterns


def find_mentions(sentences: Sequence[Sentence], names: NameIndex,
                  features: Sequence[FeatureRef]) -> tuple[list[Mention], list[Mention]]:
    """Team mentions and feature mentions, each with the sentence it occurs in."""
    teams: list[Mention] = []
    found: list[Mention] = []
    patterns = _feature_patterns(features)
    for sentence in sentences:
        for hit in names.find(sentence.text):
            if hit.team_id is not None:
                teams.append(Mention("team", hit.team_id, hit.text, sentence.source))
        for pattern, feature in patterns:
            for match in pattern.finditer(sentence.text):
                found.append(Mention("feature", feature.id, match.group(0), sentence.source))
    return teams, found
