// Triage queue: typing another value picks "Save edit" when Enter is pressed.
document.addEventListener("keydown", (event) => {
  const input = event.target;
  if (event.key !== "Enter" || !(input instanceof HTMLInputElement)) return;
  const form = input.closest("form.decide");
  if (!form) return;
  event.preventDefault();
  form.querySelector("button[value=edit]").click();
});
