"""The words of the simulated backlog.

Each team owns a product area with its own nouns, and titles carry what a reader would use
to guess an item's type, team and size (a "migrate data" story is big, a "translate texts"
story is small); consumer features name what they need from the provider's area.
"""

from __future__ import annotations

import numpy as np

from trainmaster.domain.work_item import WorkType

AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("payments API", ("payment initiation endpoint", "refund flow", "transfer limits",
                      "idempotency keys", "payment status webhooks")),
    ("checkout", ("checkout page", "saved cards", "one-click payment", "order summary",
                  "3-D Secure challenge")),
    ("fraud detection", ("fraud scoring model", "velocity rules", "device fingerprinting",
                         "case management queue", "chargeback alerts")),
    ("ledger", ("double-entry ledger", "end-of-day balances", "reconciliation report",
                "journal export", "currency conversion")),
    ("customer onboarding", ("identity verification", "KYC document upload", "sign-up form",
                             "address lookup", "welcome e-mail")),
    ("mobile app", ("mobile login", "push notifications", "transaction list",
                    "biometric unlock", "offline mode")),
    ("notifications", ("e-mail templates", "SMS gateway", "notification preferences",
                       "in-app inbox", "delivery receipts")),
    ("reporting", ("monthly statements", "regulatory report", "CSV export",
                   "dashboard widgets", "audit trail")),
    ("identity and access", ("single sign-on", "role management", "password reset",
                             "session timeout", "API tokens")),
    ("data platform", ("event stream", "data warehouse load", "customer 360 view",
                       "data retention job", "schema registry")),
    ("card management", ("card activation", "PIN change", "card freeze", "virtual cards",
                         "spending controls")),
    ("loans", ("loan application", "credit decision", "repayment schedule",
               "early repayment", "interest calculation")),
    ("search", ("transaction search", "merchant lookup", "search filters", "autocomplete",
                "search indexing")),
    ("platform", ("Kubernetes cluster", "CI pipeline", "observability stack",
                  "secrets management", "blue-green deployment")),
    ("customer support", ("support chat", "ticket routing", "call-back scheduling",
                          "FAQ pages", "agent console")),
    ("pricing", ("fee engine", "promotional pricing", "FX margin", "price list API",
                 "billing invoices")),
)

FEATURE_TEMPLATES: dict[WorkType, tuple[str, ...]] = {
    WorkType.BUSINESS: ("Support {} for business customers", "Introduce {}",
                        "Extend {} to all markets", "Offer {} in the mobile app", "Redesign {}",
                        "Enable self-service {}"),
    WorkType.ENABLER: ("Migrate {} to the new platform", "Spike: evaluate options for {}",
                       "Automate regression tests for {}", "Set up observability for {}",
                       "Upgrade the runtime of {}"),
    WorkType.DEFECT: ("Fix timeouts in {} under peak load", "Fix rounding errors in {}",
                      "Fix {} failing for non-Latin names", "Resolve intermittent failures of {}"),
    WorkType.TECH_DEBT: ("Refactor {}", "Remove legacy code from {}",
                         "Replace the deprecated library in {}", "Consolidate configuration of {}"),
}

# (title prefix, typical points): the prefix tells the size
ASPECTS: tuple[tuple[str, int], ...] = (
    ("Design the API contract for", 2), ("Implement the service logic for", 5),
    ("Build the user interface for", 3), ("Add input validation to", 2),
    ("Handle error cases in", 2), ("Write integration tests for", 3),
    ("Add monitoring and alerts for", 2), ("Migrate existing data for", 8),
    ("Update the documentation of", 1), ("Put a feature toggle on", 1),
    ("Tune the performance of", 5), ("Fix security review findings in", 3),
    ("Automate end-to-end tests for", 5), ("Translate the texts of", 1),
)

SYMPTOMS = ("a wrong date format", "a broken link", "slow responses", "a crash on empty input",
            "a missing translation", "an incorrect total")
CLEANUPS = ("Clean up the code of", "Upgrade the libraries of", "Remove dead code in")
PERSONAS = ("retail customer", "business customer", "support agent", "risk analyst",
            "operations engineer", "branch employee")
OUTCOMES = ("they save time", "fewer requests fail", "we meet the regulator's deadline",
            "customers stay with us", "support calls go down", "we can scale the business")

