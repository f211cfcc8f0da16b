// Live countdowns for elements with data-due (ISO time): "2:13:05 left" or "overdue 0:12:00".
(function () {
  function fmt(ms) {
    const s = Math.floor(Math.abs(ms) / 1000);
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return h + ":" + String(m).padStart(2, "0") + ":" + String(sec).padStart(2, "0");
  }
  function tick() {
    const now = Date.now() + (window.KEFU_CLOCK_OFFSET_MS || 0);
    document.querySelectorAll("[data-due]").forEach((el) => {
      const due = Date.parse(el.dataset.due);
      if (isNaN(due)) return;
      const left = due - now;
      el.textContent = left >= 0 ? el.dataset.leftLabel + " " + fmt(left) : el.dataset.overLabel + " " + fmt(left);
      el.classList.toggle("danger", left < 0);
    });
  }
  document.addEventListener("DOMContentLoaded", () => { tick(); setInterval(tick, 1000); });
  document.addEventListener("htmx:afterSwap", tick);
})();
