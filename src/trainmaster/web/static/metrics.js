// Flow dashboard: Plotly charts from the page's JSON, and the numbers behind each chart.
(function () {
  "use strict";
  const BAND = { not_started: "#c9d3df", active: "#3b82c4", waiting: "#f0a202", done: "#3c9d5d" };
  const DASH = { "50": "dot", "85": "dash", "95": "dashdot" };
  const pct = (v) => (v === null || v === undefined ? "–" : Math.round(v) + " %");

  function lines(percentiles, x0, x1) {
    return Object.entries(percentiles || {}).filter(([, v]) => v !== null).map(([p, v]) => ({
      type: "line", x0: x0, x1: x1, xref: x0 === 0 ? "paper" : "x", y0: v, y1: v,
      line: { color: "#b03a2e", width: 1, dash: DASH[p] || "dash" },
    }));
  }
  function labels(percentiles) {
    return Object.entries(percentiles || {}).filter(([, v]) => v !== null).map(([p, v]) => ({
      xref: "paper", x: 1, xanchor: "right", y: v, yanchor: "bottom", showarrow: false,
      text: p + "th: " + v.toFixed(1) + " d", font: { size: 10, color: "#b03a2e" },
    }));
  }

  const CHARTS = {
    velocity(d) {
      const v = d.metrics && d.metrics.velocity;
      if (!v) return null;
      return {
        traces: [{ type: "bar", x: v.starts, y: v.counts, name: "done", marker: { color: "#3b82c4" } }],
        layout: { yaxis: { title: "items done" } },
        table: { columns: ["week from", "done"], rows: v.starts.map((s, i) => [s, v.counts[i]]) },
      };
    },
    load(d) {
      const l = d.metrics && d.metrics.load;
      if (!l) return null;
      return {
        traces: [{ type: "scatter", mode: "lines", x: l.days, y: l.wip, name: "WIP", line: { shape: "hv" } }],
        layout: { yaxis: { title: "items in progress" } },
        table: { columns: ["day", "WIP"], rows: l.days.map((s, i) => [s, l.wip[i]]) },
      };
    },
    cfd(d) {
      const c = d.charts.cfd;
      if (!c) return null;
      const order = c.bands.map((_, i) => i).reverse();
      return {
        traces: order.map((b) => ({ type: "scatter", mode: "lines", stackgroup: "one", name: c.bands[b].replace("_", " "),
          x: c.days, y: c.counts[b], line: { width: 0.5, color: BAND[c.bands[b]] } })),
        layout: { yaxis: { title: "items" } },
        table: { columns: ["day"].concat(c.bands), rows: c.days.map((s, i) => [s].concat(c.counts.map((row) => row[i]))) },
      };
    },
    scatter(d) {
      const s = d.charts.scatter;
      if (!s) return null;
      return {
        traces: [{ type: "scatter", mode: "markers", x: s.done, y: s.flow_days, text: s.keys, name: "done",
          marker: { size: 6, opacity: 0.6, color: "#3b82c4" }, hovertemplate: "%{text}: %{y:.1f} d<extra></extra>" }],
        layout: { yaxis: { title: "flow time (days)" }, shapes: lines(s.percentiles, 0, 1), annotations: labels(s.percentiles) },
        table: { columns: ["item", "done on", "flow time (days)"], rows: s.keys.map((k, i) => [k, s.done[i], s.flow_days[i]]),
          note: "percentiles: " + Object.entries(s.percentiles).map(([p, v]) => p + "th " + (v === null ? "–" : v.toFixed(1))).join(", ") },
      };
    },
    aging(d) {
      const a = d.charts.aging;
      if (!a) return null;
      const colors = a.beyond.map((b) => (b >= 95 ? "#c0392b" : b >= 85 ? "#d08a00" : b >= 50 ? "#e6c229" : "#3c9d5d"));
      return {
        traces: [{ type: "scatter", mode: "markers", x: a.statuses, y: a.age_days, text: a.keys,
          marker: { size: 9, color: colors }, hovertemplate: "%{text} (%{x}): %{y:.1f} d<extra></extra>" }],
        layout: { yaxis: { title: "age (days)" }, shapes: lines(a.percentiles, 0, 1), annotations: labels(a.percentiles) },
        table: { columns: ["item", "status", "age (days)", "beyond percentile"],
          rows: a.keys.map((k, i) => [k, a.statuses[i], a.age_days[i], a.beyond[i] || "–"]) },
      };
    },
    burn_up(d) {
      const b = d.charts.burn_up;
      if (!b) return null;
      return {
        traces: [{ type: "scatter", mode: "lines", x: b.days, y: b.scope, name: "scope", line: { color: "#7a8799" } },
                 { type: "scatter", mode: "lines", x: b.days, y: b.done, name: "done", line: { color: "#3c9d5d" } }],
        layout: { yaxis: { title: b.unit } },
        table: { columns: ["day", "scope", "done"], rows: b.days.map((s, i) => [s, b.scope[i], b.done[i]]) },
      };
    },
    throughput(d) {
      const h = d.charts.throughput;
      if (!h) return null;
      return {
        traces: [{ type: "bar", x: h.per_day, y: h.days, marker: { color: "#3b82c4" } }],
        layout: { xaxis: { title: "items done in a day" }, yaxis: { title: "days" } },
        table: { columns: ["items done in a day", "days"], rows: h.per_day.map((n, i) => [n, h.days[i]]) },
      };
    },
    distribution(d) {
      const dist = d.metrics && d.metrics.distribution;
      if (!dist) return null;
      const types = Array.from(new Set(Object.keys(dist.completed).concat(Object.keys(dist.in_progress))));
      return {
        traces: types.map((t) => ({ type: "bar", name: t.replace("_", " "), x: ["done", "in progress"],
          y: [dist.completed[t] || 0, dist.in_progress[t] || 0] })),
        layout: { barmode: "stack", yaxis: { title: "items" } },
        table: { columns: ["work type", "done", "in progress"], rows: types.map((t) => [t, dist.completed[t] || 0, dist.in_progress[t] || 0]) },
      };
    },
    predictability(d) {
      const rows = d.charts.predictability;
      if (!rows || !rows.length) return null;
      const pis = rows.map((r) => r.pi);
      const teams = Array.from(new Set(rows.flatMap((r) => r.teams.map((t) => t.label))));
      const traces = teams.map((name) => ({ type: "scatter", mode: "markers", name: name, x: pis,
        y: rows.map((r) => { const t = r.teams.find((x) => x.label === name); return t ? t.percent : null; }),
        marker: { size: 7, opacity: 0.7 } }));
      traces.push({ type: "scatter", mode: "lines+markers", name: "ART", x: pis, y: rows.map((r) => r.art.percent),
        line: { color: "#1d4e89", width: 3 } });
      return {
        traces: traces,
        layout: { yaxis: { title: "predictability (%)" }, shapes: [{ type: "rect", xref: "paper", x0: 0, x1: 1,
          y0: d.healthy_band[0], y1: d.healthy_band[1], fillcolor: "#3c9d5d", opacity: 0.12, line: { width: 0 } }] },
        table: { columns: ["PI", "ART", "band"].concat(teams),
          rows: rows.map((r) => [r.pi, pct(r.art.percent), r.art.band || "–"].concat(teams.map((name) => {
            const t = r.teams.find((x) => x.label === name); return t ? pct(t.percent) : "–"; }))) },
      };
    },
    teams(d) {
      const names = Object.keys(d.teams || {});
      if (!names.length) return null;
      const ft = (n) => d.teams[n].flow_time_days.percentiles["85"];
      return {
        traces: [{ type: "bar", name: "done", x: names, y: names.map((n) => d.teams[n].velocity.total) },
                 { type: "bar", name: "WIP", x: names, y: names.map((n) => d.teams[n].load.at_end) }],
        layout: { barmode: "group", yaxis: { title: "items" } },
        table: { columns: ["team", "done", "flow time 85 % (d)", "WIP", "efficiency"],
          rows: names.map((n) => [n, d.teams[n].velocity.total, ft(n) === null ? "–" : ft(n),
            d.teams[n].load.at_end, pct(d.teams[n].efficiency.value === null ? null : d.teams[n].efficiency.value * 100)]) },
      };
    },
  };

  function renderTable(box, table) {
    const t = document.createElement("table");
    t.className = "grid";
    const head = t.createTHead().insertRow();
    table.columns.forEach((c) => { const th = document.createElement("th"); th.textContent = c; head.appendChild(th); });
    const body = t.createTBody();
    table.rows.forEach((r) => { const tr = body.insertRow(); r.forEach((v) => { tr.insertCell().textContent = v === null ? "–" : v; }); });
    box.replaceChildren(t);
    if (table.note) { const p = document.createElement("p"); p.className = "muted"; p.textContent = table.note; box.prepend(p); }
  }

  function init() {
    const source = document.getElementById("metrics-data");
    if (!source) return;
    const data = JSON.parse(source.textContent);
    document.querySelectorAll(".chart-card").forEach((card) => {
      const chart = CHARTS[card.dataset.chart](data);
      const plot = card.querySelector(".plot");
      const numbers = card.querySelector(".numbers");
      const toggle = card.querySelector(".show-numbers");
      if (!chart) { plot.textContent = "No data for this selection."; plot.classList.add("muted", "empty"); toggle.hidden = true; return; }
      if (window.Plotly) {
        const layout = Object.assign({ margin: { t: 10, r: 10, b: 40, l: 50 }, height: 300, legend: { orientation: "h", y: -0.2 } }, chart.layout);
        window.Plotly.newPlot(plot, chart.traces, layout, { displaylogo: false, responsive: true });
      }
      toggle.addEventListener("click", () => {
        const open = numbers.hidden;
        if (open && !numbers.firstChild) renderTable(numbers, chart.table);
        numbers.hidden = !open;
        toggle.setAttribute("aria-expanded", String(open));
        toggle.textContent = open ? "Hide numbers" : "Show numbers";
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
