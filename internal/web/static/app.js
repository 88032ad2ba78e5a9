// shequn console: draws every [data-chart] element with ECharts, again
// after htmx swaps, and resizes charts with the window.
(function () {
  "use strict";
  function draw(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      var spec = JSON.parse(el.dataset.chart);
      var stack = el.dataset.stack === "1";
      var chart = echarts.init(el, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { show: spec.series.length > 1, top: 0 },
        grid: { left: 40, right: 10, top: spec.series.length > 1 ? 28 : 10, bottom: 24 },
        xAxis: { type: "category", data: spec.x },
        yAxis: { type: "value" },
        series: spec.series.map(function (s) {
          return { name: s.name, type: s.type, data: s.data, stack: stack ? "all" : undefined, smooth: s.type === "line", showSymbol: false };
        })
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
    document.body.dataset.chartsReady = "1";
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();
