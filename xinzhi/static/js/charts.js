// Draws every chart whose options come from a json_script element: <div data-chart="id">.
(function () {
  function draw(el) {
    var source = document.getElementById(el.dataset.chart);
    if (!source || !window.echarts) return;
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(window.XinzhiCharts[spec.kind](spec));
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.ready = "1";
  }
  window.XinzhiCharts = {
    revenueRd: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0, data: ["销售收入（万元）", "研发费用（万元）", "研发强度（%）"] },
        grid: { left: 60, right: 60, top: 50, bottom: 30 },
        xAxis: { type: "category", data: d.years },
        yAxis: [{ type: "value", name: "万元" }, { type: "value", name: "%", splitLine: { show: false } }],
        series: [
          { name: "销售收入（万元）", type: "bar", data: d.revenue, itemStyle: { color: "#2a6fb0" } },
          { name: "研发费用（万元）", type: "bar", data: d.rd, itemStyle: { color: "#7fb3e0" } },
          { name: "研发强度（%）", type: "line", yAxisIndex: 1, data: d.intensity, itemStyle: { color: "#d9822b" } }
        ]
      };
    },
    funnel: function (d) {
      return {
        tooltip: { trigger: "item" },
        series: [{ type: "funnel", sort: "descending", left: "5%", width: "55%", minSize: "8%",
                   label: { position: "right", formatter: "{b}：{c}" }, data: d.items }]
      };
    },
    bar: function (d) {
      return {
        tooltip: { trigger: "axis" }, grid: { left: 100, right: 30 },
        xAxis: { type: "value" }, yAxis: { type: "category", data: d.labels, inverse: true },
        series: [{ type: "bar", data: d.values, itemStyle: { color: "#2a6fb0" } }]
      };
    }
  };
  function drawAll(root) { (root || document).querySelectorAll("[data-chart]").forEach(draw); }
  document.addEventListener("DOMContentLoaded", function () { drawAll(); });
  document.addEventListener("htmx:afterSwap", function (e) { drawAll(e.target); });
})();
