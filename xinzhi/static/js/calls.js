// Scoring page: shows the weighted total (Σ score ÷ 满分 × 权重) while the expert types.
(function () {
  function update(form) {
    var inputs = form.querySelectorAll("input[data-weight]");
    var total = 0, complete = true;
    inputs.forEach(function (input) {
      var value = parseFloat(input.value);
      if (isNaN(value)) { complete = false; return; }
      total += value / parseFloat(input.dataset.max) * parseFloat(input.dataset.weight);
    });
    var out = document.getElementById("score-total");
    if (out) out.textContent = complete && inputs.length ? total.toFixed(2) : "—";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("score-form");
    if (!form) return;
    form.addEventListener("input", function () { update(form); });
    update(form);
  });
})();
