// Payment totals chart: amounts by month and kind. Data from #payments-chart-data (CSP: no inline script).
(function () {
  "use strict";
  var element = document.getElementById("payments-chart");
  var source = document.getElementById("payments-chart-data");
  if (!element || !source || typeof echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  var chart = echarts.init(element);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: {},
    xAxis: { type: "category", data: data.months },
    yAxis: { type: "value", name: "元" },
    series: data.series.map(function (s) { return { name: s.name, type: "bar", stack: "total", data: s.data }; })
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
