// The campaign dashboard's charts (ECharts, from the project's vendor files); the figures come with the page.
(function () {
  "use strict";
  const el = document.getElementById("dashboard-data");
  if (!el || !window.echarts) return;
  const data = JSON.parse(el.textContent);
  const L = data.labels;

  function chart(id, option) {
    const box = document.getElementById(id);
    if (!box) return;
    const c = echarts.init(box);
    c.setOption(option);
    box.dataset.ready = "1";
    window.addEventListener("resize", () => c.resize());
  }
  const rates = (rows) => ({
    tooltip: { trigger: "axis" },
    legend: { data: [L.attempts, L.reach_rate, L.success_rate] },
    xAxis: { type: "category", data: rows.map((r) => r.label) },
    yAxis: [{ type: "value", name: L.attempts }, { type: "value", name: "%", max: 100 }],
    series: [
      { name: L.attempts, type: "bar", data: rows.map((r) => r.attempts) },
      { name: L.reach_rate, type: "line", yAxisIndex: 1, data: rows.map((r) => r.reach_rate) },
      { name: L.success_rate, type: "line", yAxisIndex: 1, data: rows.map((r) => r.success_rate) },
    ],
  });
  chart("chart-outcomes", { tooltip: { trigger: "item" }, series: [{ type: "pie", radius: "65%", data: data.outcomes }] });
  chart("chart-agents", rates(data.agents));
  chart("chart-days", rates(data.days));
})();
