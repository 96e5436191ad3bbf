"""Readiness of a PI for PI Planning (DOMAIN.md): a score and the list of what to fix.

Checks, and their weight in the score (0–100):
- backlog, 50: each examined feature has a description, acceptance criteria, an estimate
  (points) and a WSJF score — 4 checks per feature, the 50 shared by passed checks;
- capacity, 30: each team has a capacity above 0 over the PI's development iterations
  (a team with no developers/testers, or whose people are all away, has none);
- vision, 10 and roadmap, 10: the ART's vision_url and roadmap_url are set.
Green from 90, amber from 70, red below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from trainmaster.analytics.wsjf import RankedFeature

WEIGHTS = {"backlog": 50.0, "capacity": 30.0, "vision": 10.0, "roadmap": 10.0}
GREEN, AMBER = 90, 70


@dataclass(frozen=True)
class Finding:
    area: str            # backlog, capacity, vision, roadmap
    subject: str         # feature key, team name or the ART
    problem: str
    fix: str
    item_id: int | None = None
    team_id: int | None = None


@dataclass(frozen=True)
class Readiness:
    score: int
    findings: tuple[Finding, ...]
    features_examined: int
    teams_examined: int

    @property
    def level(self) -> str:
        return "green" if self.score >= GREEN else "amber" if self.score >= AMBER else "red"

    @property
    def ready(self) -> bool:
        return not self.findings


def feature_gaps(ranked: RankedFeature) -> list[str]:
    f = ranked.item
    gaps = []
    if not f.description.strip():
        gaps.append("description")
    if not f.acceptance_criteria.strip():
        gaps.append("acceptance criteria")
    if f.points is None:
        gaps.append("estimate")
    if ranked.wsjf is None:
        gaps.append("WSJF")
    return gaps


def _backlog(features: Sequence[RankedFeature]) -> tuple[float, list[Finding]]:
    findings, missing = [], 0
    for ranked in features:
        gaps = feature_gaps(ranked)
        missing += len(gaps)
        if gaps:
            where = f"#{ranked.rank} by WSJF" if ranked.rank else "no WSJF rank"
            findings.append(Finding("backlog", ranked.item.key,
                                    f"{ranked.item.title} ({where}) lacks {', '.join(gaps)}",
                                    f"add the {', '.join(gaps)}", item_id=ranked.item.id))
    if not features:
        return 0.0, [Finding("backlog", "ART backlog", "no features to plan",
                             "pull features into the PI or the backlog")]
    checks = 4 * len(features)
    return (checks - missing) / checks, findings


def _capacity(team_capacity: Mapping[tuple[int, str], float | None]
              ) -> tuple[float, list[Finding]]:
    findings = [Finding("capacity", name, "no capacity known for the PI",
                        "add developers/testers with their allocation, and their absences",
                        team_id=team_id)
                for (team_id, name), cap in team_capacity.items() if not cap]
    if not team_capacity:
        return 0.0, [Finding("capacity", "ART", "the ART has no teams", "add the teams")]
    return 1 - len(findings) / len(team_capacity), findings


def assess(features: Sequence[RankedFeature],
           team_capacity: Mapping[tuple[int, str], float | None],
           vision_url: str | None, roadmap_url: str | None) -> Readiness:
    """Readiness from the examined features, each (team id, name) -> PI capacity, the links."""
    backlog, findings = _backlog(features)
    capacity, cap_findings = _capacity(team_capacity)
    findings += cap_findings
    vision, roadmap = bool((vision_url or "").strip()), bool((roadmap_url or "").strip())
    if not vision:
        findings.append(Finding("vision", "ART", "no vision attached", "set the vision link"))
    if not roadmap:
        findings.append(Finding("roadmap", "ART", "no roadmap attached",
                                "set the roadmap link"))
    score = (WEIGHTS["backlog"] * backlog + WEIGHTS["capacity"] * capacity
             + WEIGHTS["vision"] * vision + WEIGHTS["roadmap"] * roadmap)
    # anything left to fix keeps the score below 100
    rounded = min(round(score), 99) if findings else 100
    return Readiness(rounded, tuple(findings), len(features), len(team_capacity))
