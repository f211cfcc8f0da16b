// The report's chart (ECharts from the vendor files): one line per indicator over the report's rows.
(function () {
  "use strict";
  const el = document.getElementById("kpi-chart-data"), box = document.getElementById("kpi-chart");
  if (!el || !box || !window.echarts) return;
  const d = JSON.parse(el.textContent);
  if (!d.series) return;
  const pct = d.series.filter((s) => s.unit === "%");
  const c = echarts.init(box);
  c.setOption({
    tooltip: { trigger: "axis" }, legend: { type: "scroll" },
    xAxis: { type: "category", data: d.periods }, yAxis: { type: "value", name: "%" },
    series: pct.map((s) => ({ name: s.name, type: "line", connectNulls: false, data: s.data })),
  });
  box.dataset.ready = "1";
  window.addEventListener("resize", () => c.resize());
})();
