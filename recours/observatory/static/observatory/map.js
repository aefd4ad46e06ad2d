// The observatory's map: an enhancement over the table of communes, which carries the
// same information without JavaScript. Communes' own outlines are the base map; tiles
// only when the site configures a tile server.
(function () {
  "use strict";
  var element = document.getElementById("map");
  if (!element || !window.L) return;
  var data = element.dataset;
  var legend = document.getElementById("map-legend");
  var select = document.getElementById("id_mesure");
  var DETAIL_SPAN = 1.0; // as in mapdata.py: narrower views get detailed outlines
  var CAMERA_ZOOM = 14;
  // Colour-blind-safe sequential scale (ColorBrewer YlOrRd), and grey for "nothing".
  var COLOURS = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"];
  var NOTHING = "#e6e6e6";
  var MEASURES = {
    cameras: { property: "cameras_per_1000", breaks: [0.2, 0.5, 1, 2], label: data.labelCameras },
    fipd: { property: "fipd_per_inhabitant", breaks: [0.5, 1, 2, 5], label: data.labelFipd },
    vsa: { property: "vsa", label: data.labelVsa }
  };
  var measure = MEASURES[data.measure] ? data.measure : "cameras";

  element.hidden = false;
  // A view can be shared as a link: #zoom/latitude/longitude, as on openstreetmap.org.
  var shared = /^#(\d{1,2})\/(-?\d+(?:\.\d+)?)\/(-?\d+(?:\.\d+)?)$/.exec(window.location.hash);
  var map = L.map(element, { preferCanvas: true, minZoom: 5, maxZoom: 18 });
  if (shared) {
    map.setView([parseFloat(shared[2]), parseFloat(shared[3])], Math.min(18, Math.max(5, parseInt(shared[1], 10))));
  } else {
    map.setView([46.6, 2.4], 6);
  }
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution(data.attribution);
  if (data.tiles) {
    L.tileLayer(data.tiles, { attribution: data.tilesAttribution, maxZoom: 18 }).addTo(map);
  }

  function colour(properties) {
    var spec = MEASURES[measure];
    var value = properties[spec.property];
    if (spec.property === "vsa") return value ? COLOURS[4] : NOTHING;
    if (value === null || value === undefined || value === 0) return NOTHING;
    var index = 0;
    while (index < spec.breaks.length && value >= spec.breaks[index]) index++;
    return COLOURS[index];
  }

  // Zoomed in on a city, its commune would be one solid block over its streets and its
  // cameras: the colour fades to a tint and the outline shows.
  function style(feature) {
    var close = map.getZoom() >= CAMERA_ZOOM;
    return {
      fillColor: colour(feature.properties),
      fillOpacity: close ? 0.2 : (data.tiles ? 0.55 : 0.9),
      color: close ? "#555" : "#777", weight: close ? 1 : 0.3
    };
  }

  function describe(properties) {
    var parts = [];
    if (properties.cameras_per_1000 !== undefined) parts.push(properties.cameras_per_1000 + " " + data.labelCameras);
    if (properties.fipd_per_inhabitant !== undefined) parts.push(properties.fipd_per_inhabitant + " " + data.labelFipd);
    if (properties.vsa) parts.push(data.labelVsa + " : " + data.labelYes);
    return parts.length ? parts.join(" · ") : data.labelNone;
  }

  // Leaflet reads a string as HTML: OpenStreetMap tags are anyone's text, so popups get
  // an element whose text is set, never markup.
  function textOnly(text) {
    var box = document.createElement("p");
    box.textContent = text;
    return box;
  }

  function popup(feature, layer) {
    layer.on("click", function () {
      var box = document.createElement("div");
      var link = document.createElement("a");
      link.href = data.place.replace("CODE", feature.properties.code);
      link.textContent = feature.properties.name;
      var text = document.createElement("p");
      text.textContent = describe(feature.properties);
      box.appendChild(link);
      box.appendChild(text);
      layer.bindPopup(box).openPopup();
    });
  }

  function drawLegend() {
    legend.textContent = "";
    var spec = MEASURES[measure];
    var title = document.createElement("p");
    title.textContent = spec.label;
    legend.appendChild(title);
    var list = document.createElement("ul");
    var items = [[NOTHING, data.labelNone]];
    if (spec.property === "vsa") {
      items.push([COLOURS[4], data.labelYes]);
    } else {
      var low = 0;
      spec.breaks.concat([null]).forEach(function (high, index) {
        items.push([COLOURS[index], high === null ? "≥ " + low : low + " – " + high]);
        low = high;
      });
    }
    items.forEach(function (item) {
      var entry = document.createElement("li");
      var swatch = document.createElement("span");
      swatch.className = "legend__swatch";
      swatch.style.background = item[0];
      entry.appendChild(swatch);
      entry.appendChild(document.createTextNode(" " + item[1]));
      list.appendChild(entry);
    });
    legend.appendChild(list);
  }

  var national = null, detailed = null, cameras = null, authorised = null, loaded = {};
  var status = document.createElement("p");
  status.className = "map-status";
  status.setAttribute("role", "status");
  element.parentNode.insertBefore(status, legend);

  function fetchJson(url) {
    if (loaded[url]) return Promise.resolve(loaded[url]);
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (response.status === 413) return null;
      if (!response.ok) throw new Error(response.status);
      return response.json().then(function (body) { loaded[url] = body; return body; });
    });
  }

  // The communes and the cameras share one canvas, where the layer drawn last is the one
  // clicked: outlines that arrive after the cameras must not cover them.
  function keepCamerasOnTop() {
    if (authorised) authorised.bringToFront();
    if (cameras) cameras.bringToFront();
  }

  function bboxOf(bounds) {
    return [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()]
      .map(function (value) { return value.toFixed(3); }).join(",");
  }

  function refresh() {
    var bounds = map.getBounds();
    var span = bounds.getEast() - bounds.getWest();
    status.textContent = data.labelLoading;
    var shapes;
    if (span > DETAIL_SPAN) {
      if (detailed) { map.removeLayer(detailed); detailed = null; }
      // France at once comes in two parts, cached apart on the server: the outlines,
      // which change only when places are imported, and the measures of the record.
      shapes = national ? Promise.resolve() : Promise.all([
        fetchJson(data.communes), fetchJson(data.measures)
      ]).then(function (parts) {
        var measures = parts[1];
        parts[0].features.forEach(function (feature) {
          var known = measures[feature.properties.code] || {};
          Object.keys(known).forEach(function (name) { feature.properties[name] = known[name]; });
        });
        national = L.geoJSON(parts[0], { style: style, onEachFeature: popup }).addTo(map);
        keepCamerasOnTop();
      });
    } else {
      if (national) { map.removeLayer(national); national = null; }
      shapes = fetchJson(data.communes + "?bbox=" + bboxOf(bounds.pad(0.5))).then(function (body) {
        if (detailed) map.removeLayer(detailed);
        detailed = L.geoJSON(body, { style: style, onEachFeature: popup }).addTo(map);
        keepCamerasOnTop();
      });
    }
    var points = Promise.resolve(), permits = Promise.resolve();
    if (cameras) { map.removeLayer(cameras); cameras = null; }
    if (authorised) { map.removeLayer(authorised); authorised = null; }
    var tooMany = false;
    if (map.getZoom() >= CAMERA_ZOOM) {
      var box = "?bbox=" + bboxOf(bounds);
      points = fetchJson(data.cameras + box).then(function (body) {
        if (!body) { tooMany = true; return; }
        cameras = L.geoJSON(body, {
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, { radius: 4, color: "#1a1a1a", weight: 1, fillColor: "#ffffff", fillOpacity: 1 })
              .bindPopup(textOnly(data.labelCamera + " " + feature.properties.osm + (feature.properties.camera_type ? " · " + feature.properties.camera_type : "")));
          }
        }).addTo(map);
        keepCamerasOnTop();
      });
      // The locations official authorisations give: their own layer, in their own colour.
      permits = fetchJson(data.inventory + box).then(function (body) {
        if (!body) { tooMany = true; return; }
        authorised = L.geoJSON(body, {
          pointToLayer: function (feature, latlng) {
            var p = feature.properties;
            return L.circleMarker(latlng, { radius: 5, color: "#1a1a1a", weight: 1, fillColor: "#bd0026", fillOpacity: 1 })
              .bindPopup(textOnly(data.labelAuthorised + " n° " + p.reference + " · " + p.location + (p.commissioned ? " · " + p.commissioned : "")));
          }
        }).addTo(map);
        keepCamerasOnTop();
      });
    }
    Promise.all([shapes, points, permits]).then(function () {
      status.textContent = map.getZoom() < CAMERA_ZOOM || tooMany ? data.labelZoom : "";
    }, function () { status.textContent = ""; });
  }

  if (select) {
    select.addEventListener("change", function () {
      measure = select.value;
      [national, detailed].forEach(function (layer) { if (layer) layer.setStyle(style); });
      drawLegend();
    });
  }
  map.on("moveend", refresh);
  map.on("zoomend", function () {
    [national, detailed].forEach(function (layer) { if (layer) layer.setStyle(style); });
  });
  map.on("moveend", function () {
    var centre = map.getCenter();
    var hash = "#" + map.getZoom() + "/" + centre.lat.toFixed(4) + "/" + centre.lng.toFixed(4);
    window.history.replaceState(null, "", hash);
  });
  drawLegend();
  refresh();
})();
