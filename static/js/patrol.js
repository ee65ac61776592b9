/* 创文通 patrol and site-map helpers: our own small script, no dependencies besides Leaflet (maps only).
   Translated texts come from data-msg-* attributes written by the templates. */
(function () {
  "use strict";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /* Site map: points from a json_script element; tiles only when a tile server is configured. */
  function siteMap(container) {
    if (!container || !window.L) return;
    var points = JSON.parse(document.getElementById(container.dataset.points).textContent || "[]");
    var center = (container.dataset.center || "40.0768,113.3001").split(",").map(Number);
    var map = L.map(container, { zoomControl: true }).setView(center, 13);
    if (container.dataset.tiles) {
      L.tileLayer(container.dataset.tiles, { maxZoom: 19, attribution: container.dataset.attribution || "" }).addTo(map);
    }
    var bounds = [];
    points.sort(function (a, b) { return (a.key ? 1 : 0) - (b.key ? 1 : 0); });  // key sites drawn on top
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], {
        radius: p.key ? 8 : 6, color: p.key ? "#9e1016" : "#1d4ed8", fillColor: p.key ? "#c8161d" : "#3b82f6",
        fillOpacity: 0.85, weight: 2
      }).addTo(map);
      var popup = el("div");
      var link = el("a", { href: p.url || "#" }, p.name);
      popup.appendChild(link);
      if (p.type) popup.appendChild(el("div", { "class": "muted" }, p.type + (p.unit ? " · " + p.unit : "")));
      marker.bindPopup(popup);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length > 1) map.fitBounds(bounds, { padding: [20, 20] });
    else if (bounds.length === 1) map.setView(bounds[0], 16);
    return map;
  }

  /* Check-in: find nearby sites through the sites API (?near=lat,lng&radius=m), or search by name. */
  function checkIn(box) {
    if (!box) return;
    var form = box.querySelector("form");
    var list = box.querySelector(".site-choices");
    var status = box.querySelector(".status");
    var api = box.dataset.api;
    var maxDistance = Number(box.dataset.maxDistance || 300);
    var position = null;

    function say(text) { status.textContent = text || ""; }

    function render(sites) {
      list.innerHTML = "";
      sites.forEach(function (s) {
        var li = el("li");
        var button = el("button", { "class": "btn btn-block site-choice", name: "site", value: String(s.id), type: "submit" });
        var left = el("span");
        left.appendChild(el("strong", {}, s.name));
        left.appendChild(document.createTextNode(" "));
        left.appendChild(el("span", { "class": "muted" }, s.site_type_name));
        var right = el("span", { "class": "site-distance" });
        if (s.distance_m !== null && s.distance_m !== undefined) {
          right.textContent = Math.round(s.distance_m) + " " + box.dataset.msgMetres;
          if (s.distance_m > maxDistance) {
            right.appendChild(el("span", { "class": "badge badge-amber" }, box.dataset.msgTooFar));
          }
        } else {
          right.textContent = box.dataset.msgCheckIn;
        }
        button.appendChild(left);
        button.appendChild(right);
        li.appendChild(button);
        list.appendChild(li);
      });
    }

    function load(params) {
      var url = api + "?" + new URLSearchParams(params).toString();
      return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { return data.results || []; });
    }

    var locate = box.querySelector("[data-action=locate]");
    if (locate) {
      locate.addEventListener("click", function () {
        if (!navigator.geolocation) { say(box.dataset.msgDenied); return; }
        say(box.dataset.msgLocating);
        navigator.geolocation.getCurrentPosition(function (pos) {
          position = pos.coords;
          form.elements.lat.value = position.latitude.toFixed(6);
          form.elements.lng.value = position.longitude.toFixed(6);
          load({ near: position.latitude.toFixed(6) + "," + position.longitude.toFixed(6), radius: 1000, page_size: 20 })
            .then(function (sites) {
              say(sites.length ? box.dataset.msgPosition + ": " + position.latitude.toFixed(5) + ", " + position.longitude.toFixed(5) : box.dataset.msgNone);
              render(sites);
            })
            .catch(function () { say(box.dataset.msgDenied); });
        }, function () { say(box.dataset.msgDenied); }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 });
      });
    }

    var search = box.querySelector("[data-action=search]");
    var timer = null;
    if (search) {
      search.addEventListener("input", function () {
        clearTimeout(timer);
        var q = search.value.trim();
        if (q.length < 1) return;
        timer = setTimeout(function () {
          var params = { q: q, page_size: 20 };
          if (position) { params.near = position.latitude.toFixed(6) + "," + position.longitude.toFixed(6); params.radius = 50000; }
          load(params).then(render).catch(function () { say(box.dataset.msgDenied); });
        }, 300);
      });
    }

    /* A search-picked site on a non-video patrol still needs the position: ask for it on submit. */
    form.addEventListener("submit", function (event) {
      if (box.dataset.video === "1" || form.elements.lat.value) return;
      if (!navigator.geolocation) return;
      event.preventDefault();
      var chosen = event.submitter;
      say(box.dataset.msgLocating);
      navigator.geolocation.getCurrentPosition(function (pos) {
        form.elements.lat.value = pos.coords.latitude.toFixed(6);
        form.elements.lng.value = pos.coords.longitude.toFixed(6);
        if (chosen) { var hidden = el("input", { type: "hidden", name: "site", value: chosen.value }); form.appendChild(hidden); }
        form.submit();
      }, function () { say(box.dataset.msgDenied); }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  window.CWT = { siteMap: siteMap, checkIn: checkIn };
  // Started from data attributes, not from inline script (the Content-Security-Policy allows none).
  document.querySelectorAll("[data-site-map]").forEach(function (node) { siteMap(node); });
  document.querySelectorAll("[data-check-in]").forEach(function (node) { checkIn(node); });
})();
