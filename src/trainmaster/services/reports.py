"""The stakeholder status report of a PI, as Markdown, HTML or PDF.

Content: objectives and predictability, flow metrics with charts, the forecast of the
remaining scope with its back-tested accuracy, top risks (ROAM), late dependencies and open
impediments. The report is built once as sections of paragraphs, tables and chart names;
each format renders the same sections (charts: report_charts, PDF: report_pdf).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from trainmaster.domain.access import Actor, Permission
from trainmaster.domain.dependency import DependencyState
from trainmaster.domain.errors import Invalid
from trainmaster.domain.pi import Pi
from trainmaster.domain.risk import Roam
from trainmaster.services import (
    dependency_graph,
    forecasts,
    impediments,
    metrics,
    objectives,
    risks,
)
from trainmaster.services.dependency_views import DependencyAnalysis
from trainmaster.services.unit_of_work import UnitOfWork

TOP_RISKS = 10


class ReportFormat(StrEnum):
    MD = "md"
    HTML = "html"
    PDF = "pdf"


MEDIA_TYPES = {ReportFormat.MD: "text/markdown; charset=utf-8",
               ReportFormat.HTML: "text/html; charset=utf-8",
               ReportFormat.PDF: "application/pdf"}


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    empty: str = "none"


@dataclass(frozen=True)
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PiReport:
    pi: Pi
    title: str
    subtitle: str
    sections: list[Section]
    dashboard: metrics.Dashboard
    forecast: forecasts.ScopeForecast

    @property
    def filename_stem(self) -> str:
        return "report-" + "".join(c if c.isalnum() else "-" for c in self.pi.name).lower()


def pi_report(uow: UnitOfWork, actor: Actor, pi_id: int, *, at: datetime) -> PiReport:
    """Gather the PI's report from the areas that own each part."""
    with uow:
        pi = uow.pis.get(pi_id)
        actor.require(Permission.VIEW, pi.art_id)
        art = uow.arts.get(pi.art_id)
    dashboard = metrics.flow_dashboard(uow, actor, art_id=art.id, pi_id=pi_id, at=at)
    forecast = forecasts.forecast_remaining(uow, actor, pi_id=pi_id, at=at)
    today = dashboard.scope.today
    goals = objectives.program_objectives(uow, actor, pi_id)
    board = risks.roam_board(uow, actor, art.id or 0, pi_id=pi_id, today=today)
    deps = dependency_graph.analyse_dependencies(uow, actor, pi_id=pi_id)
    open_imps = impediments.list_impediments(uow, actor, art.id or 0, at=at, open_only=True)
    sections = [
        _objectives_section(goals, dashboard),
        _flow_section(dashboard),
        _forecast_section(forecast),
        _risks_section(board),
        _dependencies_section(deps),
        _impediments_section(open_imps),
    ]
    return PiReport(pi, f"{art.name} · {pi.name} status report",
                    f"{pi.start_date} – {pi.end_date} · {pi.state.value} · as of {today}",
                    sections, dashboard, forecast)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} %"


