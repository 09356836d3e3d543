// The budget chart of 政策兑现 (万元): paid, committed, remaining and any overrun per line.
(function () {
  window.XinzhiCharts = window.XinzhiCharts || {};
  window.XinzhiCharts.rewardBudget = function (d) {
    var s = function (name, data, color) {
      return { name: name, type: "bar", stack: "budget", data: data, itemStyle: { color: color } };
    };
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 130, right: 30, top: 40, bottom: 30 },
      xAxis: { type: "value", name: "万元" },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [
        s("已拨付", d.paid, "#2e8b57"),
        s("已承诺", d.committed, "#2a6fb0"),
        s("剩余", d.remaining, "#cfd8e3"),
        s("超出预算", d.over, "#c0392b")
      ]
    };
  };
})();

// 全选 on the entitlement list: one checkbox ticks every row of the page (CSP: no inline handlers).
document.addEventListener("change", function (e) {
  if (!e.target.matches("[data-select-all]")) return;
  var form = e.target.closest("form");
  form.querySelectorAll("input[name=ids]").forEach(function (c) { c.checked = e.target.checked; });
});
