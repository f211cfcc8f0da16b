// The test-call keypad plays the switch: it gathers keys until the IVR's
// "collect" is satisfied (max digits, or the end key), then sends them at once.
document.addEventListener("click", (ev) => {
  const button = ev.target.closest("[data-key]");
  if (!button) return;
  const form = document.getElementById("test-input");
  const expect = document.getElementById("test-expect");
  if (!form || !expect || expect.dataset.finished) return;
  const input = form.querySelector("[name=digits]");
  const key = button.dataset.key;
  input.value += key;
  const max = parseInt(expect.dataset.maxDigits || "1", 10);
  const end = expect.dataset.terminator || "";
  const typed = end && input.value.endsWith(end) ? input.value.slice(0, -end.length) : input.value;
  if ((end && key === end) || typed.length >= max) form.requestSubmit();
});
document.addEventListener("htmx:afterRequest", (ev) => {
  if (ev.detail.elt && ev.detail.elt.id === "test-input") ev.detail.elt.reset();
});
