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

  // Phone layout: every table becomes cards on a narrow screen (portal.css); each cell is labelled
  // with its column header unless the template labelled it already.
  function labelTables(root) {
    root.querySelectorAll("table.table").forEach(function (table) {
      var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.replace(/[▲▼]/g, "").trim();
      });
      table.classList.add("table-cards");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (!cell.hasAttribute("data-label") && headers[index] && !cell.hasAttribute("colspan")) {
            cell.setAttribute("data-label", headers[index]);
          }
        });
      });
    });
  }
  labelTables(document);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    labelTables(event.target);
  });

  // A community drop-down follows the street drop-down of its form: only the chosen street's
  // communities are offered (options carry data-street).
  function narrowCommunities(form) {
    var street = form.querySelector("select[name=street]");
    var community = form.querySelector("select[name=community]");
    if (!street || !community) {
      return;
    }
    Array.prototype.forEach.call(community.options, function (option) {
      var belongs = !option.dataset.street || !street.value || option.dataset.street === street.value;
      option.hidden = !belongs;
      option.disabled = !belongs;
      if (!belongs && option.selected) {
        community.value = "";
      }
    });
  }
  document.querySelectorAll("form").forEach(narrowCommunities);
  document.addEventListener("change", function (event) {
    if (event.target.matches("select[name=street]") && event.target.form) {
      narrowCommunities(event.target.form);
    }
  });
})();
