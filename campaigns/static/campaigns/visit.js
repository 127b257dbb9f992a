// Home visit on a phone: one group of questions per screen, and every change kept as a server draft.
(function () {
  "use strict";
  var form = document.querySelector("[data-visit-form]");
  if (!form) { return; }
  var steps = Array.prototype.slice.call(form.querySelectorAll(".visit-step"));
  var status = form.querySelector("[data-draft-status]");
  var current = 0;
  // A step with an error opens first.
  steps.forEach(function (step, i) { if (current === 0 && step.querySelector(".is-invalid")) { current = i; } });

  function show(index) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach(function (step, i) { step.hidden = i !== current; });
    window.scrollTo(0, 0);
  }
  form.addEventListener("click", function (event) {
    if (event.target.closest("[data-step-next]")) { show(current + 1); }
    if (event.target.closest("[data-step-prev]")) { show(current - 1); }
  });
  // Saving with the last screen shown: the whole form is posted, every step included.
  show(current);

  // One draft request at a time: a change made while one is in flight is sent after it, so an
  // older request can never overwrite a newer draft on the server (a blur fires its own change).
  var inFlight = false;
  var pending = false;

  function saveDraft() {
    if (inFlight) { pending = true; return; }
    inFlight = true;
    pending = false;
    var data = new FormData(form);
    data.set("action", "draft");
    if (status) { status.textContent = "正在暂存…"; }
    fetch(form.getAttribute("data-draft-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" },
    }).then(function (response) {
      inFlight = false;
      if (pending) { saveDraft(); return; }
      if (!status) { return; }
      var now = new Date();
      status.textContent = response.ok
        ? "已自动暂存 " + String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0")
        : "暂存失败，请点“暂存”按钮";
    }).catch(function () {
      inFlight = false;
      if (pending) { saveDraft(); return; }
      if (status) { status.textContent = "网络中断，内容尚未暂存"; }
    });
  }
  form.addEventListener("change", saveDraft);
})();
