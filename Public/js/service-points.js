// Orders the service points by distance from where the visitor is. The location stays in the
// browser: it is used here and never sent to the server.
(function () {
  "use strict";
  var button = document.getElementById("use-location");
  var list = document.getElementById("point-cards");
  var status = document.getElementById("points-status");
  if (!button || !list || !("geolocation" in navigator)) return;
  button.hidden = false;

  function kilometres(a, b) {
    var rad = Math.PI / 180;
    var dLat = (b.lat - a.lat) * rad, dLon = (b.lon - a.lon) * rad;
    var h = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 6371.0088 * 2 * Math.atan2(Math.sqrt(h), Math.sqrt(1 - h));
  }

  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      var here = { lat: position.coords.latitude, lon: position.coords.longitude };
      var cards = Array.prototype.slice.call(list.children).map(function (card) {
        var lat = parseFloat(card.getAttribute("data-lat")), lon = parseFloat(card.getAttribute("data-lon"));
        var km = isNaN(lat) || isNaN(lon) ? Infinity : kilometres(here, { lat: lat, lon: lon });
        var label = card.querySelector(".point-distance");
        if (label && km !== Infinity) label.textContent = " · " + button.getAttribute("data-km").replace("{km}", String(Math.round(km)));
        return { card: card, km: km };
      });
      cards.sort(function (a, b) { return a.km - b.km; });
      cards.forEach(function (entry) { list.appendChild(entry.card); });
      status.className = "alert alert-notice";
      status.textContent = button.getAttribute("data-sorted");
    }, function () {
      status.className = "alert alert-error";
      status.textContent = button.getAttribute("data-denied");
    }, { maximumAge: 600000, timeout: 20000 });
  });
})();
