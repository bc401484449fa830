// Proposals of a participation round on a map (Leaflet, vendored). The list beside it holds
// the same proposals, so the map is an enhancement only; points come from json_script
// "proposal-points" (positions rounded to about 100 m).
(function () {
  "use strict";
  function init() {
    var element = document.getElementById("proposal-map");
    var source = document.getElementById("proposal-points");
    if (!element || !source || !window.L) { return; }
    var points = JSON.parse(source.textContent);
    if (!points.length) { return; }
    window.L.Icon.Default.imagePath = "";
    window.L.Icon.Default.mergeOptions({
      iconUrl: element.dataset.iconUrl,
      iconRetinaUrl: element.dataset.iconRetinaUrl,
      shadowUrl: element.dataset.shadowUrl
    });
    var map = window.L.map(element, { scrollWheelZoom: false });
    window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "&copy; OpenStreetMap contributors"
    }).addTo(map);
    var bounds = [];
    points.forEach(function (point) {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      window.L.marker([point.lat, point.lon], { title: point.title }).bindPopup(link).addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    map.fitBounds(bounds, { maxZoom: 16, padding: [20, 20] });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
