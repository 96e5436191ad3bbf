// Readiness page: fix a feature's gaps or the ART's links in place, through the JSON API.
(function () {
  function values(form) {
    const out = {};
    for (const el of form.querySelectorAll("[name]")) {
      const raw = el.value.trim();
      if (!raw) continue;
      out[el.name] = el.dataset.kind === "number" ? Number(raw) : raw;
    }
    return out;
  }

  document.querySelectorAll("form[data-patch]").forEach((form) => {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const error = form.querySelector(".error");
      try {
        await window.trainmaster.api("PATCH", form.dataset.patch, values(form));
        window.location.reload();
      } catch (err) {
        if (error) error.textContent = err.message;
      }
    });
  });

  // Team planning view: drag stories between iterations, then show the new loads.
  if (window.Sortable) {
    document.querySelectorAll('ul.stories[data-editable="true"]').forEach((list) => {
      window.Sortable.create(list, {
        group: "stories", animation: 120, forceFallback: true, filter: "a",
        preventOnFilter: false,
        onEnd: async (evt) => {
          if (evt.from === evt.to) return;
          const target = evt.to.dataset.iteration;
          try {
            await window.trainmaster.api("POST", `/api/v1/items/${evt.item.dataset.id}/plan`,
              { iteration_id: target ? Number(target) : null });
            window.location.reload();
          } catch (err) {
            evt.from.insertBefore(evt.item, evt.from.children[evt.oldIndex] || null);
            document.getElementById("plan-error").textContent = err.message;
          }
        },
      });
    });
  }
})();
