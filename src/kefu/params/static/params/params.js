// Parameter rows: a refused value (400) or a stale version (409) comes back
// as the re-rendered row with its message; let htmx swap it in place. The
// event fires on the target, so the target carries data-swap-errors.
document.addEventListener("htmx:beforeSwap", (ev) => {
  const xhr = ev.detail.xhr;
  if (xhr.status >= 400 && xhr.status < 500 && ev.detail.elt.closest("[data-swap-errors]")
      && (xhr.getResponseHeader("Content-Type") || "").startsWith("text/html")) {
    ev.detail.shouldSwap = true;
    ev.detail.isError = false;
  }
});