def _days(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _objectives_section(goals: objectives.ProgramObjectives, dash: metrics.Dashboard
                        ) -> Section:
    rows = []
    for group in goals.teams:
        team = group.team.name if group.team else "ART"
        for o in group.committed + group.uncommitted:
            rows.append([team, o.text, "committed" if o.committed else "uncommitted",
                         str(o.planned_bv or "–"), "–" if o.actual_bv is None
                         else str(o.actual_bv)])
    history = [[r.pi.name, _pct(r.art.percent), r.art.band or "–",
                ", ".join(f"{t.label} {_pct(t.percent)}" for t in r.teams)]
               for r in dash.predictability]
    text = (f"{goals.committed} committed and {goals.uncommitted} uncommitted objectives, "
            f"{goals.planned_bv} planned business value committed. Predictability = Σ actual "
            "BV / Σ planned BV of committed objectives; the healthy band is 80–100 %.")
    return Section("Objectives and predictability", [text], [
        Table("PI objectives", ["Team", "Objective", "Kind", "Planned BV", "Actual BV"], rows),
        Table("Predictability across PIs", ["PI", "ART", "Band", "Teams"], history,
              "no PI has actual business value yet")],
        ["predictability"] if dash.predictability else [])


def _flow_section(dash: metrics.Dashboard) -> Section:
    m = dash.metrics
    if m is None:
        return Section("Flow metrics", ["No status history in this PI yet."])
    ft = m.flow_time.percentiles
    summary = Table("Flow metrics (stories)", ["Metric", "Value"], [
        ["Window", f"{dash.scope.start} – {dash.scope.end}"],
        ["Flow velocity (stories done)", str(m.velocity.total)],
        ["Flow time 50 / 85 / 95 % (days)",
         " / ".join(_days(ft.get(p)) for p in (50, 85, 95))],
        ["Flow load (WIP at end)", str(m.load.at_end)],
        ["Flow efficiency", _pct(None if m.efficiency.value is None
                                 else m.efficiency.value * 100)],
        ["Flow distribution (done)", ", ".join(
            f"{k} {v * 100:.0f} %" for k, v in m.distribution.completed.items()) or "–"]])
    teams = Table("Per team", ["Team", "Done", "Flow time 85 % (d)", "WIP", "Efficiency"], [
        [name, str(t.velocity.total), _days(t.flow_time.percentiles.get(85)),
         str(t.load.at_end), _pct(None if t.efficiency.value is None
                                  else t.efficiency.value * 100)]
        for name, t in dash.teams.items()])
    aging = dash.aging
    old = 0 if aging is None else int((aging.beyond >= 85).sum())
    note = (f"{0 if aging is None else aging.item_ids.size} stories in progress, {old} older "
            "than the 85th percentile flow time.")
    return Section("Flow metrics", [note], [summary, teams],
                   ["cfd", "scatter", "burn_up", "throughput"])


def _forecast_section(f: forecasts.ScopeForecast) -> Section:
    rows = [["Stories in scope / done / remaining", f"{f.total} / {f.done} / {f.remaining}"]]
    if f.when is not None:
        rows.append(["Done by (50 / 85 / 95 %)", " / ".join(
            str(f.when.percentiles.get(p) or "beyond") for p in (50, 85, 95))])
        rows.append(["Method", f"{f.when.sample.method}: {f.when.sample.note}"])
        rows.append(["Sample", f"{f.history_days} days of throughput, {f.history_items} "
                     f"stories done; {f.when.trials} trials, seed {f.when.seed}"])
    if f.how_many is not None:
        rows.append([f"Stories done by {f.deadline} (at least, 50 / 85 / 95 %)",
                     " / ".join(str(f.how_many.percentiles[p]) for p in (50, 85, 95))])
    acc = f.accuracy
    if acc is not None:
        for q in ("when", "how many"):
            rates = acc.hit_rates.get(q, {})
            rows.append([f"Back-tested hit rate, '{q}' (50 / 85 / 95 %)", " / ".join(
                _pct(None if rates.get(p) is None else rates[p] * 100) for p in (50, 85, 95))
                + f" over {acc.cases.get(q, 0)} cases at {acc.cuts} weekly cut dates"])
    return Section("Forecast of the remaining scope", [f.sentence],
                   [Table("Monte Carlo forecast", ["", "Value"], rows)])


def _risks_section(board: risks.RoamBoard) -> Section:
    cards = [c for column, cs in board.columns.items() if column is not Roam.RESOLVED
             for c in cs]
    cards.sort(key=lambda c: (c.risk.roam is not Roam.UNROAMED, not c.overdue,
                              c.risk.due is None, c.risk.due))
    rows = [[c.risk.title, c.risk.roam.value, c.owner.name if c.owner else "–",
             str(c.risk.due or "–"), "overdue" if c.overdue else ""] for c in cards[:TOP_RISKS]]
    counts = ", ".join(f"{len(cs)} {col.value}" for col, cs in board.columns.items())
    return Section("Top risks (ROAM)", [f"Risks of the PI: {counts}."],
                   [Table("Open risks, unroamed and overdue first",
                          ["Risk", "ROAM", "Owner", "Due", ""], rows)])


def _dependencies_section(deps: DependencyAnalysis) -> Section:
    rows_in = [d for d in deps.dependencies if d.state is DependencyState.LATE]
    rows = [[f"{d.consumer.key} {d.consumer.title}", d.consumer.team,
             d.consumer.iteration or "–", f"{d.provider.key} {d.provider.title}",
             d.provider.team, d.provider.iteration or "–", str(d.iterations_late)]
            for d in rows_in]
    return Section("Late dependencies", [f"{len(rows)} dependencies land after they are "
                                         "needed."],
                   [Table("Provider lands after the consumer",
                          ["Needed by", "Team", "Iteration", "Provider", "Team", "Iteration",
                           "Iterations late"], rows)])


def _impediments_section(views: list[impediments.ImpedimentView]) -> Section:
    rows = [[v.impediment.title, v.impediment.level.value, v.team.name if v.team else "–",
             v.owner.name if v.owner else "–", f"{v.age_hours / 24:.1f}"] for v in views]
    return Section("Open impediments", [f"{len(rows)} open impediments."],
                   [Table("Open impediments, highest level first",
                          ["Impediment", "Level", "Team", "Owner", "Age (days)"], rows)])


def render_report(report: PiReport, fmt: str) -> bytes:
    """The report in one format: md, html or pdf."""
    try:
        kind = ReportFormat(fmt)
    except ValueError:
        raise Invalid(f"unknown format {fmt!r} (md, html, pdf)", field="format") from None
    if kind is ReportFormat.MD:
        return render_markdown(report).encode()
    if kind is ReportFormat.HTML:
        return render_html(report).encode()
    from trainmaster.services.report_pdf import render_pdf
    return render_pdf(report)


def _md_cell(value: str) -> str:
    return value.replace("|", "\\|").replace("\n", " ")


def render_markdown(report: PiReport) -> str:
    out = [f"# {report.title}", "", report.subtitle, ""]
    for section in report.sections:
        out += [f"## {section.title}", "", *[p + "\n" for p in section.paragraphs]]
        for t in section.tables:
            out += [f"### {t.title}", ""]
            if not t.rows:
                out += [f"_{t.empty}_", ""]
                continue
            out.append("| " + " | ".join(_md_cell(c) for c in t.columns) + " |")
            out.append("|" + "---|" * len(t.columns))
            out += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in t.rows]
            out.append("")
    return "\n".join(out)


