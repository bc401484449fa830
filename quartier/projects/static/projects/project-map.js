// Running projects on a map (Leaflet, vendored). The list beside it holds the same projects,
// so the map is an enhancement only; points come from json_script "project-points".
(function () {
  "use strict";
  function init() {
    var element = document.getElementById("project-map");
    var source = document.getElementById("project-points");
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
    window.QuartierTiles.add(map);
    var bounds = [];
    points.forEach(function (point) {
      var link = document.createElement("a");
      link.href = point.url;
      link.textContent = point.title;
      window.L.marker([point.lat, point.lon], { title: point.title }).bindPopup(link).addTo(map);
      bounds.push([point.lat, point.lon]);
    });
    map.fitBounds(bounds, { maxZoom: 15, padding: [20, 20] });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
