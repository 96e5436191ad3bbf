// Shared page behaviour: every fetch() to the API carries the session's CSRF token.
(function () {
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  window.trainmaster = {
    csrf: csrf,
    api: async function (method, path, body) {
      const response = await fetch(path, {
        method: method,
        headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
      const data = response.status === 204 ? null : await response.json();
      if (!response.ok) {
        const detail = data && data.detail;
        const message = Array.isArray(detail) ? detail.map((d) => d.loc.slice(1).join(".") + ": " + d.msg).join("; ") : detail;
        throw new Error(message || response.statusText);
      }
      return data;
    },
  };
})();