EPICS: tuple[tuple[str, WorkType], ...] = (
    ("Instant payments across Europe", WorkType.BUSINESS),
    ("Self-service onboarding", WorkType.BUSINESS),
    ("Move to the cloud platform", WorkType.ENABLER),
    ("Open banking APIs", WorkType.BUSINESS),
    ("Fraud prevention 2.0", WorkType.BUSINESS),
    ("Modern customer app", WorkType.BUSINESS),
    ("Automated regulatory reporting", WorkType.ENABLER),
    ("Data-driven pricing", WorkType.BUSINESS),
    ("Zero-downtime deployments", WorkType.ENABLER),
    ("Unified customer view", WorkType.BUSINESS),
    ("Card platform renewal", WorkType.ENABLER),
    ("Accessible banking", WorkType.BUSINESS),
    ("Digital lending", WorkType.BUSINESS),
    ("Support automation", WorkType.BUSINESS),
    ("Identity platform", WorkType.ENABLER),
    ("Green IT", WorkType.ENABLER),
)

COMMITTED = ("Deliver {}", "Launch {}", "Make {} ready for production",
             "Roll out {} to all customers")
UNCOMMITTED = ("Pilot {}", "Prototype {}", "Prepare {} for the next PI")

RISKS = ("Vendor may deliver the {} interface late", "Performance of {} under peak load is unknown",
         "Only one person knows {}", "Regulatory change may affect {}",
         "Test data for {} is not available", "Open security findings on {}",
         "Third-party API behind {} is being deprecated", "Budget approval for {} is pending",
         "Shared integration environment for {} is unstable")
IMPEDIMENTS = ("Test environment for {} is down", "Waiting for a firewall change for {}",
               "No access to production logs of {}", "Build pipeline queue over two hours",
               "Licence of the load-test tool expired", "Security sign-off for {} pending",
               "Key reviewer for {} is absent", "Staging database refresh failed",
               "Cloud quota reached in the integration account")
ACTIONS = ("Follow up with team {team} on {noun}", "Clarify acceptance criteria of {noun}",
           "Escalate the environment problem of {noun} to the platform team",
           "Update the owner of the risk on {noun}",
           "Share the dependency plan for {noun} with team {team}",
           "Prepare the system demo of {noun}", "Review WIP limits with team {team}")
MILESTONES = ("Regulatory reporting deadline", "Marketing launch", "External security audit",
              "Board review", "Peak season change freeze")


def pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]


def area(index: int) -> tuple[str, tuple[str, ...]]:
    return AREAS[index % len(AREAS)]


def feature_title(rng: np.random.Generator, work_type: WorkType, noun: str) -> str:
    return pick(rng, FEATURE_TEMPLATES[work_type]).format(noun)


def feature_description(rng: np.random.Generator, work_type: WorkType, noun: str,
                        area_name: str) -> str:
    if work_type is WorkType.BUSINESS:
        return (f"As a {pick(rng, PERSONAS)} I want to use the {noun} with less effort, so that "
                f"{pick(rng, OUTCOMES)}. Area: {area_name}.")
    if work_type is WorkType.ENABLER:
        return f"Technical enabler for the {area_name} area: prepares the {noun} for new features."
    if work_type is WorkType.DEFECT:
        return f"Customers report problems with the {noun} in the {area_name} area."
    return f"Technical debt in the {area_name} area slows every change to the {noun}."


def acceptance_criteria(rng: np.random.Generator, noun: str) -> str:
    return (f"Given a {pick(rng, PERSONAS)} using the {noun}, when they complete it, "
            f"then the result is stored and shown within two seconds.\n"
            f"Monitoring, security and accessibility checks pass.")


def story(rng: np.random.Generator, noun: str) -> tuple[str, int]:
    """A story title and its typical points."""
    prefix, points = ASPECTS[int(rng.integers(len(ASPECTS)))]
    return f"{prefix} {noun}", points


def maintenance_story(rng: np.random.Generator, noun: str) -> tuple[str, WorkType, int]:
    if rng.random() < 0.6:
        return f"Fix {pick(rng, SYMPTOMS)} in the {noun}", WorkType.DEFECT, 1
    return f"{pick(rng, CLEANUPS)} the {noun}", WorkType.TECH_DEBT, 2


def objective(rng: np.random.Generator, committed: bool, noun: str) -> str:
    return pick(rng, COMMITTED if committed else UNCOMMITTED).format(noun)


def fill(rng: np.random.Generator, templates: tuple[str, ...], noun: str, team: str) -> str:
    return pick(rng, templates).format(noun, noun=noun, team=team)
