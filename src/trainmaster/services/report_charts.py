"""Static charts of the flow dashboard for the PI report (matplotlib, PNG or SVG).

Charts: predictability across PIs against the 80–100 % band, cumulative flow, flow-time
scatter with 50/85/95 percentile lines, burn-up and the daily throughput histogram.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from trainmaster.services.metrics import Dashboard

STYLE: Any = {"font.family": "DejaVu Sans", "font.size": 9, "svg.fonttype": "none",
         "axes.spines.top": False, "axes.spines.right": False}
BAND_COLORS = {"not_started": "#c9d3df", "active": "#3b82c4", "waiting": "#f0a202",
               "done": "#3c9d5d"}
LINE_STYLES = {50: ":", 85: "--", 95: "-."}


def _figure() -> tuple[Figure, Any]:
    fig = Figure(figsize=(7.2, 3.0), dpi=110)
    return fig, fig.add_subplot(1, 1, 1)


def _predictability(d: Dashboard) -> Figure | None:
    if not d.predictability:
        return None
    fig, ax = _figure()
    names = [r.pi.name for r in d.predictability]
    x = np.arange(len(names))
    ax.axhspan(80, 100, color="#3c9d5d", alpha=0.12, label="80–100 % band")
    for r in d.predictability:
        teams = [t.percent for t in r.teams if t.percent is not None]
        i = names.index(r.pi.name)
        ax.scatter([i] * len(teams), teams, color="#7a8799", s=12, zorder=2)
    ax.plot(x, [r.art.percent or 0 for r in d.predictability], "o-", color="#1d4e89",
            label="ART", zorder=3)
    ax.set_xticks(x, names)
    ax.set_ylabel("predictability (%)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    return fig


def _cfd(d: Dashboard) -> Figure | None:
    if d.cfd is None:
        return None
    fig, ax = _figure()
    days = np.array(d.cfd.days, dtype="datetime64[D]")
    order = list(range(len(d.cfd.bands)))[::-1]  # done at the bottom
    ax.stackplot(days, *(d.cfd.counts[i] for i in order),
                 labels=[d.cfd.bands[i].replace("_", " ") for i in order],
                 colors=[BAND_COLORS.get(d.cfd.bands[i], "#999") for i in order])
    ax.set_ylabel("stories")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    fig.autofmt_xdate()
    return fig


def _scatter(d: Dashboard) -> Figure | None:
    s = d.scatter
    if s is None or s.item_ids.size == 0:
        return None
    fig, ax = _figure()
    ax.scatter(s.done_days, s.flow_days, s=10, alpha=0.6, color="#3b82c4")
    for p, v in s.percentiles.items():
        if v is not None:
            ax.axhline(v, color="#b03a2e", ls=LINE_STYLES.get(int(p), "--"), lw=1,
                       label=f"{p}th: {v:.1f} d")
    ax.set_ylabel("flow time (days)")
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    fig.autofmt_xdate()
    return fig


def _burn_up(d: Dashboard) -> Figure | None:
    b = d.burn_up
    if b is None:
        return None
    fig, ax = _figure()
    days = np.array(b.days, dtype="datetime64[D]")
    ax.plot(days, b.scope, color="#7a8799", label="scope")
    ax.plot(days, b.done, color="#3c9d5d", label="done")
    ax.set_ylabel(b.unit)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    fig.autofmt_xdate()
    return fig


def _throughput(d: Dashboard) -> Figure | None:
    h = d.histogram
    if h is None:
        return None
    fig, ax = _figure()
    ax.bar(h.per_day, h.days, color="#3b82c4")
    ax.set_xlabel("stories done in a day")
    ax.set_ylabel("days")
    return fig


CHARTS: dict[str, tuple[str, Callable[[Dashboard], Figure | None]]] = {
    "predictability": ("Predictability across PIs (ART line, teams dots)", _predictability),
    "cfd": ("Cumulative flow of the PI's stories", _cfd),
    "scatter": ("Flow time of stories done, with 50/85/95th percentiles", _scatter),
    "burn_up": ("Burn-up of the PI's stories", _burn_up),
    "throughput": ("Daily throughput histogram", _throughput),
}


def chart_title(name: str) -> str:
    return CHARTS[name][0]


def chart_figure(name: str, dashboard: Dashboard) -> Figure | None:
    """The named chart as a matplotlib Figure (no pyplot state), None without data."""
    with matplotlib.rc_context(STYLE):
        fig = CHARTS[name][1](dashboard)
        if fig is not None:
            fig.axes[0].set_title(chart_title(name), loc="left", fontsize=10)
            fig.tight_layout()
    return fig


def _save(name: str, dashboard: Dashboard, fmt: str) -> bytes | None:
    fig = chart_figure(name, dashboard)
    if fig is None:
        return None
    buffer = io.BytesIO()
    with matplotlib.rc_context(STYLE):
        fig.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return buffer.getvalue()


def chart_png(name: str, dashboard: Dashboard) -> bytes | None:
    return _save(name, dashboard, "png")


def chart_svg(name: str, dashboard: Dashboard) -> str | None:
    data = _save(name, dashboard, "svg")
    if data is None:
        return None
    text = data.decode()
    return text[text.index("<svg"):]
