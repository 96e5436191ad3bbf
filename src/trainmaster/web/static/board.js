// The Program Board: dependency strings drawn over the cards (SVG), drag and drop with a
// preview of what the move changes, recolouring after a save without reloading the page.
(function () {
  const root = document.getElementById("board");
  if (!root) return;
  const svg = document.getElementById("strings");
  const data = JSON.parse(document.getElementById("board-data").textContent);
  const canEdit = root.dataset.canEdit === "true";
  const NS = "http://www.w3.org/2000/svg";
  let strings = data.strings;

  function cardEl(id) {
    return root.querySelector('.bcard[data-id="' + id + '"]');
  }

  function anchor(el, side) {
    const box = el.getBoundingClientRect();
    const base = root.getBoundingClientRect();
    const x = (side === "right" ? box.right : box.left) - base.left + root.scrollLeft;
    return [x, box.top + box.height / 2 - base.top + root.scrollTop];
  }

  function pathFor(s) {
    const p = cardEl(s.provider_id);
    const c = cardEl(s.consumer_id);
    if (!p || !c || p.offsetParent === null || c.offsetParent === null) return null;
    const pl = p.getBoundingClientRect().left;
    const cl = c.getBoundingClientRect().left;
    let d;
    if (Math.abs(pl - cl) < 20) {
      // same iteration (at risk): a bracket on the right-hand side of both cards
      const [x1, y1] = anchor(p, "right");
      const [x2, y2] = anchor(c, "right");
      d = `M${x1},${y1} C${x1 + 45},${y1} ${x2 + 45},${y2} ${x2},${y2}`;
    } else {
      const forward = pl < cl;
      const [x1, y1] = anchor(p, forward ? "right" : "left");
      const [x2, y2] = anchor(c, forward ? "left" : "right");
      const bend = Math.max(40, Math.abs(x2 - x1) / 2) * (forward ? 1 : -1);
      d = `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`;
    }
    const path = document.createElementNS(NS, "path");
    path.setAttribute("d", d);
    const classes = ["string", s.state];
    if (s.decision) classes.push("decision");
    if (s.in_cycle) classes.push("cycle");
    if (s.awaits_answer) classes.push("waiting");
    path.setAttribute("class", classes.join(" "));
    path.dataset.id = s.id;
    path.dataset.state = s.state;
    const title = document.createElementNS(NS, "title");
    title.textContent = `${s.label}: ${s.state.replace("_", " ")} (${s.agreement})`;
    path.appendChild(title);
    return path;
  }

  function draw() {
    svg.setAttribute("width", root.scrollWidth);
    svg.setAttribute("height", root.scrollHeight);
    svg.replaceChildren();
    for (const s of strings) {
      const path = pathFor(s);
      if (path) svg.appendChild(path);
    }
  }

  function applyResult(result) {
    strings = result.strings;
    const decided = new Set(result.cards.filter((c) => c.decision).map((c) => c.id));
    root.querySelectorAll(".bcard").forEach((el) => {
      el.classList.toggle("decision", decided.has(Number(el.dataset.id)));
    });
    for (const [state, n] of Object.entries(result.state_counts)) {
      const pill = document.querySelector(`#state-counts [data-state="${state}"] b`);
      if (pill) pill.textContent = n;
    }
    draw();
  }

  // The decisions panel and the cycle alert follow the saved plan (no full reload).
  async function refreshPanels() {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of ["decisions", "cycles"]) {
      const now = document.getElementById(id);
      const next = fresh.getElementById(id);
      if (now && next) now.replaceWith(next);
      else if (now) now.remove();
      else if (next) root.before(next);
    }
  }

  // --- preview dialog -------------------------------------------------------------------
  const dialog = document.getElementById("preview");
  let pending = null;

  function listHtml(title, rows) {
    if (!rows.length) return "";
    return `<h3>${title}</h3><ul>${rows.join("")}</ul>`;
  }

  function esc(text) {
    const div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function showPreview(p) {
    document.getElementById("preview-title").textContent =
      `Move ${p.item.key} from ${p.from || "unplanned"} to ${p.to || "unplanned"}?`;
    const body = [
      listHtml("Strings that change", p.strings.map((s) =>
        `<li data-string="${s.id}">${esc(s.label)}: <span class="dep ${s.before}">${s.before.replace("_", " ")}</span> → <span class="dep ${s.after}">${s.after.replace("_", " ")}</span></li>`)),
      listHtml("Features downstream", p.affected.map((a) =>
        `<li>${esc(a.key)} ${esc(a.title)}: planned ${esc(a.planned || "–")}, earliest ${esc(a.earliest || "–")} (<span class="dep ${a.after}">${a.after.replace("_", " ")}</span>)</li>`)),
      listHtml("Objectives at stake", p.objectives.map((o) =>
        `<li>${esc(o.team)}: ${esc(o.text)} <span class="muted">${esc(o.reason)}</span></li>`)),
    ].join("");
    document.getElementById("preview-body").innerHTML =
      body || "<p>No string or objective changes.</p>";
    document.getElementById("preview-error").textContent = "";
    dialog.showModal();
  }

  function revert() {
    if (!pending) return;
    const { evt } = pending;
    evt.from.insertBefore(evt.item, evt.from.children[evt.oldIndex] || null);
    pending = null;
    draw();
  }

  async function save() {
    if (!pending) return;
    const { itemId, iterationId } = pending;
    try {
      const result = await window.trainmaster.api("POST", `/api/v1/items/${itemId}/plan`,
        { iteration_id: iterationId });
      pending = null;
      dialog.close();
      applyResult(result);
      await refreshPanels();
      root.dispatchEvent(new CustomEvent("board:saved", { detail: result }));
    } catch (err) {
      document.getElementById("preview-error").textContent = err.message;
    }
  }

  document.getElementById("preview-save").addEventListener("click", save);
  document.getElementById("preview-cancel").addEventListener("click", () => {
    dialog.close();
    revert();
  });
  dialog.addEventListener("cancel", revert);

  async function onEnd(evt) {
    draw();
    if (evt.from === evt.to && evt.oldIndex === evt.newIndex) return;
    const itemId = Number(evt.item.dataset.id);
    const target = evt.to.dataset.iteration;
    const iterationId = target ? Number(target) : null;
    pending = { evt, itemId, iterationId };
    try {
      showPreview(await window.trainmaster.api("POST", `/api/v1/items/${itemId}/preview`,
        { iteration_id: iterationId }));
    } catch (err) {
      revert();
      window.alert(err.message);
    }
  }

  if (canEdit && window.Sortable) {
    root.querySelectorAll(".cards").forEach((list) => {
      window.Sortable.create(list, {
        group: { name: "team-" + list.dataset.team, put: list.dataset.ip !== "true" },
        animation: 120,
        forceFallback: true,
        fallbackOnBody: true,
        filter: "a",
        preventOnFilter: false,
        onMove: () => { window.requestAnimationFrame(draw); },
        onEnd: onEnd,
      });
    });
    root.classList.add("editable");
  }

  const focus = document.getElementById("focus-toggle");
  if (focus) focus.addEventListener("change", () => root.classList.toggle("focus", focus.checked));
  window.addEventListener("resize", draw);
  root.addEventListener("scroll", draw);
  window.trainmasterBoard = { draw: draw, strings: () => strings };
  draw();
})();
