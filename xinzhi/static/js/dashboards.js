// The cockpit's trend chart: monthly 1—N月 figures of this year against last year.
(function () {
  window.XinzhiCharts = window.XinzhiCharts || {};
  window.XinzhiCharts.trend = function (d) {
    var dark = document.body.classList.contains("xz-screen");
    var text = dark ? "#e8eef5" : "#333";
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [d.this_year, d.last_year], textStyle: { color: text } },
      grid: { left: 60, right: 30, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.months, axisLabel: { color: text } },
      yAxis: { type: "value", name: d.unit, axisLabel: { color: text }, nameTextStyle: { color: text } },
      series: [
        { name: d.this_year, type: "line", data: d.this, connectNulls: false, itemStyle: { color: "#d9822b" }, lineStyle: { width: 3 } },
        { name: d.last_year, type: "line", data: d.last, connectNulls: false, itemStyle: { color: "#7fb3e0" }, lineStyle: { type: "dashed" } }
      ]
    };
  };
})();
