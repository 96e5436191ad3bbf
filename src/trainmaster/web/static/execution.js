// Running the train: forms and buttons that call the JSON API, notes upload and highlighting.
//
//   <form data-api="POST /api/v1/..." data-next="reload | /a/path/{id} | card">
//   <button data-api="POST /api/v1/..." data-body='{"k": 1}' data-next="...">
// Form fields become a JSON body: empty values are null, number inputs numbers,
// checkboxes with data-array collect into a list, names with a dot nest ("votes.3").
(function () {
  "use strict";

  function setPath(body, name, value) {
    const parts = name.split(".");
    let target = body;
    parts.slice(0, -1).forEach((p) => { target = target[p] = target[p] || {}; });
    target[parts[parts.length - 1]] = value;
  }

  function valueOf(el) {
    if (el.type === "checkbox") return el.checked;
    if (el.value === "") return null;
    if (el.type === "number") return Number(el.value);
    return el.value;
  }

  function formBody(form) {
    const body = {};
    form.querySelectorAll("[name]").forEach((el) => {
      if (el.disabled || !el.name || el.name === "csrf_token") return;
      if (el.dataset.array !== undefined) {
        body[el.name] = body[el.name] || [];
        if (el.checked) body[el.name].push(Number(el.value));
        return;
      }
      if (el.type === "radio" && !el.checked) return;
      setPath(body, el.name, valueOf(el));
    });
    return body;
  }

  function say(anchor, message, kind) {
    anchor.querySelectorAll(":scope > .form-error, :scope > .form-ok").forEach((x) => x.remove());
    const box = document.createElement("p");
    box.className = kind === "ok" ? "form-ok muted" : "form-error error";
    box.setAttribute("role", kind === "ok" ? "status" : "alert");
    box.textContent = message;
    anchor.appendChild(box);
  }

  function showError(anchor, message) { say(anchor, message, "error"); }

  function markCard(el, state) {
    const card = el.closest(".proposal");
    if (!card) return;
    card.classList.remove("proposed");
    card.classList.add(state);
    card.querySelectorAll("button, input, select, textarea").forEach((x) => { x.disabled = true; });
    const label = card.querySelector(".state");
    if (label) label.textContent = state;
  }

  function follow(el, data) {
    const next = el.dataset.next || "reload";
    if (next === "card") return markCard(el, el.dataset.state || "confirmed");
    if (next === "saved") return say(el.closest("form") || el.parentElement, "Saved", "ok");
    if (next === "reload") return window.location.reload();
    window.location.href = next.replace("{id}", data && data.id !== undefined ? data.id : "");
  }

  async function call(el, body) {
    const [method, path] = el.dataset.api.split(" ");
    if (el.dataset.confirm && !window.confirm(el.dataset.confirm)) return;
    el.setAttribute("aria-busy", "true");
    try {
      const data = await window.trainmaster.api(method, path, body);
      follow(el, data);
    } catch (err) {
      showError(el.closest("form") || el.parentElement, err.message);
    } finally {
      el.removeAttribute("aria-busy");
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form[data-api]");
    if (!form) return;
    event.preventDefault();
    call(form, formBody(form));
  });

  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-api]");
    if (button && !button.form) {
      event.preventDefault();
      call(button, button.dataset.body ? JSON.parse(button.dataset.body) : undefined);
      return;
    }
    if (button && button.form && button.type !== "submit") {
      event.preventDefault();
      call(button, button.dataset.body ? JSON.parse(button.dataset.body) : undefined);
      return;
    }
    const source = event.target.closest("[data-sentence]");
    if (source && !source.classList.contains("sentence")) highlight(source.dataset.sentence, true);
  });

  function highlight(index, scroll) {
    document.querySelectorAll(".sentence.hl").forEach((s) => s.classList.remove("hl"));
    const sentence = document.getElementById("s-" + index);
    if (!sentence) return;
    sentence.classList.add("hl");
    if (scroll) sentence.scrollIntoView({ block: "center", behavior: "smooth" });
  }

  document.addEventListener("mouseover", (event) => {
    const source = event.target.closest(".proposal[data-sentence], .mention[data-sentence]");
    if (source) highlight(source.dataset.sentence, false);
  });

  // Notes: a file chosen in the upload field fills the text area.
  document.addEventListener("change", (event) => {
    const input = event.target.closest("input[type=file][data-fills]");
    if (!input || !input.files.length) return;
    const reader = new FileReader();
    reader.onload = () => {
      document.getElementById(input.dataset.fills).value = reader.result;
      const format = document.querySelector("select[name=format]");
      if (format && /\.vtt$/i.test(input.files[0].name)) format.value = "vtt";
      if (format && /\.md$/i.test(input.files[0].name)) format.value = "markdown";
    };
    reader.readAsText(input.files[0]);
  });

  // Copy buttons (the calendar feed address).
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-copy]");
    if (!button) return;
    const field = document.getElementById(button.dataset.copy);
    field.select();
    if (navigator.clipboard) navigator.clipboard.writeText(field.value);
    button.textContent = "Copied";
  });
})();
