/* Map of publicity assets: loads the visible assets as GeoJSON and draws one coloured dot per asset. */
(function () {
  var COLOURS = { good: "#15803d", damaged: "#c8161d", faded: "#ca8a04", outdated: "#b45309", missing: "#111827" };
  window.publicityMapInit = function (map) {
    var wrap = document.getElementById("asset-map-wrap");
    if (!wrap) return;
    fetch(wrap.dataset.geojson, { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, {
              radius: 6, weight: 1, color: "#fff", fillOpacity: 0.9,
              fillColor: COLOURS[feature.properties.condition] || "#1d4ed8"
            });
          },
          onEachFeature: function (feature, marker) {
            var p = feature.properties, box = document.createElement("div"), link = document.createElement("a");
            link.href = p.url; link.textContent = p.code + " " + p.theme;
            box.appendChild(link);
            box.appendChild(document.createElement("br"));
            box.appendChild(document.createTextNode(p.kind + " · " + p.condition_label));
            marker.bindPopup(box);
          }
        }).addTo(map);
        if (data.features.length) {
          map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [20, 20] });
        } else {
          var note = document.createElement("p");
          note.className = "muted"; note.textContent = wrap.dataset.empty;
          wrap.appendChild(note);
        }
      });
  };
})();
