// Audit search: a 4xx answer to the filter form (bad dates…) is the results
// partial with its message; show it in place instead of a bare error.
document.addEventListener("htmx:beforeSwap", (ev) => {
  const xhr = ev.detail.xhr;
  if (xhr.status >= 400 && xhr.status < 500 && ev.detail.elt.closest("[data-swap-errors]")
      && (xhr.getResponseHeader("Content-Type") || "").startsWith("text/html")) {
    ev.detail.shouldSwap = true;
    ev.detail.isError = false;
  }
});
