// KPI dashboard: trend charts per indicator, the street comparison chart, sortable tables.
// Data comes from the json_script element #dashboard-data (no inline script: CSP).
(function () {
  "use strict";

  // Selectors submit their form on change.
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  // Print buttons (evaluation report).
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });

  // Sortable tables: click a header with data-sort to sort by its column's data-value.
  document.querySelectorAll("table.sortable").forEach(function (table) {
    table.querySelectorAll("th[data-sort]").forEach(function (th, index) {
      var ascending = false;
      th.addEventListener("click", function () {
        var column = Array.prototype.indexOf.call(th.parentNode.children, th);
        var numeric = th.dataset.sort === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        ascending = !ascending;
        rows.sort(function (a, b) {
          var x = a.cells[column].dataset.value, y = b.cells[column].dataset.value;
          if (numeric) {
            // Rows without a value ("无数据") always go last.
            if (x === "" && y === "") return 0;
            if (x === "") return 1;
            if (y === "") return -1;
            return ascending ? x - y : y - x;
          }
          return ascending ? Number(x) - Number(y) || x.localeCompare(y) : Number(y) - Number(x) || y.localeCompare(x);
        });
        rows.forEach(function (row) { body.appendChild(row); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  });

  var dataElement = document.getElementById("dashboard-data");
  if (!dataElement || typeof echarts === "undefined") return;
  var data = JSON.parse(dataElement.textContent);
  var charts = [];

  function percentAxis(unit) {
    return { type: "value", axisLabel: { formatter: unit === "%" ? "{value}%" : "{value}" }, scale: unit !== "%" };
  }

  document.querySelectorAll("[data-trend]").forEach(function (element) {
    var series = data.trend[element.dataset.trend];
    if (!series) return;
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 12, top: 24, bottom: 24 },
      legend: { top: 0, right: 0, itemWidth: 12, textStyle: { fontSize: 11 } },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "无数据" : v + series.unit; } },
      xAxis: { type: "category", data: series.years.map(String) },
      yAxis: percentAxis(series.unit),
      series: [
        { name: "实际", type: "line", data: series.values, connectNulls: false, symbolSize: 6 },
        { name: "目标", type: "line", data: series.targets, lineStyle: { type: "dashed" }, symbol: "none" }
      ]
    });
    charts.push(chart);
  });

  var compareElement = document.getElementById("compare-chart");
  if (compareElement && data.comparison) {
    var comparison = data.comparison;
    var chart = echarts.init(compareElement, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      title: { text: comparison.code + " " + comparison.name, textStyle: { fontSize: 13 } },
      grid: { left: 56, right: 12, top: 40, bottom: 64 },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "无数据" : v + comparison.unit; } },
      xAxis: { type: "category", data: comparison.streets, axisLabel: { interval: 0, rotate: 40 } },
      yAxis: percentAxis(comparison.unit),
      series: [{ name: comparison.name, type: "bar", data: comparison.values }]
    });
    charts.push(chart);
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
