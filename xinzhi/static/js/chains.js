// The chain map (产业链图谱): an ECharts tree from a json_script element, <div data-chain-map="id">.
// Node colour = local presence, size = local enterprises, thick border = key node; a click on a
// node opens its page. Everything is drawn offline from the vendored echarts.min.js.
(function () {
  function tooltip(p) {
    var d = p.data;
    if (!d.url) return d.name;
    return d.name + "<br>" + d.position + (d.key ? " · 关键环节" : "") +
      "<br>本地企业 " + d.value + " 家 · " + d.presence;
  }
  function draw(el) {
    var source = document.getElementById(el.dataset.chainMap);
    if (!source || !window.echarts) return;
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "item", formatter: tooltip },
      series: [{
        type: "tree", data: [spec.root], orient: "LR", layout: "orthogonal",
        top: 20, bottom: 20, left: 90, right: 150, initialTreeDepth: -1,
        expandAndCollapse: false, roam: false, animation: false, symbol: "circle",
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 13,
                 formatter: function (p) { return p.data.url ? p.name + "（" + p.value + "）" : p.name; } },
        leaves: { label: { position: "right", align: "left" } },
        lineStyle: { color: "#9fb3c8", width: 1.2, curveness: 0.4 }
      }]
    });
    chart.on("click", function (p) { if (p.data && p.data.url) window.location.href = p.data.url; });
    window.addEventListener("resize", function () { chart.resize(); });
    window.XinzhiChainMap = chart;  // the browser test clicks through it
    el.dataset.ready = "1";
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chain-map]").forEach(draw);
  });
})();
