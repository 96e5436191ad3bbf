"""Words and patterns the rules share: labels, headings, verbs of work, hedges."""

from __future__ import annotations

import re

ACTION, DECISION, RISK, IMPEDIMENT = "action", "decision", "risk", "impediment"

# Headings, table columns and line labels that announce what the items under them are.
_CATEGORY_WORDS = [
    (ACTION, r"actions?|action items?|action points?|next steps?|to-?dos?|follow[- ]?ups?|"
             r"tasks?|improvement (?:backlog )?items?|aps?\d*|ais?|assignments?|what|owner"),
    (DECISION, r"decisions?(?: made)?|decided|agreed|agreements?|conclusions?|resolutions?|"
               r"outcome: agreed"),
    (RISK, r"(?:new |open )?risks?|(?:open )?concerns?|concern raised by [^:]{1,30}"),
    (IMPEDIMENT, r"impediments?|blockers?|blocked|blocking issues?"),
]
_HEADING_CATEGORY = [(cat, re.compile(rf"\b(?:{words})\b", re.I)) for cat, words in _CATEGORY_WORDS]
LABEL = re.compile(
    r"^\s*(?P<label>" + "|".join(words for _, words in _CATEGORY_WORDS) +
    r"|note|notes|fyi|context|status|question(?: to [^:]{1,30})?|update|aob)"
    r"(?:\s*\((?P<who>[^)]{1,40})\))?\s*(?::|\s[-–—]\s)\s*", re.I)
_LABEL_CATEGORY = [(cat, re.compile(rf"^(?:{words})$", re.I)) for cat, words in _CATEGORY_WORDS]


def heading_category(heading: str) -> str | None:
    """The kind of item a heading or column announces ("Next steps" → action), if any."""
    lowered = heading.lower()
    if re.search(r"\b(?:went well|didn'?t go well|kudos|parking lot|notes?)\b", lowered):
        return None
    for category, pattern in _HEADING_CATEGORY:
        if pattern.search(heading):
            return category
    return None


def label_category(label: str) -> str | None:
    for category, pattern in _LABEL_CATEGORY:
        if pattern.match(label.strip()):
            return category
    return None


# Verbs that start an action item ("send the deck", "Ask the System Team …").
WORK_VERBS = frozenset("""
    accept add adjust agree align analyse analyze announce answer apply approve arrange ask
    assess assign attend audit automate book brief bring build bump calculate call cancel
    capture change chase check circulate clarify clean close coach collect communicate compare
    compile complete confirm connect consolidate contact convert coordinate copy cover create
    deactivate debug decide define delete deliver demo deploy describe design develop discuss
    distribute do document double-check download draft drive drop email enable ensure enter
    escalate estimate evaluate explain explore export extend facilitate figure file fill
    finalise finalize find finish fix flag follow forward gather get give go hand handle help
    hold identify implement improve include inform install integrate interview introduce
    investigate invite involve join keep lead learn let look make manage map measure meet
    merge migrate monitor move notify obtain onboard open order organise organize own pair
    parse pick ping plan play post prepare present prioritise prioritize produce propose
    prototype provide publish pull push put raise reach read rebook recheck record reduce
    refactor refine register re-check re-plan re-run release remind remove rename reorganise
    reorganize repeat replace replan report request rerun reschedule research reserve resolve
    restart retest return review revert revise rewrite rotate run schedule score send set
    settle setup share ship show sign sort speak split spread start submit summarise
    summarize support swap sync take talk test tidy track train transfer triage try turn
    unblock update upgrade upload validate verify walk watch work write
""".split())

PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them"})
NOT_NAMES = frozenset("""
    the a an this that these those we it they he she i you our their his her its my your
    everyone everybody someone somebody nobody anyone all each every team teams management
    business finance legal security ops if then so and but or also please action decision
    risk note next last first second third new status owner due when who what why how yes no
    ok okay sure thanks thank great good fine monday tuesday wednesday thursday friday
    saturday sunday january february march april may june july august september october
    november december today tomorrow tonight there here let lets let's let’s ready yeah yep
    hmm uh um ehm oh alright well maybe probably actually because sorry hi hello bye cool
""".split())

FUTURE = r"(?:will|shall|'ll|’ll|is going to|are going to|am going to|'m going to|’m going to|" \
         r"is gonna|are gonna|'m gonna|’m gonna)"
OBLIGATION = r"(?:needs? to|has to|have to|must|should|is to|are to)"
NEGATED = re.compile(
    r"\b(?:won'?t|won’t|will not|shall not|not going to|no need to|don'?t need to|doesn'?t need"
    r"|nobody|no one|never|not (?:be )?(?:doing|needed))\b", re.I)
PAST_ONLY = re.compile(
    r"\b(?:already|done|completed|finished|was supposed to|were supposed to)\b|\(done\)", re.I)
QUESTION = re.compile(r"\?\s*[\"'”’)]*\s*$")
REQUEST = re.compile(
    r"\b(?:can|could|would|will) (?:you|someone|somebody|one of you)(?: both| all| two)?\b", re.I)
ACK = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|ok(?:ay)?|sure|fine|agreed|sounds good|no objections?|"
    r"fine by me|makes sense|good idea|great|perfect|works for me|that works|will do|happy to|"
    r"of course|absolutely|i(?:'ll|’ll| will| can) do (?:that|it)|we(?:'ll|’ll| will) do it|"
    r"on it)\b", re.I)
PROPOSAL = re.compile(
    r"\b(?:let'?s|let’s|i'?d suggest|i suggest|i'?d propose|i propose|how about|what if we|"
    r"we could|shall we|should we|can we try|could we|i'?d like (?:us )?to)\b", re.I)


def first_word(text: str) -> str:
    match = re.match(r"\s*([A-Za-z][\w'’-]*)", text)
    return match.group(1).lower() if match else ""


def is_work_verb(word: str) -> bool:
    """True for a verb of work in base form or third person ("check", "checks", "sets")."""
    word = word.lower().strip(".,:;")
    if word in WORK_VERBS:
        return True
    for suffix, replacement in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and word[: -len(suffix)] + replacement in WORK_VERBS:
            return True
    return False
