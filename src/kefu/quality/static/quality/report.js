// The quality report's chart (ECharts, from the project's vendor files); the figures come with the page.
(function () {
  "use strict";
  const el = document.getElementById("quality-data");
  const box = document.getElementById("chart-quality");
  if (!el || !box || !window.echarts) return;
  const data = JSON.parse(el.textContent);
  const L = data.labels;
  const rows = data.rows;
  const c = echarts.init(box);
  c.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [L.average, L.fatal_rate, L.disputed_rate] },
    xAxis: { type: "category", data: rows.map((r) => r.label) },
    yAxis: { type: "value", max: 100 },
    series: [
      { name: L.average, type: "bar", data: rows.map((r) => r.average) },
      { name: L.fatal_rate, type: "line", data: rows.map((r) => r.fatal_rate) },
      { name: L.disputed_rate, type: "line", data: rows.map((r) => r.disputed_rate) },
    ],
  });
  box.dataset.ready = "1";
  window.addEventListener("resize", () => c.resize());
})();
