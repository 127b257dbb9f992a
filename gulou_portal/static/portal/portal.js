// Portal-wide behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // htmx requests carry the CSRF token.
  document.body.addEventListener("htmx:configRequest", function (event) {
    event.detail.headers["X-CSRFToken"] = document.body.dataset.csrfToken;
  });
  // A monthly subsidy's amount follows the standard in force when the kind is chosen (the input
  // carries the standards as data-standards; a typed amount is never overwritten).
  document.addEventListener("change", function (event) {
    var kind = event.target.closest("select[name=kind]");
    var form = kind && kind.form;
    var amount = form && form.querySelector("input[data-standards]");
    if (!amount) {
      return;
    }
    var standards = JSON.parse(amount.dataset.standards);
    if (amount.value === "" || amount.dataset.prefilled === amount.value) {
      amount.value = standards[kind.value] || "";
      amount.dataset.prefilled = amount.value;
    }
  });
  // Buttons and links with data-confirm ask before acting.
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
