// Person form: the community list offers only the communities of the chosen street.
(function () {
  "use strict";
  var street = document.getElementById("id_street");
  var community = document.getElementById("id_community");
  if (!street || !community) {
    return;
  }
  function filterCommunities() {
    var chosen = street.value;
    Array.prototype.forEach.call(community.options, function (option) {
      var belongs = !option.dataset.street || !chosen || option.dataset.street === chosen;
      option.hidden = !belongs;
      option.disabled = !belongs;
      if (!belongs && option.selected) {
        community.value = "";
      }
    });
  }
  street.addEventListener("change", filterCommunities);
  filterCommunities();
})();
