"""Decisions, risks and impediments: what the meeting settled, fears and is stuck on.

Each is found from its label or heading ("Decision:", "## Risks", a table's Impediments
column) or from the wording: "we agreed / decided / chose / let's go with / we won't…" for a
decision; "might miss", "there's a risk", "if … slips", "single point of failure" for a risk;
"blocked by", "waiting for", "can't deploy", "no access", "is down" for an impediment.
Negated forms ("no decision yet", "no new risks", "nothing blocking", "unblocked") and plain
questions are not proposals.
"""

from __future__ import annotations

import re

from trainmaster.intelligence.notes.clauses import Clause
from trainmaster.intelligence.notes.lexicon import DECISION, IMPEDIMENT, RISK

_I = re.IGNORECASE

_DECISION = [
    (0.85, re.compile(r"\b(?:decided|decides|agreed|agree that|chose|chosen|settled on|opted|"
                      r"went with|going with|go with|signed off|sign-off|approved|rejected|"
                      r"descoped|de-scoped|out of scope|deprioriti[sz]ed)\b", _I)),
    (0.8, re.compile(r"\blet['’]?s (?:not\b|do (?:that|it|this)|go with|use|keep|stop|try|build|"
                     r"drop|skip|postpone|cancel|move|switch|adopt|split|agree|forget|defer|"
                     r"stick|stay|make it|go ahead)", _I)),
    (0.8, re.compile(r"\b(?:we|i)\s+(?:won['’]?t|will not|are not going to|aren['’]t going to)"
                     r"\s+(?!be able|be available|be there|make it)", _I)),
    (0.8, re.compile(r"\b(?:this|that|it|the \w+ risk|the risk|the proposal)\s+(?:is|was|has been)"
                     r"\s+(?:accepted|approved)\b|\bwe accept\b", _I)),
    (0.75, re.compile(r"\b(?:then|so)\s+we\s+(?:go|keep|use|move|stay|stick|do)\b|"
                      r"\b(?:from now on|going forward)\b|\b(?:is|are) now (?:planned|scheduled|"
                      r"set)\b|\bdecision (?:is|was|made|taken)\b|\bdecision:", _I)),
]
_NOT_DECIDED = re.compile(
    r"(?:\bnot|n['’]t|\bno|\byet to|\bstill to|\bneed to|\bneeds to|\bhave to|\bhas to|\bto be|"
    r"\bwithout)\s+"
    r"(?:yet\s+)?(?:been\s+)?(?:decided|decide|agreed|a decision|reach(?:ed)? a decision)\b|"
    r"\bno decision\b|\bundecided\b|\btbd\b|\bneeds? a decision\b|\bdecision from\b", _I)

_RISK = [
    (0.85, re.compile(r"\b(?:there(?:['’]s| is| are)\s+(?:a\s+)?|a |big |real |serious |new |"
                      r"high |major )(?:\w+\s+)?risks?\b|\bat risk\b|\brisks? (?:that|of)\b", _I)),
    (0.8, re.compile(r"\b(?:might|may|could|would)\s+(?:also\s+|well\s+|even\s+|easily\s+)?"
                     r"(?:not\b|(?:be\s+)?(?:miss|slip|delay|fail|lose|block|double|increase|"
                     r"change|collide|push|break|drop|stop|repriori|late|absent|unavailable|"
                     r"become|run out|overrun|exceed|jeopardi|derail|hurt|impact))", _I)),
    (0.8, re.compile(r"\b(?:will (?:likely|probably)|likely to|unlikely to)\b|\b(?:chance|"
                     r"possibility|danger|likelihood) (?:that|of|we)\b|\breal chance\b", _I)),
    (0.75, re.compile(r"\b(?:worried|concerned|afraid|fear|concern)\b|\bsingle point of failure"
                      r"|\bonly one person\b|\bonly \w+ knows\b|\bno backup\b|\bfragile\b|"
                      r"\bshort on people\b|\bno promise\b|\bcan['’]t commit\b|\bflagged that\b"
                      r"|\bwarned that\b|\btoo late\b|\bdependency is late\b", _I)),
    (0.75, re.compile(r"\bif\b[^.;]{0,80}?\b(?:fails?|slips?|(?:is|are) late|doesn['’]?t|"
                      r"does not|don['’]?t|do not|poorly|unstable|delayed|goes wrong)\b", _I)),
]
_NOT_RISK = re.compile(r"\bno (?:new |other |more )?(?:risks?|concerns?)\b|\brisks? (?:is|was|"
                       r"has been) (?:resolved|closed|mitigated)\b|\bnot (?:worried|concerned)\b|"
                       r"\bno (?:\w+ )?problem\b", _I)
