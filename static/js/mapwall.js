/* 创文通 map wall: sites coloured by their open / overdue tickets, tickets as pins, filters that reload the
 * GeoJSON of the API for the visible area (bbox). Leaflet comes from django-leaflet; no CDN, and no tile layer
 * unless the office configured a tile server. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var text = JSON.parse(document.getElementById("map-text").textContent);
  var element = document.getElementById("map-wall");
  var filters = document.getElementById("map-filters");
  var panel = document.getElementById("map-panel");
  if (!element || typeof L === "undefined") { return; }

  var map = L.map(element, {
    center: config.center, zoom: config.zoom, minZoom: config.minZoom, maxZoom: config.maxZoom,
    attributionControl: Boolean(config.tilesUrl)
  });
  if (config.tilesUrl) {
    L.tileLayer(config.tilesUrl, { attribution: config.tilesAttribution, maxZoom: config.maxZoom }).addTo(map);
  }
  var sitesLayer = L.layerGroup().addTo(map);
  var ticketsLayer = L.layerGroup().addTo(map);
  var firstLoad = true;
  // A city-wide view shows the sites' colours; ticket pins come when zoomed in to a few streets, or at once
  // when a filter asks for particular tickets.
  var TICKETS_MIN_ZOOM = 15;
  var NO_TICKETS = { type: "FeatureCollection", features: [], truncated: false, skipped: true };
  var pending = null;

  var COLOURS = { green: "#15803d", amber: "#d97706", red: "#c8161d" };
  // SVG keeps each site an element; past a few thousand points a canvas draws faster.
  var canvas = L.canvas({ padding: 0.2 });
  function rendererFor(count) { return count > 1500 ? canvas : undefined; }

  function escapeHtml(value) {
    return String(value === null || value === undefined ? "" : value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function siteColour(p) {
    if (p.overdue > 0) { return "red"; }
    if (p.open > 0) { return "amber"; }
    return "green";
  }

  function bboxParam() {
    var b = map.getBounds().pad(0.1);
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (n) { return n.toFixed(6); }).join(",");
  }

  function filterParams() {
    var params = new URLSearchParams();
    new FormData(filters).forEach(function (value, key) { if (value) { params.append(key, value); } });
    return params;
  }

  function setCount(name, value) {
    var cell = panel.querySelector('[data-count="' + name + '"]');
    if (cell) { cell.textContent = value; }
  }

  function drawSites(collection) {
    sitesLayer.clearLayers();
    var counts = { green: 0, amber: 0, red: 0 };
    var renderer = rendererFor(collection.features.length);
    collection.features.forEach(function (feature) {
      var p = feature.properties;
      var colour = siteColour(p);
      counts[colour] += 1;
      var latlng = [feature.geometry.coordinates[1], feature.geometry.coordinates[0]];
      var marker = L.circleMarker(latlng, {
        radius: p.is_key ? 11 : 8, color: "#fff", weight: 2, fillColor: COLOURS[colour], fillOpacity: 0.9,
        className: "site-marker site-" + colour, renderer: renderer
      });
      marker.bindPopup(
        "<strong>" + escapeHtml(p.name) + "</strong>" + (p.is_key ? " <em>" + escapeHtml(text.key) + "</em>" : "") +
        "<br><span>" + escapeHtml(p.site_type) + " · " + escapeHtml(p.code) + "</span>" +
        "<br>" + escapeHtml(text.open) + ": <b>" + p.open + "</b> · " + escapeHtml(text.overdue) + ": <b>" + p.overdue + "</b>" +
        "<br><a href=\"" + config.siteTicketsUrl.replace("{id}", p.id) + "\">" + escapeHtml(text.tickets) + "</a>"
      );
      marker.addTo(sitesLayer);
    });
    setCount("green", counts.green);
    setCount("amber", counts.amber);
    setCount("red", counts.red);
    return collection.features.length;
  }

  function ringOffset(index) {
    // Ring k holds 8·(k+1) pins, 16 + 10·k pixels from the site's centre: the site stays clickable and
    // every ticket of a busy site can be reached, at any zoom.
    var ring = 0;
    var capacity = 8;
    while (index >= capacity) { index -= capacity; ring += 1; capacity = 8 * (ring + 1); }
    var angle = (2 * Math.PI * index) / capacity - Math.PI / 2;
    var radius = 16 + 10 * ring;
    return [Math.round(radius * Math.cos(angle)), Math.round(radius * Math.sin(angle))];
  }

  function drawTickets(collection) {
    ticketsLayer.clearLayers();
    var byPosition = {};
    collection.features.forEach(function (feature) {
      var key = feature.geometry.coordinates.join(",");
      (byPosition[key] = byPosition[key] || []).push(feature);
    });
    var overdue = 0;
    Object.keys(byPosition).forEach(function (key) {
      byPosition[key].forEach(function (feature, index) {
        var p = feature.properties;
        if (p.is_overdue) { overdue += 1; }
        var offset = ringOffset(index);
        var icon = L.divIcon({
          className: "ticket-pin" + (p.is_overdue ? " ticket-pin-overdue" : "") + " status-pin-" + p.status,
          iconSize: [12, 12], iconAnchor: [6 - offset[0], 6 - offset[1]], popupAnchor: [offset[0], offset[1] - 6]
        });
        var marker = L.marker([feature.geometry.coordinates[1], feature.geometry.coordinates[0]], {
          icon: icon, title: p.number, keyboard: true, riseOnHover: true
        });
        marker.bindPopup(
          "<strong>" + escapeHtml(p.number) + "</strong> · " + escapeHtml(p.status_display) +
          (p.is_overdue ? " · <b class=\"overdue\">" + escapeHtml(text.overdue) + "</b>" : "") +
          "<br>" + escapeHtml(p.category) +
          (p.site_name ? "<br>" + escapeHtml(text.site) + ": " + escapeHtml(p.site_name) : "") +
          (p.unit_name ? "<br>" + escapeHtml(text.unit) + ": " + escapeHtml(p.unit_name) : "") +
          (p.deadline ? "<br>" + escapeHtml(text.deadline) + ": " + escapeHtml(p.deadline) : "") +
          "<br><a href=\"" + config.ticketUrl.replace("{id}", p.id) + "\">" + escapeHtml(text.ticket) + "</a>"
        );
        marker.addTo(ticketsLayer);
      });
    });
    setCount("tickets", collection.skipped ? "–" : collection.features.length);
    setCount("overdue", collection.skipped ? "–" : overdue);
    panel.querySelector(".map-zoom-hint").hidden = !collection.skipped;
    panel.querySelector(".map-truncated").hidden = !collection.truncated;
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.json();
    });
  }

  function load() {
    // On the first load take every site (no bbox) and fit the map to them; afterwards only the visible area.
    var bbox = firstLoad ? null : bboxParam();
    var siteParams = new URLSearchParams();
    var ticketParams = filterParams();
    if (bbox) { siteParams.set("bbox", bbox); ticketParams.set("bbox", bbox); }
    // Sites follow the region and category filters too, so their colours agree with the markers.
    ["region", "category"].forEach(function (key) {
      if (ticketParams.get(key)) { siteParams.set(key, ticketParams.get(key)); }
    });
    var wantTickets = ticketParams.toString().replace(/(^|&)bbox=[^&]*/, "") !== "" ||
      (!firstLoad && map.getZoom() >= TICKETS_MIN_ZOOM);
    var token = {};
    pending = token;
    element.classList.add("loading");
    Promise.all([
      fetchJson(config.sitesUrl + (siteParams.toString() ? "?" + siteParams : "")),
      wantTickets ? fetchJson(config.ticketsUrl + "?" + ticketParams) : Promise.resolve(NO_TICKETS)
    ]).then(function (results) {
      if (pending !== token) { return; } // a newer request is on its way
      panel.querySelector(".map-error").hidden = true;
      var siteCount = drawSites(results[0]);
      drawTickets(results[1]);
      if (firstLoad && siteCount) {
        var bounds = L.latLngBounds(results[0].features.map(function (f) {
          return [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        }));
        firstLoad = false;
        map.fitBounds(bounds, { padding: [48, 48], maxZoom: 16 });
      }
      firstLoad = false;
      element.dataset.loaded = "true";
    }).catch(function (error) {
      if (window.console) { window.console.error("map wall:", error); }
      panel.querySelector(".map-error").hidden = false;
    }).then(function () {
      element.classList.remove("loading");
    });
  }

  var timer = null;
  function reloadSoon() {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  }

  filters.addEventListener("change", load);
  filters.addEventListener("submit", function (event) { event.preventDefault(); });  // the filters apply on change
  map.on("moveend", function () { if (!firstLoad) { reloadSoon(); } });
  load();
})();
