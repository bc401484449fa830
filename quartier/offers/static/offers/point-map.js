/* The point of an offer's location on the back-office form (offers/backoffice/edit.html,
   partials/point_map.html): a small map per location shows the point of its latitude and
   longitude fields. A click on the map, dragging the marker, or Enter on the focused map
   (which takes its centre; the arrow keys move the map) sets the point and fills both fields;
   typing in the fields moves the marker. The fields stay what is sent, so the form works the
   same without this script. Tiles come through QuartierTiles (js/map-tiles.js), which asks
   before loading a third party's tiles. */
(function () {
  "use strict";
  if (typeof L === "undefined" || !window.QuartierTiles) {
    return;
  }

  function number(input) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function setUp(element) {
    var data = element.dataset;
    var latField = document.getElementById(data.latField);
    var lonField = document.getElementById(data.lonField);
    if (!latField || !lonField) {
      return;
    }
    var box = element.closest("[data-point-picker]");
    var status = box.querySelector("[data-point-status]");
    box.hidden = false;

    var edges = (data.bounds || "").split(",").map(parseFloat);
    var bounds = edges.length === 4 && edges.every(isFinite)
      ? L.latLngBounds([edges[0], edges[1]], [edges[2], edges[3]])
      : null;
    var map = L.map(element);
    if (bounds) {
      map.fitBounds(bounds);
    } else {
      map.setView([51.16, 10.45], 5);
    }
    window.QuartierTiles.add(map);
    var marker = null;

    function place(latlng) {
      if (marker) {
        marker.setLatLng(latlng);
        return;
      }
      marker = L.marker(latlng, { draggable: true, autoPan: true }).addTo(map);
      marker.on("dragend", function () { set(marker.getLatLng()); });
    }

    function set(latlng) {
      if (bounds && !bounds.contains(latlng)) {
        return;
      }
      latField.value = latlng.lat.toFixed(6);
      lonField.value = latlng.lng.toFixed(6);
      place(latlng);
      if (status) { status.textContent = data.marked || ""; }
    }

    function fromFields(zoom) {
      var lat = number(latField);
      var lon = number(lonField);
      if (lat === null || lon === null) {
        return;
      }
      var latlng = L.latLng(lat, lon);
      place(latlng);
      map.setView(latlng, zoom || Math.max(map.getZoom(), 15));
    }

    fromFields(16);
    map.on("click", function (event) { set(event.latlng); });
    element.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === element) {
        event.preventDefault();
        set(map.getCenter());
      }
    });
    latField.addEventListener("change", function () { fromFields(); });
    lonField.addEventListener("change", function () { fromFields(); });
  }

  L.Icon.Default.imagePath = "";
  var maps = document.querySelectorAll(".offer-point-map");
  for (var index = 0; index < maps.length; index += 1) {
    var data = maps[index].dataset;
    L.Icon.Default.mergeOptions({
      iconUrl: data.iconUrl,
      iconRetinaUrl: data.iconRetinaUrl,
      shadowUrl: data.shadowUrl
    });
    setUp(maps[index]);
  }
})();
