/* The offer map: clustered markers from the GeoJSON twin of the search, reloaded for the
   visible section (bbox) after each move, with the same filters as the list.

   The texts and the icon URLs come from data attributes of #offer-map (search/map.html), so
   they are translated and go through {% static %} (Leaflet's own guess of the icon path fails
   on the hashed file names of the production storage). Keyboard: the map pans with the arrow
   keys and zooms with + and -; markers and clusters are focusable, Enter opens a marker's
   popup and moves the focus to its link, Escape closes it again, Enter on a cluster zooms in. */
(function () {
  "use strict";
  var element = document.getElementById("offer-map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var data = element.dataset;
  var status = document.getElementById("map-status");

  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: data.iconUrl,
    iconRetinaUrl: data.iconRetinaUrl,
    shadowUrl: data.shadowUrl
  });

  var map = L.map(element, { zoomControl: false }).setView([49.75, 6.64], 11);
  L.control.zoom({ zoomInTitle: data.zoomIn, zoomOutTitle: data.zoomOut }).addTo(map);
  window.QuartierTiles.add(map);

  function text(pattern, n) {
    return (pattern || "").replace("{n}", String(n));
  }

  // A group's icon: the number for the eye, "n places: zoom in" for screen readers.
  function groupIcon(n) {
    var size = n < 10 ? "small" : n < 100 ? "medium" : "large";
    var count = document.createElement("span");
    count.textContent = String(n);
    count.setAttribute("aria-hidden", "true");
    var label = document.createElement("span");
    label.className = "visually-hidden";
    label.textContent = text(data.clusterLabel, n);
    var inner = document.createElement("div");
    inner.appendChild(count);
    inner.appendChild(label);
    return L.divIcon({
      html: inner,
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40)
    });
  }

  var cluster = L.markerClusterGroup({
    chunkedLoading: true,
    iconCreateFunction: function (group) { return groupIcon(group.getChildCount()); }
  });
  // Large results come counted on a grid by the server ({"cluster": true, "count": n}): one
  // icon per cell, outside the client-side clustering; activating it zooms in around it.
  var counted = L.layerGroup();
  map.addLayer(counted);
  map.addLayer(cluster);
  var fitted = false;
  var pending = null;
  // A list limited to a map section (?bbox=...): the map opens on that section and its first
  // load asks for exactly that box, so that map and list count the same offers.
  var listBox = new URLSearchParams(data.query || "").get("bbox");
  if (listBox) {
    var edges = listBox.split(",").map(Number);
    if (edges.length === 4 && edges.every(isFinite)) {
      map.fitBounds([[edges[1], edges[0]], [edges[3], edges[2]]], { animate: false });
    } else {
      listBox = null;
    }
  }

  // The page's query without the page number, the section and empty fields (a form sends
  // weekday= for "any day"), and without the keys in `drop`.
  function query(drop) {
    var params = new URLSearchParams();
    new URLSearchParams(data.query || "").forEach(function (value, key) {
      if (value !== "" && key !== "page" && key !== "bbox" && drop.indexOf(key) < 0) {
        params.append(key, value);
      }
    });
    return params;
  }

  function currentBox() {
    var b = map.getBounds();
    var clamp = function (v, limit) { return Math.max(-limit, Math.min(limit, v)).toFixed(5); };
    return [
      clamp(b.getWest(), 180), clamp(b.getSouth(), 90), clamp(b.getEast(), 180), clamp(b.getNorth(), 90)
    ].join(",");
  }

  function url() {
    var params = query([]);
    if (fitted) {
      params.set("bbox", currentBox());
    } else if (listBox) {
      params.set("bbox", listBox);
    }
    return data.geojson + "?" + params.toString();
  }

  // This page again, searching around a point (a new place: no address or area, page 1).
  function aroundUrl(latlng) {
    var params = query(["lat", "lon", "address", "near"]);
    params.set("lat", latlng.lat.toFixed(4));
    params.set("lon", latlng.lng.toFixed(4));
    return window.location.pathname + "?" + params.toString();
  }

  function popupContent(feature) {
    var link = document.createElement("a");
    link.href = feature.properties.url;
    link.textContent = feature.properties.name;
    return link;
  }

  function say(message) {
    if (status) {
      status.textContent = message;
    }
  }

  function countedCell(feature) {
    var c = feature.geometry.coordinates;
    var marker = L.marker([c[1], c[0]], { icon: groupIcon(feature.properties.count) });
    marker.on("click keypress", function (event) {
      var key = event.originalEvent && event.originalEvent.key;
      if (event.type === "keypress" && key !== "Enter" && key !== " ") {
        return;
      }
      element.focus();
      map.setView(marker.getLatLng(), Math.min(map.getZoom() + 2, map.getMaxZoom()));
    });
    return marker;
  }

  function show(collection) {
    cluster.clearLayers();
    counted.clearLayers();
    var offers = {};
    var markers = [];
    collection.features.forEach(function (feature) {
      if (feature.properties.cluster) {
        counted.addLayer(countedCell(feature));
        return;
      }
      var c = feature.geometry.coordinates;
      offers[feature.properties.offer] = true;
      markers.push(L.marker([c[1], c[0]], {
        title: feature.properties.name,
        alt: feature.properties.name
      }).bindPopup(popupContent(feature)));
    });
    cluster.addLayers(markers);
    if (!fitted && !listBox && collection.features.length) {
      var bounds = L.latLngBounds(collection.features.map(function (feature) {
        var c = feature.geometry.coordinates;
        return [c[1], c[0]];
      }));
      // Without animation the moveend of this fit fires before `fitted` is set: no reload.
      map.fitBounds(bounds, { maxZoom: 15, animate: false });
    }
    fitted = true;
    var n = typeof collection.total === "number" ? collection.total : Object.keys(offers).length;
    var message = text(n === 1 ? data.shownOne : data.shownOther, n);
    if (collection.clustered) {
      message += " " + data.truncated;
    }
    say(message);
  }

  function load() {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    element.setAttribute("aria-busy", "true");
    fetch(url(), { signal: pending.signal, headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error(body.message || data.failed);
          }
          return body;
        });
      })
      .then(show)
      .catch(function (error) {
        if (error.name !== "AbortError") {
          say(data.failed);
        }
      })
      .then(function () { element.removeAttribute("aria-busy"); });
  }

  // A popup opened by keyboard or pointer takes the focus to its link; Escape closes it and
  // gives the focus back to the marker.
  map.on("popupopen", function (event) {
    var popup = event.popup.getElement();
    var link = popup && popup.querySelector("a[href]");
    if (link) {
      link.focus();
    }
  });
  element.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !map._popup) {
      return;
    }
    var source = map._popup._source;
    map.closePopup();
    if (source && source.getElement && source.getElement()) {
      source.getElement().focus();
    }
    event.preventDefault();
  });
  cluster.on("clusterkeypress", function (event) {
    if (event.originalEvent.key !== "Enter" && event.originalEvent.key !== " ") {
      return;
    }
    event.originalEvent.preventDefault();
    element.focus();  // the cluster's icon goes away when the map zooms in
    if (map.getZoom() >= map.getMaxZoom()) {
      event.layer.spiderfy();
    } else {
      event.layer.zoomToBounds({ padding: [20, 20] });
    }
  });

  // A point on the map: a click (or a tap) offers to search around it; the keyboard's way is
  // the button "Search around the map centre" below the map.
  map.on("click", function (event) {
    var link = document.createElement("a");
    link.href = aroundUrl(event.latlng);
    link.textContent = data.aroundPoint;
    L.popup().setLatLng(event.latlng).setContent(link).openOn(map);
  });
  var actions = document.getElementById("map-actions");
  if (actions) {
    actions.hidden = false;
    document.getElementById("map-search-centre").addEventListener("click", function () {
      window.location.assign(aroundUrl(map.getCenter()));
    });
    document.getElementById("map-limit-list").addEventListener("click", function () {
      var params = query([]);
      params.set("bbox", currentBox());
      window.location.assign(window.location.pathname + "?" + params.toString() + "#search-results");
    });
  }

  map.on("moveend", function () { if (fitted) { load(); } });
  load();
})();
