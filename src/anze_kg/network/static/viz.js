/* anze-kg network page: the explorer, on Cytoscape.js with the fCoSE layout
 * (both vendored in static/vendor/ with their licences and inlined before this file).
 *
 * Cytoscape.js draws the graph (canvas; pan, wheel and pinch zoom, tap, drag) and fCoSE
 * lays it out once, with Math.random seeded while it runs so a page always opens to the
 * same picture.  What this file adds:
 *   - labels that never overlap: after every zoom or pan settles, a greedy pass in screen
 *     space gives a label to the selected node, then its relations and neighbours, then the
 *     search hits, then the largest nodes, each only where its box is still free;
 *   - relation labels on the selected node's edges (one per neighbour, both directions);
 *   - search that puts exact matches first (Enter picks the first hit);
 *   - the side panel (facts, relations as links, quotes with the quoted words marked),
 *     class and community filters, Chinese / English.
 * Every text from the data reaches the page through textContent or Cytoscape's canvas
 * text, never as HTML.  window.__viz is the page's small API (used by the browser test).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.nodes, edges = data.edges, n = nodes.length;
  var container = document.getElementById("graph");
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var NODE_PX = 12, EDGE_PX = 11;

  var state = {
    lang: data.lang || "zh", selected: -1, hits: [], community: -1,
    classOn: data.classes.map(function () { return true; }), autoFit: true
  };
  var api = window.__viz = {
    nodeCount: n, edgeCount: edges.length, drawnNodes: 0, drawnEdges: 0, settled: false,
    layoutMs: 0, labelledNodes: 0, labelledEdges: 0
  };

  // ------------------------------------------------------------------ helpers

  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) for (var k in props) {
      if (k === "text") node.textContent = props[k];
      else if (k === "onclick") node.addEventListener("click", props[k]);
      else node.setAttribute(k, props[k]);
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function label(i) {
    var d = nodes[i];
    return state.lang === "zh" ? (d.zh || d.en || d.iri) : (d.en || d.zh || d.iri);
  }
  function other(i) { var d = nodes[i]; return state.lang === "zh" ? d.en : d.zh; }
  function predLabel(p) { var d = data.preds[p]; return state.lang === "zh" ? d.zh : d.en; }
  function classLabel(c) { var d = data.classes[c]; return state.lang === "zh" ? d.zh : d.en; }
  function mulberry32(seed) {
    return function () {
      seed |= 0; seed = seed + 0x6D2B79F5 | 0;
      var t = Math.imul(seed ^ seed >>> 15, 1 | seed);
      t = t + Math.imul(t ^ t >>> 7, 61 | t) ^ t;
      return ((t ^ t >>> 14) >>> 0) / 4294967296;
    };
  }
  var measurer = document.createElement("canvas").getContext("2d"), widths = {};
  function textWidth(text, px, bold) {
    var key = px + (bold ? "b" : "") + text;
    if (!(key in widths)) {
      measurer.font = (bold ? "600 " : "") + px + "px " + FONT;
      widths[key] = measurer.measureText(text).width;
    }
    return widths[key];
  }

  // ------------------------------------------------------------------ graph structure

  var outE = [], inE = [], i;
  for (i = 0; i < n; i++) { outE.push([]); inE.push([]); }
  edges.forEach(function (e, k) { outE[e[0]].push(k); inE[e[1]].push(k); });
  var vmax = 0;
  nodes.forEach(function (d) { vmax = Math.max(vmax, d.v || 0); });
  var radius = nodes.map(function (d) { return 3 + 13 * Math.sqrt(vmax > 0 ? (d.v || 0) / vmax : 0); });
  var order = nodes.map(function (_, k) { return k; }).sort(function (a, b) { return radius[b] - radius[a] || a - b; });

  // ------------------------------------------------------------------ Cytoscape

  var elements = [];
  nodes.forEach(function (d, k) {
    elements.push({ group: "nodes", data: { id: "n" + k, k: k, w: 2 * radius[k], color: data.classes[d.c].color } });
  });
  edges.forEach(function (e, k) {
    elements.push({ group: "edges", data: { id: "e" + k, k: k, source: "n" + e[0], target: "n" + e[1] } });
  });
  var big = n > 2000;
  var cy = window.cytoscape({
    container: container, elements: elements, layout: { name: "preset" },
    minZoom: 0.01, maxZoom: 40, boxSelectionEnabled: false, autounselectify: true,
    textureOnViewport: big, hideEdgesOnViewport: big, motionBlur: false,
    style: [
      { selector: "node", style: {
        "background-color": "data(color)", width: "data(w)", height: "data(w)", label: "",
        "font-family": FONT, color: "#424a53", "text-valign": "center", "text-halign": "right",
        "text-outline-color": "#ffffff", "text-outline-opacity": 0.9, "min-zoomed-font-size": 0,
        "overlay-opacity": 0 } },
      { selector: "node.hit", style: { "border-width": 2.5, "border-color": "#0969da" } },
      { selector: "node.chosen", style: { "border-width": 3, "border-color": "#cf222e", color: "#24292f", "font-weight": 600 } },
      { selector: "node.near", style: { color: "#24292f" } },
      { selector: "edge", style: {
        "curve-style": "haystack", "haystack-radius": 0, width: 0.6, "line-color": "#8c959f", opacity: 0.55,
        "overlay-opacity": 0, "font-family": FONT, color: "#57606a", "text-background-color": "#ffffff",
        "text-background-opacity": 0.9, "min-zoomed-font-size": 0 } },
      { selector: ".faded", style: { opacity: 0.25 } },
      { selector: "edge.faded", style: { opacity: 0.12 } },
      { selector: "edge.focus", style: {
        "curve-style": "straight", width: 1.6, "line-color": "#24292f", opacity: 0.8,
        "target-arrow-shape": "triangle", "target-arrow-color": "#24292f", "arrow-scale": 0.8 } },
      { selector: ".hidden", style: { display: "none" } }
    ]
  });

  function nodeEl(k) { return cy.getElementById("n" + k); }
  function visible(k) {
    return state.classOn[nodes[k].c] && (state.community < 0 || nodes[k].cm === state.community);
  }

  // ------------------------------------------------------------------ layout
  // fCoSE's spectral start and its force-directed refinement; beyond 2,000 nodes only the
  // spectral start ("draft": 5,000 nodes in about 4 s here, where the refinement takes over 30 s).

  function layout() {
    var started = performance.now(), realRandom = Math.random;
    Math.random = mulberry32(20240226);
    try {
      cy.layout({
        name: "fcose", quality: big ? "draft" : "default", randomize: true, animate: false,
        fit: false, nodeDimensionsIncludeLabels: false, packComponents: false, tile: true,
        nodeRepulsion: 6500, idealEdgeLength: 55, edgeElasticity: 0.45, gravity: 0.3,
        gravityRange: 3.0, numIter: 2500, tilingPaddingVertical: 6, tilingPaddingHorizontal: 6
      }).run();
    } finally {
      Math.random = realRandom;
    }
    api.layoutMs = Math.round(performance.now() - started);
  }

  // Nodes keep a readable size at the overview: their drawn radius follows the zoom's square
  // root (as a map's symbols do), so the model size is set once from the zoom that fits all.
  function sizeNodes(zoom) {
    var f = Math.max(0.35, Math.min(2.5, Math.sqrt(zoom))) * (big ? 0.6 : 1) / zoom;
    cy.batch(function () {
      cy.nodes().forEach(function (node) { node.data("w", 2 * radius[node.data("k")] * f); });
    });
  }
  var fitZoom = 1, fitting = false;
  function fit() {
    var shown = cy.nodes(":visible");
    if (!shown.length) return;
    fitting = true;
    cy.fit(shown, 30);
    fitting = false;
    fitZoom = cy.zoom();
  }

  // ------------------------------------------------------------------ labels that never overlap

  var labelled = cy.collection();
  var LABEL_STYLE = "label font-size text-margin-x text-outline-width text-background-padding z-index z-index-compare";
  var LABEL_BOX = { includeNodes: false, includeEdges: false, includeLabels: true, includeMainLabels: true,
    includeSourceLabels: false, includeTargetLabels: false, includeOverlays: false, includeUnderlays: false };
  function relabel() {
    var z = cy.zoom(), W = container.clientWidth, H = container.clientHeight, buckets = {};
    var nodeBudget = Math.max(40, Math.round(W * H / 5000)), edgeBudget = 80;
    var next = [], seen = {};
    // A box is free when it meets no box already taken; boxes are filed by 64-px buckets.
    function free(x0, y0, x1, y1) {
      var bx0 = Math.floor(x0 / 64), bx1 = Math.floor(x1 / 64), by0 = Math.floor(y0 / 64), by1 = Math.floor(y1 / 64), bx, by;
      for (bx = bx0; bx <= bx1; bx++) for (by = by0; by <= by1; by++) {
        var got = buckets[bx + "," + by] || [];
        for (var j = 0; j < got.length; j++) {
          var o = got[j];
          if (x0 < o[2] && o[0] < x1 && y0 < o[3] && o[1] < y1) return false;
        }
      }
      var box = [x0, y0, x1, y1];
      for (bx = bx0; bx <= bx1; bx++) for (by = by0; by <= by1; by++) (buckets[bx + "," + by] = buckets[bx + "," + by] || []).push(box);
      return true;
    }
    function inView(x, y) { return x >= 0 && y >= 0 && x <= W && y <= H; }
    function tryNode(k) {
      if (seen[k] || nodeBudget <= 0 || !visible(k)) return;
      seen[k] = true;
      var node = nodeEl(k), p = node.renderedPosition(), r = node.renderedWidth() / 2;
      if (!inView(p.x, p.y)) return;
      var text = label(k), bold = k === state.selected, w = textWidth(text, NODE_PX, bold);
      var x0 = p.x + r + 1, x1 = x0 + w + 6, y0 = p.y - NODE_PX * 0.75 - 2, y1 = p.y + NODE_PX * 0.75 + 2;
      if (!free(x0, y0, x1, y1)) return;
      next.push({ ele: node, text: text, px: NODE_PX });
      nodeBudget--;
    }
    function tryEdge(pair) {
      if (edgeBudget <= 0) return;
      var a = nodeEl(pair.a).renderedPosition(), b = nodeEl(pair.b).renderedPosition();
      var mx = (a.x + b.x) / 2, my = (a.y + b.y) / 2;
      if (!inView(mx, my)) return;
      var w = textWidth(pair.text, EDGE_PX, false) + 8, h = EDGE_PX * 1.5 + 4;
      if (!free(mx - w / 2, my - h / 2, mx + w / 2, my + h / 2)) return;
      next.push({ ele: pair.edge, text: pair.text, px: EDGE_PX });
      edgeBudget--;
    }
    // The selected node is an obstacle too: no other label is drawn over it.  (Its neighbours
    // are not: around a hub, they would leave no room for their own labels.)
    function circles() {
      if (state.selected < 0 || !visible(state.selected)) return;
      var node = nodeEl(state.selected), p = node.renderedPosition(), r = node.renderedWidth() / 2;
      free(p.x - r, p.y - r, p.x + r, p.y + r);
    }
    var sel = state.selected;
    if (sel >= 0 && visible(sel)) tryNode(sel);
    var selFirst = next.length > 0;
    circles();
    if (sel >= 0 && visible(sel)) {
      var pairs = focusPairs(sel);
      // a few relations first (the largest neighbours'), so a crowded hub on a small screen
      // still says how it is tied to them; then the neighbours, then the other relations
      pairs.slice(0, 4).forEach(tryEdge);
      pairs.forEach(function (pair) { tryNode(pair.b); });
      pairs.slice(4).forEach(tryEdge);
    }
    state.hits.forEach(tryNode);
    for (var j = 0; j < order.length && nodeBudget > 0; j++) tryNode(order[j]);
    var now = cy.collection();
    cy.batch(function () {
      labelled.removeStyle(LABEL_STYLE);
      next.forEach(function (item) {
        // drawn above every unlabelled node and edge (edges' labels too: "manual" lets an edge
        // rise above the nodes)
        var style = { label: item.text, "font-size": item.px / z, "z-index": 10, "z-index-compare": "manual" };
        if (item.ele.isNode()) { style["text-margin-x"] = 4 / z; style["text-outline-width"] = 2 / z; style["z-index"] = item.ele.data("k") === state.selected ? 12 : 11; }
        else style["text-background-padding"] = 2 / z;
        item.ele.style(style);
        now = now.union(item.ele);
      });
    });
    // The estimate above is checked against the boxes Cytoscape itself lays the labels in
    // (edge labels sit mid-way between the node borders, not the centres): any label that
    // still meets one placed before it is taken off again, as is one that
    // would run past the edge of the graph.
    buckets = {};
    if (!selFirst) circles();
    var dropped = cy.collection();
    next.forEach(function (item, j) {
      if (j === 1 && selFirst) circles();
      var b = item.ele.renderedBoundingBox(LABEL_BOX);
      var inside = b.w > 0 && b.h > 0 && b.x1 >= 0 && b.y1 >= 0 && b.x2 <= W && b.y2 <= H;
      if (!inside || !free(b.x1, b.y1, b.x2, b.y2)) dropped = dropped.union(item.ele);
    });
    if (dropped.length) {
      cy.batch(function () { dropped.removeStyle(LABEL_STYLE); });
      now = now.difference(dropped);
    }
    labelled = now;
    api.labelledNodes = now.nodes().length; api.labelledEdges = now.edges().length;
  }
  var pending = 0;
  function scheduleRelabel() {
    clearTimeout(pending);
    pending = setTimeout(relabel, 60);
  }

  // The relations of node k drawn with a label: one per neighbour (several predicates, either
  // way, written once each: 位于 / 建设), nearest-first in the order of the relations list.
  function focusPairs(k) {
    var byOther = {}, list = [];
    outE[k].concat(inE[k]).forEach(function (e) {
      var o = edges[e][0] === k ? edges[e][1] : edges[e][0];
      if (o === k || !visible(o)) return;
      if (!byOther[o]) { byOther[o] = { a: k, b: o, edge: cy.getElementById("e" + e), names: [] }; list.push(byOther[o]); }
      var name = predLabel(edges[e][2]);
      if (byOther[o].names.indexOf(name) < 0) byOther[o].names.push(name);
    });
    list.forEach(function (pair) { pair.text = pair.names.join(" / "); });
    return list.sort(function (p, q) { return radius[q.b] - radius[p.b] || p.b - q.b; });
  }

  // ------------------------------------------------------------------ focus and filters

  function restyle() {
    var sel = state.selected;
    cy.batch(function () {
      cy.elements().removeClass("faded focus near chosen hit");
      state.hits.forEach(function (k) { nodeEl(k).addClass("hit"); });
      if (sel >= 0) {
        var node = nodeEl(sel), hood = node.closedNeighborhood();
        cy.elements().difference(hood).addClass("faded");
        node.connectedEdges().addClass("focus");
        hood.nodes().addClass("near");
        node.addClass("chosen");
      }
    });
    api.drawnNodes = cy.nodes(":visible").length;
    api.drawnEdges = cy.edges(":visible").length;
    container.setAttribute("data-drawn-nodes", String(api.drawnNodes));
    scheduleRelabel();
  }
  function applyFilters() {
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        if (visible(node.data("k"))) node.removeClass("hidden"); else node.addClass("hidden");
      });
    });
    if (state.selected >= 0 && !visible(state.selected)) { state.selected = -1; showNode(-1); }
    state.autoFit = true; fit(); restyle();
  }
  function focusOn(k) {
    var node = nodeEl(k), hood = node.closedNeighborhood().filter(":visible");
    state.autoFit = false;
    fitting = true;
    cy.fit(hood, 50);
    if (cy.zoom() > fitZoom * 6) { cy.zoom(fitZoom * 6); cy.center(node); }
    fitting = false;
  }

  // ------------------------------------------------------------------ side panel

  var panel = document.getElementById("panel");
  function showNode(k) {
    panel.textContent = "";
    if (k < 0) { panel.appendChild(el("p", { "class": "hint", text: data.hint[state.lang] })); return; }
    var d = nodes[k];
    panel.appendChild(el("h2", { text: label(k) }));
    var sub = [classLabel(d.c)];
    if (other(k)) sub.push(other(k));
    if (d.py) sub.push(d.py);
    panel.appendChild(el("p", { "class": "sub", text: sub.join(" · ") }));
    panel.appendChild(el("div", { "class": "iri", text: d.iri }));
    var rows = [[state.lang === "zh" ? "社区" : "community", "#" + d.cm + " " + communityName(d.cm)],
      [data.sizeBy, String(d.v)]];
    if ((d.alt || []).length) rows.push([state.lang === "zh" ? "别名" : "also written", d.alt.join("; ")]);
    (d.f || []).forEach(function (f) { rows.push(f); });
    var table = el("table");
    rows.forEach(function (r) { table.appendChild(el("tr", null, el("td", { text: r[0] }), el("td", { text: r[1] }))); });
    panel.appendChild(el("h3", { text: state.lang === "zh" ? "事实" : "facts" }));
    panel.appendChild(table);
    relations(k);
    quotes(k);
  }
  var communityById = {};
  data.communities.forEach(function (c) { communityById[c.id] = c; });
  function communityName(c) {
    var got = communityById[c];
    return got ? (state.lang === "zh" ? got.name : got.name_en) : "";
  }
  function relations(k) {
    var list = el("ul");
    outE[k].forEach(function (e) { list.appendChild(relationItem(e, edges[e][1], true)); });
    inE[k].forEach(function (e) { list.appendChild(relationItem(e, edges[e][0], false)); });
    panel.appendChild(el("h3", { text: (state.lang === "zh" ? "关系 " : "relations ") + "(" + (outE[k].length + inE[k].length) + ")" }));
    panel.appendChild(list);
  }
  function relationItem(e, to, forward) {
    var arrow = forward ? "—" + predLabel(edges[e][2]) + "→ " : "←" + predLabel(edges[e][2]) + "— ";
    var link = el("a", { "data-node": String(to), text: label(to), onclick: function () { api.select(nodes[to].iri, true); } });
    var item = el("li", null, el("span", { "class": "rel", text: arrow }), link);
    (edges[e][3] || []).forEach(function (q) { item.appendChild(quoteBlock(q)); });
    return item;
  }
  function quotes(k) {
    var qs = nodes[k].q || [];
    if (!qs.length) return;
    panel.appendChild(el("h3", { text: state.lang === "zh" ? "原文" : "source quotes" }));
    qs.forEach(function (q) { panel.appendChild(quoteBlock(q)); });
  }
  function quoteBlock(q) {
    return el("blockquote", null, q.b, el("mark", { text: q.x }), q.a,
      el("span", { "class": "src", text: q.r + " · " + q.s + "–" + q.e }));
  }

  // ------------------------------------------------------------------ search: exact matches first

  var search = document.getElementById("search"), hitList = document.getElementById("hits");
  function find(text) {
    var want = text.trim().toLowerCase(), scored = [];
    if (!want) return [];
    for (var k = 0; k < n; k++) {
      var d = nodes[k], names = [d.zh, d.en, d.py].concat(d.alt || []), best = 3;
      for (var j = 0; j < names.length; j++) {
        var name = (names[j] || "").toLowerCase();
        if (!name) continue;
        if (name === want) { best = 0; break; }
        if (name.indexOf(want) === 0) best = Math.min(best, 1);
        else if (name.indexOf(want) > 0) best = Math.min(best, 2);
      }
      if (best < 3) scored.push([best, k]);
    }
    scored.sort(function (a, b) { return a[0] - b[0] || radius[b[1]] - radius[a[1]] || a[1] - b[1]; });
    return scored.map(function (s) { return s[1]; });
  }
  function runSearch(text) {
    state.hits = find(text);
    hitList.textContent = "";
    state.hits.slice(0, 30).forEach(function (k) {
      hitList.appendChild(el("li", { "data-node": String(k), onclick: function () { api.select(nodes[k].iri, true); } },
        label(k) + " · " + classLabel(nodes[k].c)));
    });
    restyle();
    return state.hits.map(function (k) { return nodes[k].iri; });
  }
  search.addEventListener("input", function () { runSearch(search.value); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && state.hits.length) {
      api.select(nodes[state.hits[0]].iri, true);
      hitList.textContent = "";
    }
    if (ev.key === "Escape") { search.value = ""; runSearch(""); }
  });

  // ------------------------------------------------------------------ legend, communities, language

  var legend = document.getElementById("legend");
  function buildLegend() {
    legend.textContent = "";
    var counts = data.classes.map(function () { return 0; });
    nodes.forEach(function (d) { counts[d.c]++; });
    data.classes.forEach(function (c, k) {
      var box = el("input", { type: "checkbox" });
      box.checked = state.classOn[k];
      box.addEventListener("change", function () { state.classOn[k] = box.checked; applyFilters(); });
      legend.appendChild(el("label", null, box, el("span", { "class": "swatch", style: "background:" + c.color }),
        classLabel(k) + " ", el("span", { "class": "count", text: String(counts[k]) })));
    });
    document.getElementById("legend-title").textContent = state.lang === "zh" ? "图例" : "legend";
  }
  var communitySelect = document.getElementById("community");
  function buildCommunities() {
    communitySelect.textContent = "";
    communitySelect.appendChild(el("option", { value: "-1", text: state.lang === "zh" ? "全部社区" : "all communities" }));
    data.communities.forEach(function (c) {
      communitySelect.appendChild(el("option", { value: String(c.id), text: "#" + c.id + " " + communityName(c.id) + " (" + c.size + ")" }));
    });
    communitySelect.value = String(state.community);
  }
  communitySelect.addEventListener("change", function () { state.community = +communitySelect.value; applyFilters(); });

  var langButton = document.getElementById("lang");
  function setLang(lang) {
    state.lang = lang;
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    langButton.textContent = lang === "zh" ? "English" : "中文";
    search.placeholder = data.searchHint[lang];
    buildLegend(); buildCommunities(); showNode(state.selected); runSearch(search.value);
  }
  langButton.addEventListener("click", function () { setLang(state.lang === "zh" ? "en" : "zh"); });
  document.getElementById("fit").addEventListener("click", function () { state.autoFit = true; fit(); scheduleRelabel(); });

  // ------------------------------------------------------------------ pointer and touch (Cytoscape's events)

  function choose(k) { state.selected = k; showNode(k); restyle(); }
  cy.on("tap", "node", function (ev) { choose(ev.target.data("k")); });
  cy.on("tap", function (ev) { if (ev.target === cy) choose(-1); });
  cy.on("viewport", scheduleRelabel);
  cy.on("dragfree", "node", scheduleRelabel);
  cy.on("pan zoom", function () { if (!fitting) state.autoFit = false; });
  window.addEventListener("resize", function () {
    cy.resize();
    if (state.autoFit) fit();
    scheduleRelabel();
  });

  // ------------------------------------------------------------------ API

  var byIri = {};
  nodes.forEach(function (d, k) { byIri[d.iri] = k; });
  api.search = function (text) { search.value = text; return runSearch(text); };
  api.select = function (iri, center) {
    var k = byIri[iri];
    if (k === undefined) return false;
    if (center && !visible(k)) {
      state.community = -1; state.classOn[nodes[k].c] = true;
      buildLegend(); buildCommunities(); applyFilters();
    }
    state.selected = k;
    if (center) focusOn(k);
    showNode(k); restyle();
    return true;
  };
  api.screenPos = function (iri) {
    var k = byIri[iri], box = container.getBoundingClientRect();
    if (k === undefined) return null;
    var p = nodeEl(k).renderedPosition();
    return { x: box.left + p.x, y: box.top + p.y, r: nodeEl(k).renderedWidth() / 2 };
  };
  api.selected = function () { return state.selected >= 0 ? nodes[state.selected].iri : null; };
  api.setLang = setLang;
  api.filterClass = function (name, on) {
    data.classes.forEach(function (c, k) { if (c.name === name) state.classOn[k] = on; });
    buildLegend(); applyFilters(); return api.drawnNodes;
  };
  api.filterCommunity = function (c) { state.community = c; buildCommunities(); applyFilters(); return api.drawnNodes; };
  // The labels as Cytoscape draws them: their boxes in page pixels (for the overlap test).
  api.relabelNow = function () { clearTimeout(pending); relabel(); return api.labelledNodes + api.labelledEdges; };
  api.labelBoxes = function () {
    var box = container.getBoundingClientRect(), out = [];
    labelled.forEach(function (ele) {
      if (!ele.visible()) return;
      var b = ele.renderedBoundingBox(LABEL_BOX);
      if (!(b.w > 0 && b.h > 0)) return;
      out.push({ text: ele.style("label"), kind: ele.isNode() ? "node" : "edge",
        x0: box.left + b.x1, y0: box.top + b.y1, x1: box.left + b.x2, y1: box.top + b.y2 });
    });
    return out;
  };
  api.containerBox = function () {
    var b = container.getBoundingClientRect();
    return { x0: b.left, y0: b.top, x1: b.right, y1: b.bottom };
  };

  var total = data.total || { nodes: n, edges: edges.length };
  document.getElementById("stats").textContent = (total.nodes > n
    ? n + " / " + total.nodes + " nodes (largest by " + data.sizeBy + ") · " + edges.length + " / " + total.edges
    : n + " nodes · " + edges.length) + " relations";

  layout();
  fit(); sizeNodes(fitZoom); fit();
  setLang(state.lang);
  relabel();
  api.settled = true;
  document.body.setAttribute("data-settled", "true");
})();
