// 科技招商: chart kinds for the statistics page and drag-and-drop on the kanban board.
// Loaded after charts.js; extends window.XinzhiCharts before DOMContentLoaded draws them.
(function () {
  var charts = window.XinzhiCharts || (window.XinzhiCharts = {});
  function columnChart(unit, color) {
    return function (d) {
      return {
        tooltip: { trigger: "axis" }, grid: { left: 50, right: 20, top: 30, bottom: 60 },
        xAxis: { type: "category", data: d.labels, axisLabel: { interval: 0, rotate: 20 } },
        yAxis: { type: "value", name: unit },
        series: [{ type: "bar", data: d.values, itemStyle: { color: color }, label: { show: true, position: "top" } }]
      };
    };
  }
  charts.attractionBar = function (d) {
    return {
      tooltip: { trigger: "axis" }, grid: { left: 110, right: 40, top: 10, bottom: 30 },
      xAxis: { type: "value" },
      yAxis: { type: "category", data: d.labels, inverse: true, axisLabel: { interval: 0 } },
      series: [{ type: "bar", data: d.values, itemStyle: { color: "#2a6fb0" }, label: { show: true, position: "right" } }]
    };
  };
  charts.attractionRate = columnChart("%", "#2a9d8f");
  charts.attractionDays = columnChart("天", "#d9822b");

  // Drag a card onto another column: choose that stage in the card's own form and submit it,
  // so the move goes through the same stage service (and HTMX swaps the board).
  var dragged = null;
  document.addEventListener("dragstart", function (e) {
    var card = e.target.closest && e.target.closest(".xz-board-card[draggable=true]");
    if (!card) return;
    dragged = card;
    e.dataTransfer.setData("text/plain", card.dataset.lead);
  });
  document.addEventListener("dragover", function (e) {
    var col = e.target.closest && e.target.closest(".xz-board-col");
    if (!col || !dragged) return;
    e.preventDefault();
    col.classList.add("xz-drop");
  });
  document.addEventListener("dragleave", function (e) {
    var col = e.target.closest && e.target.closest(".xz-board-col");
    if (col) col.classList.remove("xz-drop");
  });
  document.addEventListener("drop", function (e) {
    var col = e.target.closest && e.target.closest(".xz-board-col");
    if (!col || !dragged) return;
    e.preventDefault();
    col.classList.remove("xz-drop");
    var form = dragged.querySelector("form.xz-move");
    dragged = null;
    if (!form) return;
    var select = form.querySelector("select[name=stage]");
    if (select.value === col.dataset.stage) return;
    select.value = col.dataset.stage;
    if (window.htmx) { window.htmx.trigger(form, "submit"); } else { form.submit(); }
  });
})();
