// Dependency graph: hovering an item lights up its strings; a switch hides strings that are fine.
(function () {
  const svg = document.getElementById("dep-graph");
  if (!svg) return;
  const edges = Array.from(svg.querySelectorAll(".edge"));

  function light(itemId) {
    svg.classList.add("focusing");
    const ids = new Set([itemId]);
    edges.forEach((e) => {
      if (e.dataset.from === itemId || e.dataset.to === itemId) {
        e.classList.add("lit");
        ids.add(e.dataset.from);
        ids.add(e.dataset.to);
      }
    });
    svg.querySelectorAll(".node-link").forEach((a) => {
      if (ids.has(a.dataset.item)) a.querySelector(".node").classList.add("lit");
    });
  }

  function clear() {
    svg.classList.remove("focusing");
    svg.querySelectorAll(".lit").forEach((el) => el.classList.remove("lit"));
  }

  svg.querySelectorAll(".node-link").forEach((a) => {
    a.addEventListener("mouseenter", () => light(a.dataset.item));
    a.addEventListener("focus", () => light(a.dataset.item));
    a.addEventListener("mouseleave", clear);
    a.addEventListener("blur", clear);
  });

  const only = document.getElementById("only-problems");
  if (only) only.addEventListener("change", () => svg.classList.toggle("problems-only", only.checked));
})();
