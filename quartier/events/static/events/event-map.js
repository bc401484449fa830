// The event's place on a map (Leaflet, vendored). The page shows the address as text too,
// so the map is an enhancement only.
(function () {
  "use strict";
  function init() {
    var element = document.getElementById("event-map");
    if (!element || !window.L) { return; }
    var lat = parseFloat(element.dataset.lat);
    var lon = parseFloat(element.dataset.lon);
    // Leaflet guesses its icon path from its stylesheet, which fails once the file names
    // carry hashes (ManifestStaticFilesStorage): the page names the icons instead.
    window.L.Icon.Default.imagePath = "";
    window.L.Icon.Default.mergeOptions({
      iconUrl: element.dataset.iconUrl,
      iconRetinaUrl: element.dataset.iconRetinaUrl,
      shadowUrl: element.dataset.shadowUrl
    });
    var map = window.L.map(element, { scrollWheelZoom: false }).setView([lat, lon], 16);
    window.QuartierTiles.add(map);
    window.L.marker([lat, lon], { title: element.dataset.label }).addTo(map);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
