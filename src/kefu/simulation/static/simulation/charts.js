// Staffing and simulation charts (ECharts, from the project's vendor files); the figures come with the page.
(function () {
  "use strict";
  if (!window.echarts) return;
  function chart(id, option) {
    const box = document.getElementById(id);
    if (!box) return;
    const c = echarts.init(box);
    c.setOption(option);
    box.dataset.ready = "1";
    window.addEventListener("resize", () => c.resize());
  }
  function data(id) {
    const el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  const staffing = data("staffing-data");
  if (staffing) {
    const L = staffing.labels, R = staffing.rows;
    chart("chart-staffing", {
      tooltip: { trigger: "axis" },
      legend: { data: [L.calls, L.agents, L.rostered] },
      xAxis: { type: "category", data: R.map((r) => r.start) },
      yAxis: [{ type: "value", name: L.calls }, { type: "value", name: L.agents }],
      series: [
        { name: L.calls, type: "bar", data: R.map((r) => r.calls) },
        { name: L.agents, type: "line", step: "end", yAxisIndex: 1, data: R.map((r) => r.agents) },
        { name: L.rostered, type: "line", step: "end", yAxisIndex: 1, data: R.map((r) => r.rostered) },
      ],
    });
  }
  const run = data("run-data");
  if (run) {
    const L = run.labels, R = run.rows;
    const pct = (v) => (v === null || v === undefined ? null : Math.round(v * 1000) / 10);
    chart("chart-run", {
      tooltip: { trigger: "axis" },
      legend: { data: [L.arrived, L.sl, L.abandon, L.occupancy, L.asa] },
      xAxis: { type: "category", data: R.map((r) => r.start) },
      yAxis: [{ type: "value", name: L.arrived }, { type: "value", name: "%", max: 100 }, { type: "value", name: "s", position: "right", offset: 50 }],
      series: [
        { name: L.arrived, type: "bar", data: R.map((r) => r.arrived) },
        { name: L.sl, type: "line", yAxisIndex: 1, data: R.map((r) => pct(r.service_level)) },
        { name: L.abandon, type: "line", yAxisIndex: 1, data: R.map((r) => pct(r.abandon_rate)) },
        { name: L.occupancy, type: "line", yAxisIndex: 1, data: R.map((r) => pct(r.occupancy)) },
        { name: L.asa, type: "line", yAxisIndex: 2, data: R.map((r) => (r.asa === null ? null : Math.round(r.asa * 10) / 10)) },
      ],
    });
  }
})();
