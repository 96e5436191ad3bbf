"""Terminal rendering of notes analyses, sync facts and sync records."""

from __future__ import annotations

from trainmaster.cli.output import console, show
from trainmaster.services.notes import NotesAnalysis
from trainmaster.services.syncs import SyncFacts, SyncRecord


def print_analysis(analysis: NotesAnalysis) -> None:
    console.print(f"[bold]Notes of {analysis.meeting_date}[/bold] ({analysis.format.value}, "
                  f"{len(analysis.sentences)} sentences)")
    console.print("[bold]Summary[/bold]")
    for point in analysis.summary:
        console.print(f"  • {point.text} [dim](#{point.source.index})[/dim]", highlight=False)
    show("Decisions", ["#", "decision"],
         [(d.source.index, d.text) for d in analysis.decisions])
    show("Action items", ["#", "action", "owner", "due"],
         [(a.source.index, a.text, ", ".join(
             o.text + ("" if o.resolved else " (?)") for o in a.owners) or None, a.due)
          for a in analysis.actions])
    show("Risks", ["#", "risk"], [(r.source.index, r.text) for r in analysis.risks])
    show("Impediments", ["#", "impediment"],
         [(i.source.index, i.text) for i in analysis.impediments])
    mentions = [f"{m.text} (#{m.source.index})" for m in analysis.teams + analysis.features]
    if mentions:
        console.print("Mentioned: " + ", ".join(mentions), highlight=False)


def print_facts(facts: SyncFacts) -> None:
    where = f"{facts.pi.name}" if facts.pi else "no PI"
    if facts.iteration:
        where += f", {facts.iteration.name}"
    console.print(f"[bold]ART Sync facts for {facts.on}[/bold] ({where})")
    show("Late dependencies", ["consumer", "needed", "provider", "planned"],
         [(f"{d.consumer.key} ({d.consumer_team})", d.needed,
           f"{d.provider.key} ({d.provider_team})", d.planned)
          for d in facts.late_dependencies])
    show("Overloaded iterations", ["team", "iteration", "load", "capacity"],
         [(x.team.name, x.load.name, f"{x.load.load:g}", f"{x.load.capacity:g}")
          for x in facts.overloaded])
    show("Overdue action items", ["id", "action", "owner", "due"],
         [(v.action.id, v.action.title, v.owner.name if v.owner else None, v.action.due)
          for v in facts.overdue_actions])
    show("Unroamed risks", ["id", "risk", "due"],
         [(r.id, r.title, r.due) for r in facts.unroamed_risks])
    show("Open impediments", ["id", "impediment", "level", "team"],
         [(v.impediment.id, v.impediment.title, v.impediment.level.value,
           v.team.name if v.team else None) for v in facts.open_impediments])
    show("Teams", ["team", "progress %", "PI gone %", "status", "facts"],
         [(t.team.name, t.percent, t.expected, t.status.value, t.note()) for t in facts.teams])


def print_sync(record: SyncRecord) -> None:
    console.print(f"[bold]{record.meeting.title}[/bold] ({record.meeting.held_on}, "
                  f"{record.pi.name if record.pi else 'no PI'})")
    show("Teams", ["team", "status", "progress %", "note", "needs"],
         [(t.name, r.status.value, r.progress, r.note, r.needs) for r, t in record.reports])
    show("Scope changes", ["change", "item", "description"],
         [(c.kind.value, i.key if i else None, c.description)
          for c, i in record.scope_changes])
    show("Outcomes", ["id", "kind", "status", "text", "due"],
         [(o.id, o.kind.value, o.status.value, o.text, o.due) for o in record.outcomes])
