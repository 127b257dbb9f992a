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
  var data = dataElement ? JSON.parse(dataElement.textContent) : null;
  var hasCharts = typeof echarts !== "undefined";
  var charts = [];
  var COLOURS = { success: "#198754", danger: "#dc3545", secondary: "#adb5bd" };

  // A value axis fitted to the figures by the server (min/max with padding, round steps).
  function valueAxis(axis, unit, extra) {
    var result = { type: "value", axisLabel: { formatter: unit === "%" ? "{value}%" : "{value}" } };
    if (axis && axis.min !== null && axis.min !== undefined) result.min = axis.min;
    if (axis && axis.max !== null && axis.max !== undefined) result.max = axis.max;
    if (axis && axis.interval) result.interval = axis.interval;
    Object.keys(extra || {}).forEach(function (key) { result[key] = extra[key]; });
    return result;
  }

  function shown(v, unit) {
    return v === null || v === undefined ? "无数据" : v + unit;
  }

  if (data && hasCharts) {
    document.querySelectorAll("[data-trend]").forEach(function (element) {
      var series = data.trend[element.dataset.trend];
      if (!series) return;
      var chart = echarts.init(element, null, { renderer: "canvas" });
      chart.setOption({
        animation: false,
        grid: { left: 48, right: 12, top: 24, bottom: 24 },
        legend: { top: 0, right: 0, itemWidth: 12, textStyle: { fontSize: 11 } },
        // richText: the tooltip is drawn on the canvas, no HTML with inline styles (CSP)
        tooltip: { trigger: "axis", renderMode: "richText", valueFormatter: function (v) { return shown(v, series.unit); } },
        xAxis: { type: "category", data: series.years.map(String) },
        yAxis: valueAxis(series.axis, series.unit),
        series: [
          { name: "实际", type: "line", data: series.values, connectNulls: false, symbolSize: 6 },
          { name: "目标", type: "line", data: series.targets, lineStyle: { type: "dashed" }, symbol: "none" }
        ]
      });
      charts.push(chart);
    });
  }

  // Street comparison: every indicator's comparison is in the page's data, so choosing another
  // indicator redraws the chart and the table in place (no reload, the page keeps its scroll
  // position) and puts ?compare= in the address for the back button and a shared link.
  var compareForm = document.querySelector("form[data-compare-form]");
  var compareSelect = document.getElementById("id_compare");
  var compareElement = document.getElementById("compare-chart");
  var comparison = data && data.comparison;
  var compareChart = null;
  var current = null;

  function drawComparison(c) {
    if (!compareChart) return;
    var series = {
      name: c.name,
      type: "bar",
      barMaxWidth: 22,
      data: c.streets.map(function (s) {
        var style = { color: COLOURS[s.css] || COLOURS.secondary };
        if (s.id === comparison.current_street) {
          style.borderColor = "#212529";
          style.borderWidth = 2;
        }
        return { value: s.value, itemStyle: style };
      }),
      label: {
        show: true,
        position: "right",
        formatter: function (p) { return c.streets[p.dataIndex].text; }
      }
    };
    if (c.target !== null && c.target !== undefined) {
      series.markLine = {
        symbol: "none",
        silent: true,
        lineStyle: { type: "dashed", color: "#0d6efd", width: 1.5 },
        label: { formatter: "目标 " + c.target_text, position: "start" },
        data: [{ xAxis: c.target }]
      };
    }
    compareChart.setOption({
      animation: false,
      title: { text: c.code + " " + c.name, textStyle: { fontSize: 13 } },
      grid: { left: 8, right: 64, top: 40, bottom: 8, containLabel: true },
      tooltip: {
        trigger: "axis",
        renderMode: "richText",
        axisPointer: { type: "shadow" },
        formatter: function (params) {
          var s = c.streets[params[0].dataIndex];
          return s.full_name + "\n" + s.text + (s.fraction ? "（" + s.fraction + "）" : "") + "\n" + s.status + "\n点击查看该街道看板";
        }
      },
      xAxis: valueAxis(c.axis, c.unit),
      yAxis: {
        type: "category",
        inverse: true,
        triggerEvent: true,
        axisTick: { show: false },
        data: c.streets.map(function (s) { return s.name; })
      },
      series: [series]
    }, true);
  }

  function cell(text, className) {
    var td = document.createElement("td");
    if (className) td.className = className;
    td.textContent = text;
    return td;
  }

  function fillTable(c) {
    var body = document.getElementById("comparison-rows");
    if (!body) return;
    var rows = c.streets.map(function (s) {
      var tr = document.createElement("tr");
      if (s.id === comparison.current_street) tr.className = "table-active";
      var name = cell("", "");
      name.dataset.value = String(s.order);
      var link = document.createElement("a");
      link.href = s.url;
      link.textContent = s.full_name;
      name.appendChild(link);
      var value = cell(s.text, "text-end");
      value.dataset.value = s.value === null ? "" : String(s.value);
      var status = cell("", "");
      var badge = document.createElement("span");
      badge.className = "badge text-bg-" + s.css;
      badge.textContent = s.status;
      status.appendChild(badge);
      tr.append(name, value, cell(s.fraction, "text-end"), status);
      return tr;
    });
    body.replaceChildren.apply(body, rows);
    body.closest("table").querySelectorAll("th[aria-sort]").forEach(function (th) { th.removeAttribute("aria-sort"); });
  }

  function showComparison(code, remember) {
    var c = comparison.indicators[code];
    if (!c) return;
    current = c;
    drawComparison(c);
    fillTable(c);
    compareSelect.value = code;
    // the year and street selectors keep the chosen comparison
    document.querySelectorAll("[data-compare-value]").forEach(function (input) { input.value = code; });
    if (remember) {
      var url = new URL(window.location.href);
      url.searchParams.set("compare", code);
      window.history.pushState({ compare: code }, "", url);
    }
  }

  if (comparison && compareSelect) {
    if (hasCharts && compareElement) {
      compareChart = echarts.init(compareElement, null, { renderer: "canvas" });
      compareChart.on("click", function (params) {
        if (!current) return;
        var street = null;
        if (params.componentType === "series") street = current.streets[params.dataIndex];
        if (params.componentType === "yAxis") {
          street = current.streets.filter(function (s) { return s.name === params.value; })[0];
        }
        if (street) window.location.assign(street.url);
      });
      charts.push(compareChart);
    }
    current = comparison.indicators[comparison.selected];
    if (current) drawComparison(current);
    compareSelect.addEventListener("change", function () { showComparison(compareSelect.value, true); });
    compareForm.addEventListener("submit", function (event) {
      event.preventDefault();
      showComparison(compareSelect.value, true);
    });
    window.addEventListener("popstate", function () {
      var code = new URL(window.location.href).searchParams.get("compare") || comparison.selected;
      showComparison(code, false);
    });
  }

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
