/* The public map of concerns (concerns/list.html): markers from the GeoJSON
   (anliegen/karte.geojson) for the visible section (bbox) with the page's filters, reloaded
   after each move. Texts come from data attributes; popups are built as DOM nodes, never as
   HTML strings, so nothing a resident wrote is interpreted. */
(function () {
  "use strict";
  var element = document.getElementById("concern-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var data = element.dataset;
  var status = document.getElementById("concern-map-status");
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: data.iconUrl,
    iconRetinaUrl: data.iconRetinaUrl,
    shadowUrl: data.shadowUrl
  });
  var map = L.map(element).setView([49.75, 6.64], 12);
  window.QuartierTiles.add(map);
  var layer = L.layerGroup().addTo(map);
  var fitted = false;

  function popup(properties) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = properties.category + " (" + properties.status_label + ")";
    var text = document.createElement("p");
    text.textContent = properties.summary;
    box.appendChild(link);
    box.appendChild(text);
    return box;
  }

  function load() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(function (v) { return v.toFixed(5); }).join(",");
    var query = data.query ? data.query + "&" : "";
    fetch(data.geojson + "?" + query + (fitted ? "bbox=" + bbox : ""), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (collection) {
        layer.clearLayers();
        var points = [];
        collection.features.forEach(function (f) {
          var c = f.geometry.coordinates;
          points.push([c[1], c[0]]);
          L.marker([c[1], c[0]], { keyboard: true, title: f.properties.category })
            .bindPopup(popup(f.properties)).addTo(layer);
        });
        if (!fitted) {
          fitted = true;
          if (points.length) { map.fitBounds(points, { maxZoom: 16 }); }
        }
        status.textContent = collection.truncated ? data.truncated : "";
      })
      .catch(function () { status.textContent = data.failed; });
  }

  map.on("moveend", function () { if (fitted) { load(); } });
  load();
})();