_CSS = ("body{font-family:'DejaVu Sans',system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
        "color:#1d2430}table{border-collapse:collapse;margin:.5rem 0 1.2rem;width:100%}"
        "th,td{border:1px solid #ccd3dc;padding:.25rem .5rem;text-align:left;"
        "font-size:.9rem}th{background:#eef2f6}.muted{color:#5b6573}"
        "figure{margin:0}svg{max-width:100%;height:auto}")


def render_html(report: PiReport) -> str:
    """A self-contained HTML page (charts inline as SVG, no script)."""
    from trainmaster.services.report_charts import chart_svg

    e = html.escape
    out = [f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>"
           f"{e(report.title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{e(report.title)}</h1><p class='muted'>{e(report.subtitle)}</p>"]
    for section in report.sections:
        out.append(f"<section><h2>{e(section.title)}</h2>")
        out += [f"<p>{e(p)}</p>" for p in section.paragraphs]
        for t in section.tables:
            out.append(f"<h3>{e(t.title)}</h3>")
            if not t.rows:
                out.append(f"<p class='muted'>{e(t.empty)}</p>")
                continue
            out.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in t.columns)
                       + "</tr></thead><tbody>")
            out += ["<tr>" + "".join(f"<td>{e(c)}</td>" for c in r) + "</tr>" for r in t.rows]
            out.append("</tbody></table>")
        for name in section.charts:
            svg = chart_svg(name, report.dashboard)
            if svg:
                out.append(f"<figure class='chart' data-chart='{name}'>{svg}</figure>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out)
