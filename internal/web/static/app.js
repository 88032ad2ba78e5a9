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
      if (spec.kind) {
        chart.setOption(special(spec));
        el.dataset.drawn = "1";
        window.addEventListener("resize", function () { chart.resize(); });
        return;
      }
      var last = spec.x.length - 1, partial = spec.partial && last >= 0;
      var series = [];
      spec.series.forEach(function (s, i) {
        var data = s.data.slice();
        if (partial && s.type === "bar") { // today, not over: lighter
          data[last] = { value: data[last], itemStyle: { opacity: 0.35 } };
        }
        var line = { name: s.name, type: s.type, data: data, stack: stack ? "all" : undefined, smooth: s.type === "line", showSymbol: false };
        if (partial && s.type === "line") { // today, not over: dashed
          line.data = data.map(function (v, j) { return j < last ? v : null; });
          series.push(line);
          line = { name: s.name, type: "line", data: data.map(function (v, j) { return j >= last - 1 ? v : null; }),
            lineStyle: { type: "dashed", opacity: 0.6 }, itemStyle: { opacity: 0.6 }, showSymbol: true, symbolSize: 3, tooltip: { show: true } };
        }
        if (partial && i === 0) {
          line.markArea = { silent: true, itemStyle: { color: "rgba(120,120,120,0.08)" },
            label: { show: true, position: "insideTopRight", align: "right", fontSize: 10, color: "#888" },
            data: [[{ name: spec.partial, xAxis: spec.x[last] }, { xAxis: spec.x[last] }]] };
        }
        series.push(line);
      });
      chart.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { show: spec.series.length > 1, top: 0, data: spec.series.map(function (s) { return s.name; }) },
        grid: { left: 40, right: 10, top: spec.series.length > 1 ? 28 : 10, bottom: 24 },
        xAxis: { type: "category", data: spec.x },
        yAxis: { type: "value" },
        series: series
      });
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
    document.body.dataset.chartsReady = "1";
  }
  // special returns the options of a heat map, a Pareto chart or a funnel.
  function special(spec) {
    if (spec.kind === "heatmap") {
      return { animation: false, tooltip: { formatter: function (p) { return spec.y[p.value[1]] + " · " + spec.x[p.value[0]] + ": " + p.value[2] + "%"; } },
        grid: { left: 120, right: 10, top: 10, bottom: 50 },
        xAxis: { type: "category", data: spec.x, splitArea: { show: true } },
        yAxis: { type: "category", data: spec.y, inverse: true, splitArea: { show: true } },
        visualMap: { min: 0, max: 100, calculable: false, orient: "horizontal", left: "center", bottom: 0, itemHeight: 80, text: ["100%", "0%"],
          inRange: { color: ["#f4f8fd", "#9ecae1", "#2171b5"] } },
        series: [{ type: "heatmap", data: spec.cells, label: { show: true, formatter: function (p) { return Math.round(p.value[2]) + "%"; }, fontSize: 10 } }] };
    }
    if (spec.kind === "pareto") {
      return { animation: false, tooltip: { trigger: "axis" }, legend: { top: 0, data: [spec.bar_name, spec.line_name] },
        grid: { left: 45, right: 40, top: 28, bottom: 24 },
        xAxis: { type: "category", data: spec.x, axisLabel: { show: spec.x.length <= 12, interval: 0, rotate: 30, fontSize: 9 } },
        yAxis: [{ type: "value" }, { type: "value", max: 100, axisLabel: { formatter: "{value}%" } }],
        series: [{ name: spec.bar_name, type: "bar", data: spec.bars },
          { name: spec.line_name, type: "line", yAxisIndex: 1, data: spec.line, showSymbol: false,
            markLine: { silent: true, symbol: "none", data: [{ yAxis: 80 }], lineStyle: { type: "dashed" } } }] };
    }
    if (spec.kind === "funnel") {
      return { animation: false, tooltip: { trigger: "axis" }, grid: { left: 150, right: 30, top: 10, bottom: 20 },
        xAxis: { type: "value" }, yAxis: { type: "category", data: spec.steps, inverse: true },
        series: [{ type: "bar", data: spec.values, label: { show: true, position: "right" } }] };
    }
    return {};
  }
  document.addEventListener("DOMContentLoaded", function () { draw(document); });
  document.addEventListener("htmx:afterSwap", function (e) { draw(e.target); });
})();

