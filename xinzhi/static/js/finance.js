// 科技金融: chart kinds for the statistics page and the guarantee pool.
// Loaded after charts.js; extends window.XinzhiCharts before DOMContentLoaded draws them.
(function () {
  var charts = window.XinzhiCharts || (window.XinzhiCharts = {});
  var colors = ["#2a6fb0", "#d9822b", "#2a9d8f", "#8e5ea2", "#c0504d"];
  charts.financeProducts = function (d) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["放款企业（家）", "首贷企业（家）", "放款金额（万元）"] },
      grid: { left: 50, right: 70, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.labels },
      yAxis: [{ type: "value", name: "家" }, { type: "value", name: "万元", splitLine: { show: false } }],
      series: [
        { name: "放款企业（家）", type: "bar", data: d.enterprises, itemStyle: { color: colors[0] }, label: { show: true, position: "top" } },
        { name: "首贷企业（家）", type: "bar", data: d.new_enterprises, itemStyle: { color: "#7fb3e0" }, label: { show: true, position: "top" } },
        { name: "放款金额（万元）", type: "line", yAxisIndex: 1, data: d.amount, itemStyle: { color: colors[1] }, label: { show: true } }
      ]
    };
  };
  charts.financeMonths = function (d) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: d.labels },
      yAxis: { type: "value", name: "万元" },
      series: d.series.map(function (s, i) {
        return { name: s.name, type: "bar", stack: "amount", data: s.values, itemStyle: { color: colors[i % colors.length] } };
      })
    };
  };
  charts.financeJurisdictions = function (d) {
    return {
      tooltip: { trigger: "axis" }, grid: { left: 110, right: 60, top: 10, bottom: 30 },
      xAxis: { type: "value", name: "万元" },
      yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { interval: 0 } },
      series: [{ type: "bar", data: d.values, itemStyle: { color: colors[0] }, label: { show: true, position: "right" } }]
    };
  };
  charts.financeOrders = function (d) {
    return {
      tooltip: { trigger: "axis" }, legend: { top: 0, data: ["本地订单", "跨区订单"] },
      grid: { left: 40, right: 20, top: 40, bottom: 40 },
      xAxis: { type: "category", data: d.labels },
      yAxis: { type: "value", name: "个", minInterval: 1 },
      series: [
        { name: "本地订单", type: "bar", stack: "n", data: d.local, itemStyle: { color: colors[0] } },
        { name: "跨区订单", type: "bar", stack: "n", data: d.cross, itemStyle: { color: colors[2] } }
      ]
    };
  };
  charts.financePool = function (d) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["资金池余额（万元）", "在贷余额（万元）", "放大倍数"] },
      grid: { left: 70, right: 50, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.labels },
      yAxis: [{ type: "value", name: "万元" }, { type: "value", name: "倍", splitLine: { show: false } }],
      series: [
        { name: "资金池余额（万元）", type: "bar", data: d.balance, itemStyle: { color: colors[2] } },
        { name: "在贷余额（万元）", type: "bar", data: d.outstanding, itemStyle: { color: colors[0] } },
        { name: "放大倍数", type: "line", yAxisIndex: 1, data: d.leverage, itemStyle: { color: colors[1] } }
      ]
    };
  };
})();
