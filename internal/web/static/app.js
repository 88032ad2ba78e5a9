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
