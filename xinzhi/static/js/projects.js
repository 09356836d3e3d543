// 项目推进: chart kinds for the project detail (节点甘特图) and the key-project dashboard.
// Loaded after charts.js; extends window.XinzhiCharts before DOMContentLoaded draws them.
(function () {
  var charts = window.XinzhiCharts || (window.XinzhiCharts = {});
  var RED = "#c0392b", AMBER = "#e0a800", GREEN = "#2a9d8f", BLUE = "#2a6fb0";

  // Gantt: per milestone, the planned phase (previous planned date → its planned date, upper
  // bar) and the actual phase (previous actual date → its actual date, or → today while it is
  // open past its plan, lower bar: green on time, amber done late, red open and late).
  charts.projectGantt = function (d) {
    var bars = [], planned = [], actual = [];
    d.labels.forEach(function (label, i) {
      var p0 = i > 0 ? d.planned[i - 1] : null, a0 = i > 0 ? d.actual[i - 1] : null;
      if (d.planned[i]) {
        planned.push([d.planned[i], i]);
        bars.push([i, p0 || d.planned[i], d.planned[i], 0]);
      }
      if (d.actual[i]) {
        actual.push([d.actual[i], i]);
        bars.push([i, a0 || d.actual[i], d.actual[i], d.late[i] > 0 ? 2 : 1]);
      } else if (d.late[i] > 0) {
        bars.push([i, a0 || d.planned[i], d.today, 3]);
      }
    });
    var fills = [BLUE, GREEN, AMBER, RED];
    return {
      tooltip: { trigger: "item", formatter: function (p) {
        var i = p.seriesName === "进度" ? p.value[0] : p.value[1];
        return d.labels[i] + "<br>计划：" + (d.planned[i] || "—") + "<br>实际：" + (d.actual[i] || "未完成") +
          (d.late[i] ? "<br>滞后 " + d.late[i] + " 天" : "");
      } },
      legend: { top: 0, data: ["计划日期", "实际日期"] },
      grid: { left: 80, right: 30, top: 40, bottom: 30 },
      xAxis: { type: "time" },
      yAxis: { type: "category", data: d.labels, inverse: true },
      series: [
        { name: "进度", type: "custom", data: bars, encode: { x: [1, 2], y: 0 },
          dimensions: [{ name: "节点", type: "int" }, { name: "起", type: "time" },
                       { name: "止", type: "time" }, { name: "类别", type: "int" }],
          renderItem: function (params, api) {
            var start = api.coord([api.value(1), api.value(0)]);
            var end = api.coord([api.value(2), api.value(0)]);
            var band = api.size([0, 1])[1], height = band * 0.28, kind = api.value(3);
            var y = kind === 0 ? start[1] - height - 1 : start[1] + 1;
            return { type: "rect", shape: { x: start[0], y: y, width: Math.max(end[0] - start[0], 3), height: height },
              style: { fill: fills[kind], opacity: kind === 0 ? 0.35 : 0.75 } };
          } },
        { name: "计划日期", type: "scatter", symbol: "diamond", symbolSize: 11, itemStyle: { color: BLUE }, data: planned },
        { name: "实际日期", type: "scatter", symbol: "circle", symbolSize: 9, itemStyle: { color: "#1b5e20" }, data: actual,
          markLine: { symbol: "none", silent: true, lineStyle: { color: RED, type: "dashed" },
                      label: { formatter: "今天", position: "insideEndTop" }, data: [{ xAxis: d.today }] } }
      ]
    };
  };

  charts.projectSignal = function (d) {
    var colors = { red: RED, amber: AMBER, green: GREEN };
    return {
      tooltip: { trigger: "item", formatter: "{b}：{c}个（{d}%）" },
      legend: { bottom: 0 },
      series: [{ type: "pie", radius: ["35%", "65%"], label: { position: "inside", formatter: "{c}", color: "#fff", fontWeight: "bold" },
        data: d.items.map(function (i) { return { name: i.name, value: i.value, itemStyle: { color: colors[i.signal] } }; }) }]
    };
  };

  charts.projectBoards = function (d) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["滞后", "缺报", "正常", "总投资（万元）"] },
      grid: { left: 50, right: 70, top: 40, bottom: 70 },
      xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: 25 } },
      yAxis: [{ type: "value", name: "个" }, { type: "value", name: "万元", splitLine: { show: false } }],
      series: [
        { name: "滞后", type: "bar", stack: "n", barMaxWidth: 48, data: d.red, itemStyle: { color: RED } },
        { name: "缺报", type: "bar", stack: "n", data: d.amber, itemStyle: { color: AMBER } },
        { name: "正常", type: "bar", stack: "n", data: d.green, itemStyle: { color: GREEN } },
        { name: "总投资（万元）", type: "line", yAxisIndex: 1, data: d.investment, itemStyle: { color: BLUE } }
      ]
    };
  };

  charts.projectPlan = function (d) {
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: ["累计完成投资（万元）"] },
      grid: { left: 70, right: 80, top: 40, bottom: 30 },
      xAxis: { type: "category", data: d.labels },
      yAxis: { type: "value", name: "万元", max: function (v) {
        if (!(d.plan > v.max)) return null;
        var top = d.plan * 1.08, step = Math.pow(10, Math.floor(Math.log10(top)));
        return Math.ceil(top / step * 2) * step / 2;
      } },
      series: [{ name: "累计完成投资（万元）", type: "line", data: d.values, areaStyle: { opacity: 0.15 }, itemStyle: { color: BLUE },
        markLine: d.plan ? { symbol: "none", lineStyle: { color: RED, type: "dashed" },
          label: { formatter: "年度计划 {c}" }, data: [{ yAxis: d.plan }] } : undefined }]
    };
  };
})();
