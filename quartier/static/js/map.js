/* The offer map: clustered markers from the GeoJSON twin of the search, reloaded for the
   visible section (bbox) after each move, with the same filters as the list. */
(function () {
  "use strict";
  var element = document.getElementById("offer-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var status = document.getElementById("map-status");
  var map = L.map(element).setView([49.75, 6.64], 11);
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: "&copy; OpenStreetMap"
  }).addTo(map);
  var cluster = L.markerClusterGroup({ chunkedLoading: true });
  map.addLayer(cluster);
  var fitted = false;
  var pending = null;

  function url() {
    var b = map.getBounds();
    var bbox = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
      .map(function (v) { return Math.max(-180, Math.min(180, v)).toFixed(5); }).join(",");
    var params = new URLSearchParams(element.dataset.query || "");
    params.delete("page");
    if (fitted) {
      params.set("bbox", bbox);
    } else {
      params.delete("bbox");
    }
    return element.dataset.geojson + "?" + params.toString();
  }

  function show(collection) {
    cluster.clearLayers();
    var markers = collection.features.map(function (feature) {
      var c = feature.geometry.coordinates;
      var link = document.createElement("a");
      link.href = feature.properties.url;
      link.textContent = feature.properties.name;
      return L.marker([c[1], c[0]], { title: feature.properties.name }).bindPopup(link);
    });
    cluster.addLayers(markers);
    if (!fitted && markers.length) {
      map.fitBounds(cluster.getBounds(), { maxZoom: 15 });
    }
    fitted = true;
    if (status) {
      status.textContent = collection.truncated
        ? element.dataset.truncated || "Zoom in to see all offers."
        : "";
    }
  }

  function load() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(url(), { signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.json(); })
      .then(show)
      .catch(function () {});
  }

  map.on("moveend", function () { if (fitted) { load(); } });
  load();
})();