// The review queue: select all, and keys — j/k move between cases, x
// selects, a approves, o overturns the focused case.
(function () {
  "use strict";
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#cases tr.case-row")); }
  function focused() { return document.querySelector("#cases tr.case-row.focused"); }
  function focus(row) {
    var old = focused();
    if (old) old.classList.remove("focused");
    if (!row) return;
    row.classList.add("focused");
    row.focus({ preventScroll: true });
    row.scrollIntoView({ block: "nearest" });
  }
  document.addEventListener("change", function (e) {
    if (e.target.id !== "select-all") return;
    document.querySelectorAll("#cases .case-pick").forEach(function (b) { b.checked = e.target.checked; });
  });
  document.addEventListener("keydown", function (e) {
    if (!document.getElementById("cases") || e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = (e.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select") return;
    var list = rows(), cur = focused(), i = list.indexOf(cur);
    switch (e.key) {
      case "j": focus(list[Math.min(list.length - 1, i + 1)]); break;
      case "k": focus(list[Math.max(0, i - 1)]); break;
      case "x": if (cur) { var b = cur.querySelector(".case-pick"); if (b) b.checked = !b.checked; } break;
      case "a": case "o":
        if (cur) { var btn = cur.querySelector('button[data-key="' + e.key + '"]'); if (btn) { focus(list[i + 1]); btn.click(); } }
        break;
      default: return;
    }
    e.preventDefault();
  });
})();

// Forms: a schedule shows the inputs of its repeat, a rule those of its
// trigger; groups are found by name; a form with data-confirm asks first.
(function () {
  "use strict";
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t.matches("[data-every-select]")) t.closest(".when").dataset.every = t.value;
    if (t.matches("[data-trigger-select]")) t.closest("fieldset").dataset.trigger = t.value;
    if (t.matches("[data-platform-select]")) t.closest("form").dataset.platform = t.value;
    if (t.matches(".group-list input[type=checkbox]")) {
      var box = t.closest(".group-picker"), n = box.querySelector(".picked");
      if (n) n.textContent = box.querySelectorAll(".group-list input:checked").length + "/" + box.querySelectorAll(".group-list input").length;
    }
  });
  document.addEventListener("input", function (e) {
    if (!e.target.matches(".group-filter")) return;
    var q = e.target.value.trim().toLowerCase();
    e.target.closest(".group-picker").querySelectorAll(".group-list li[data-name]").forEach(function (li) {
      li.hidden = q !== "" && li.dataset.name.toLowerCase().indexOf(q) < 0;
    });
  });
  document.addEventListener("submit", function (e) {
    var msg = e.target.dataset && e.target.dataset.confirm;
    if (msg && !window.confirm(msg)) e.preventDefault();
  });
})();

// The SOP editor: "add a step" opens the next blank row.
document.addEventListener("click", function (e) {
  if (!e.target.matches("[data-add-step]")) return;
  var next = e.target.closest("fieldset").querySelector(".step[hidden]");
  if (next) { next.hidden = false; next.querySelector("input").focus(); }
  if (!e.target.closest("fieldset").querySelector(".step[hidden]")) e.target.hidden = true;
});

// Sortable tables: a click on a header with data-sort orders the rows by
// that column's data-v values (numbers or text), again to reverse.
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    var th = e.target.closest("table.sortable th[data-sort]");
    if (!th) return;
    var table = th.closest("table"), i = Array.prototype.indexOf.call(th.parentNode.children, th);
    var asc = th.getAttribute("aria-sort") !== "ascending", num = th.dataset.sort === "num";
    table.querySelectorAll("th[aria-sort]").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[i] ? a.cells[i].dataset.v || "" : "", y = b.cells[i] ? b.cells[i].dataset.v || "" : "";
      var c = num ? Number(x) - Number(y) : x.localeCompare(y);
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });
})();

// A print button opens the browser's print dialog (print CSS hides the
// console around the page).
document.addEventListener("click", function (e) {
  if (e.target.matches("[data-print]")) window.print();
});
