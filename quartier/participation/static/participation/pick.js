// The place of a new proposal (participation/propose.html): a click (or Enter on the focused
// map, which marks its centre) puts a marker and fills the form's hidden lat/lon fields.
// Without JavaScript the place is described in the text.
(function () {
  "use strict";
  function init() {
    var element = document.getElementById("proposal-pick-map");
    if (!element || !window.L) { return; }
    var data = element.dataset;
    var form = element.closest("form");
    var status = document.getElementById("proposal-pick-status");
    var clear = document.getElementById("proposal-clear-place");
    window.L.Icon.Default.imagePath = "";
    window.L.Icon.Default.mergeOptions({
      iconUrl: data.iconUrl,
      iconRetinaUrl: data.iconRetinaUrl,
      shadowUrl: data.shadowUrl
    });
    var lat = parseFloat(data.lat);
    var lon = parseFloat(data.lon);
    var centre = isFinite(lat) && isFinite(lon) ? [lat, lon] : [51.16, 10.45];
    var map = window.L.map(element).setView(centre, isFinite(lat) ? 15 : 6);
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap contributors"
    }).addTo(map);
    var marker = null;
    function mark(latlng) {
      form.elements.lat.value = latlng.lat.toFixed(5);
      form.elements.lon.value = latlng.lng.toFixed(5);
      if (marker) { marker.setLatLng(latlng); } else { marker = window.L.marker(latlng).addTo(map); }
      clear.hidden = false;
      status.textContent = data.marked;
    }
    var initialLat = parseFloat(form.elements.lat.value);
    var initialLon = parseFloat(form.elements.lon.value);
    if (isFinite(initialLat) && isFinite(initialLon)) {
      map.setView([initialLat, initialLon], 16);
      mark(window.L.latLng(initialLat, initialLon));
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
      status.textContent = "";
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
