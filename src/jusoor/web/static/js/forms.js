/* Jusoor forms, progressive enhancement only: every form works without this script.
   - The error summary (`[data-error-summary]`, web/templates/_forms.html) takes the focus when the
     page loads, so a screen reader reads every problem first and a keyboard user starts there.
   - A form that ends or removes something (`data-confirm`) asks before it is sent.
   - A text area with a limit (or a box marked `data-counter`) shows "120 / 2000" under it as one types;
     the counter is announced politely when the limit is near. */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  function counters() {
    var boxes = document.querySelectorAll("textarea[maxlength], [data-counter][maxlength]");
    var lang = document.documentElement.lang || "en";
    var format = new Intl.NumberFormat(lang === "ar" ? "ar-u-nu-latn" : lang, { useGrouping: false });
    Array.prototype.forEach.call(boxes, function (box) {
      var limit = parseInt(box.getAttribute("maxlength"), 10);
      if (!limit || box.dataset.counted) {
        return;
      }
      box.dataset.counted = "1";
      var counter = document.createElement("span");
      counter.className = "counter";
      counter.id = box.id ? box.id + "-counter" : "";
      counter.setAttribute("aria-live", "polite");
      counter.setAttribute("dir", "ltr");
      box.insertAdjacentElement("afterend", counter);
      var described = box.getAttribute("aria-describedby");
      if (counter.id) {
        box.setAttribute("aria-describedby", (described ? described + " " : "") + counter.id);
      }
      function update() {
        var used = box.value.length;
        counter.textContent = format.format(used) + " / " + format.format(limit);
        counter.classList.toggle("over", used >= limit);
        // Read out only near the limit, not at each key.
        counter.setAttribute("aria-live", used >= limit * 0.9 ? "polite" : "off");
      }
      box.addEventListener("input", update);
      update();
    });
  }

  // A form that ends or removes something (`data-confirm`, a whole question) asks first.
  // Without the script the button acts at once, as its label and colour say.
  function confirmations() {
    document.addEventListener("submit", function (event) {
      var form = event.target;
      var question = form && form.getAttribute && form.getAttribute("data-confirm");
      if (question && !window.confirm(question)) {
        event.preventDefault();
      }
    });
  }

  function start() {
    counters();
    focusSummary();
  }

  confirmations();

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  // Forms swapped in by htmx get their counters too.
  document.addEventListener("htmx:afterSettle", counters);
})();