_ROAMED = re.compile(r"^(?:owned|accepted|mitigated|resolved|closed)$", _I)

_IMPEDIMENT = [
    (0.85, re.compile(r"(?<!un)\bblock(?:ed|er|ers|ing)\b|\bimpediments?\b|\bstuck\b|"
                      r"\bheld up\b", _I)),
    (0.8, re.compile(r"\b(?:waiting|waits) (?:on|for)\b|\bawaiting\b|\bbeen waiting\b|"
                     r"\bno access\b|\bnot have access\b|\bno (?:\w+ )?capacity\b|"
                     r"\bstill (?:no|not there|not arrived|pending)\b|\bstill (?:hasn|haven)['’]?t "
                     r"(?:been )?(?:delivered|arrived|sent|released|come|answered|replied|provided|"
                     r"approved|fixed)\b|"
                     r"\bnever got\b|\bhas not (?:been )?(?:delivered|arrived|picked up)\b", _I)),
    (0.8, re.compile(r"\b(?:can['’]?t|cannot|can not|unable to|couldn['’]?t)\s+(?:\w+\s+){0,2}?"
                     r"(?:deploy|test|demo|proceed|start|plan|progress|finish|work|access|build|"
                     r"release|continue|merge|run|log in|take)\b", _I)),
    (0.75, re.compile(r"\b(?:is|are|'s|’s)\s+(?:still\s+)?(?:down|broken|failing|unusable|"
                      r"unavailable|full|exhausted|pending|idle|red)\b|\bout of (?:disk|space|"
                      r"memory|quota)|\bexhausted\b|\bfailing since\b|\bunusable\b|\bbroken\b|"
                      r"\bpending with\b|\bslowing (?:\w+ )?down\b|\bidle\b|\bbroke\b", _I)),
]
_NOT_IMPEDIMENT = re.compile(
    r"\bunblock|\bno (?:longer )?(?:impediments?|blockers?|blocking)\b|\bnot blocked\b|"
    r"\bnothing (?:is )?(?:blocking|special)\b|\bno longer\b|\b(?:may|might|could|would)\s+"
    r"(?:be\s+)?block|\b(?:was|were)\s+(?:\w+\s+)?(?:blocked|down|broken|stuck)\b", _I)
_EMPTY = re.compile(r"^\s*(?:none|nothing|n/?a|no|nope|-+|–|—)\s*[.!]?\s*$", _I)


def _best(patterns: list[tuple[float, re.Pattern[str]]], text: str) -> float:
    return max((score for score, pattern in patterns if pattern.search(text)), default=0.0)


def decision_score(clause: Clause) -> float:
    if _NOT_DECIDED.search(clause.text) or _EMPTY.match(clause.text):
        return 0.0
    if clause.prior == DECISION:
        return 0.9
    if clause.question:
        return 0.0
    return _best(_DECISION, clause.text)


def risk_score(clause: Clause, row_status: str | None = None) -> float:
    if _NOT_RISK.search(clause.text) or _EMPTY.match(clause.text) or clause.question:
        return 0.0
    if row_status is not None and _ROAMED.match(row_status.strip()):
        return 0.0
    if clause.prior == RISK:
        return 0.9
    return _best(_RISK, clause.text)


def impediment_score(clause: Clause) -> float:
    if _NOT_IMPEDIMENT.search(clause.text) or _EMPTY.match(clause.text) or clause.question:
        return 0.0
    if clause.prior == IMPEDIMENT:
        return 0.9
    return _best(_IMPEDIMENT, clause.text)
