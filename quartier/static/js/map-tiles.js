/* Map backgrounds (quartier/core/maps.py, QUARTIER_MAP_TILES): the map scripts call
   QuartierTiles.add(map) instead of adding a tile layer themselves.

   The configuration and its texts come from <meta name="quartier-map-tiles"> (base.html).
   When the tile server is a third party, no tile is requested before the visitor agrees: a
   notice with the button "Karte laden" stands before each map, the map shows its markers on a
   plain background meanwhile, and the choice is remembered in localStorage (for this tile URL)
   until it is withdrawn with the button "Karte nicht mehr laden" below a map. One click loads
   the background of every map on the page. */
(function () {
  "use strict";
  var KEY = "quartier-map-consent";
  var meta = document.querySelector('meta[name="quartier-map-tiles"]');
  var config = {};
  try {
    config = meta ? JSON.parse(meta.getAttribute("content")) : {};
  } catch (error) {
    config = {};
  }
  var maps = [];

  function stored() {
    try {
      return window.localStorage.getItem(KEY);
    } catch (error) {
      return null;
    }
  }

  function store(value) {
    try {
      if (value) {
        window.localStorage.setItem(KEY, value);
      } else {
        window.localStorage.removeItem(KEY);
      }
    } catch (error) {
      // Storage refused (private mode): the consent lasts for this page only.
    }
  }

  function consented() {
    return !config.consent || stored() === config.url;
  }

  // The attribution as text: Leaflet shows it as HTML.
  function escaped(text) {
    var holder = document.createElement("span");
    holder.textContent = text || "";
    return holder.innerHTML;
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function withdrawButton(entry) {
    var box = element("p", "map-consent-withdraw");
    var button = element("button", "button-link", config.withdraw);
    button.type = "button";
    button.addEventListener("click", function () {
      store(null);
      maps.forEach(function (other) {
        if (other.layer) {
          other.map.removeLayer(other.layer);
          other.layer = null;
        }
        if (other.withdraw) {
          other.withdraw.remove();
          other.withdraw = null;
        }
        showNotice(other);
      });
      if (entry.notice) { entry.notice.querySelector("button").focus(); }
    });
    box.appendChild(button);
    return box;
  }

  function showTiles(entry) {
    if (entry.layer || !config.url) { return; }
    entry.layer = window.L.tileLayer(config.url, {
      maxZoom: config.max_zoom || 19,
      attribution: escaped(config.attribution)
    }).addTo(entry.map);
    if (entry.notice) {
      entry.notice.remove();
      entry.notice = null;
    }
    if (config.consent && !entry.withdraw) {
      entry.withdraw = withdrawButton(entry);
      entry.map.getContainer().insertAdjacentElement("afterend", entry.withdraw);
    }
  }

  function showNotice(entry) {
    if (entry.notice) { return; }
    var notice = element("div", "map-consent");
    notice.appendChild(element("p", "", config.notice));
    var button = element("button", "", config.load);
    button.type = "button";
    button.addEventListener("click", function () {
      store(config.url);
      maps.forEach(showTiles);
      entry.map.getContainer().focus();
    });
    notice.appendChild(button);
    if (config.privacy_url) {
      var more = element("a", "", config.privacy);
      more.href = config.privacy_url;
      notice.appendChild(document.createTextNode(" "));
      notice.appendChild(more);
    }
    entry.notice = notice;
    entry.map.getContainer().insertAdjacentElement("beforebegin", notice);
  }

  window.QuartierTiles = {
    add: function (map) {
      var entry = { map: map, layer: null, notice: null, withdraw: null };
      maps.push(entry);
      // Without a tile layer the map needs its own zoom limit (marker clustering asks for it).
      map.setMaxZoom(config.max_zoom || 19);
      map.getContainer().classList.add("map-plain");
      if (!config.url) { return; }
      if (consented()) {
        showTiles(entry);
      } else {
        showNotice(entry);
      }
    }
  };
})();
