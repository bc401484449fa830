/* The place of a new concern (concerns/report.html): a click (or Enter on the focused map,
   which marks its centre) puts a marker and fills the form's hidden lat/lon fields; "Use my
   location" asks the browser (Geolocation API) once. After each mark, open concerns nearby
   are loaded into #concern-nearby (an htmx fragment), so that a resident sees whether theirs
   was reported already. Without JavaScript the area select and the address field remain. */
(function () {
  "use strict";
  var element = document.getElementById("concern-pick-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var data = element.dataset;
  var form = element.closest("form");
  var status = document.getElementById("concern-pick-status");
  var nearMe = document.getElementById("concern-near-me");
  var clear = document.getElementById("concern-clear-place");

  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: data.iconUrl,
    iconRetinaUrl: data.iconRetinaUrl,
    shadowUrl: data.shadowUrl
  });
  var map = L.map(element).setView([49.75, 6.64], 12);
  window.QuartierTiles.add(map);
  var marker = null;

  function say(text) {
    if (status) { status.textContent = text || ""; }
  }

  function loadNearby(lat, lon) {
    var target = document.getElementById("concern-nearby");
    if (!target) { return; }
    var url = data.nearbyUrl + "?lat=" + lat + "&lon=" + lon;
    if (window.htmx) {
      window.htmx.ajax("GET", url, { target: target, swap: "innerHTML" });
    }
  }

  function mark(latlng) {
    var lat = latlng.lat.toFixed(5);
    var lon = latlng.lng.toFixed(5);
    form.elements.lat.value = lat;
    form.elements.lon.value = lon;
    if (marker) { marker.setLatLng(latlng); } else { marker = L.marker(latlng).addTo(map); }
    clear.hidden = false;
    say(data.marked);
    loadNearby(lat, lon);
  }

  var initialLat = parseFloat(form.elements.lat.value);
  var initialLon = parseFloat(form.elements.lon.value);
  if (isFinite(initialLat) && isFinite(initialLon)) {
    map.setView([initialLat, initialLon], 16);
    mark(L.latLng(initialLat, initialLon));
  }

  map.on("click", function (event) { mark(event.latlng); });
  element.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target === element) {
      event.preventDefault();
      mark(map.getCenter());
    }
  });
  clear.addEventListener("click", function () {
    form.elements.lat.value = "";
    form.elements.lon.value = "";
    if (marker) { map.removeLayer(marker); marker = null; }
    clear.hidden = true;
    say("");
    document.getElementById("concern-nearby").textContent = "";
  });
  if ("geolocation" in navigator) {
    nearMe.hidden = false;
    nearMe.addEventListener("click", function () {
      say(data.locating);
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var here = L.latLng(position.coords.latitude, position.coords.longitude);
          map.setView(here, 17);
          mark(here);
        },
        function () { say(data.unavailable); },
        { timeout: 10000, maximumAge: 60000 }
      );
    });
  }
})();
