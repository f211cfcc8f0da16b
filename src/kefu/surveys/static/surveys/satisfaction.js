// The satisfaction page's charts (ECharts, from the project's vendor files); the figures come with the page.
(function () {
  "use strict";
  const el = document.getElementById("stats-data");
  if (!el || !window.echarts) return;
  const data = JSON.parse(el.textContent);
  const L = data.labels;
  const groups = data.groups;

  function chart(id, option) {
    const box = document.getElementById(id);
    if (!box) return;
    const c = echarts.init(box);
    c.setOption(option);
    box.dataset.ready = "1";
    window.addEventListener("resize", () => c.resize());
  }
  chart("chart-rate", {
    tooltip: { trigger: "axis" },
    xAxis: { type: "category", data: groups.map((g) => g.label) },
    yAxis: { type: "value", name: "%", max: 100 },
    series: [{ name: L.rate, type: groups.length > 6 ? "line" : "bar", data: groups.map((g) => g.rate) }],
  });
  chart("chart-levels", {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { data: L.levels },
    xAxis: { type: "category", data: groups.map((g) => g.label) },
    yAxis: { type: "value" },
    series: data.levels.map((v, i) => ({
      name: L.levels[i], type: "bar", stack: "levels", data: groups.map((g) => g.counts[String(v)]),
    })),
  });
})();
