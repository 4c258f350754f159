/* anze-kg network page: a force-directed layout on <canvas>, in plain JavaScript.
 *
 * Reads the graph from the JSON script element #graph-data, runs a
 * Barnes-Hut simulation (O(n log n) a tick) that cools down and stops, and draws
 * nodes, edges and a budget of non-overlapping labels.  Every text from the data
 * reaches the page through textContent, never as HTML.  window.__viz is the
 * page's small API (used by the browser test).
 */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = data.nodes, edges = data.edges, n = nodes.length;
  var canvas = document.getElementById("graph"), ctx = canvas.getContext("2d");
  var stage = document.getElementById("stage");
  var FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  var state = {
    lang: data.lang || "zh", selected: -1, hits: [], community: -1,
    classOn: data.classes.map(function () { return true; }),
    scale: 1, tx: 0, ty: 0, autoFit: true, width: 0, height: 0
  };
  var api = window.__viz = {
    nodeCount: n, edgeCount: edges.length, drawnNodes: 0, drawnEdges: 0, settled: false, ticks: 0
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
  function other(i) {
    var d = nodes[i];
    return state.lang === "zh" ? d.en : d.zh;
  }
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

  // ------------------------------------------------------------------ graph structure

  var outE = [], inE = [], degree = new Float64Array(n);
  for (var i = 0; i < n; i++) { outE.push([]); inE.push([]); }
  edges.forEach(function (e, k) {
    outE[e[0]].push(k); inE[e[1]].push(k); degree[e[0]]++; degree[e[1]]++;
  });
  var vmax = 0;
  nodes.forEach(function (d) { vmax = Math.max(vmax, d.v || 0); });
  var radius = new Float64Array(n);
  for (i = 0; i < n; i++) radius[i] = 3 + 13 * Math.sqrt(vmax > 0 ? (nodes[i].v || 0) / vmax : 0);
  var order = nodes.map(function (_, k) { return k; }).sort(function (a, b) { return radius[b] - radius[a] || a - b; });

  function visible(i) {
    return state.classOn[nodes[i].c] && (state.community < 0 || nodes[i].cm === state.community);
  }

  // ------------------------------------------------------------------ layout: Barnes-Hut simulation

  var x = new Float64Array(n), y = new Float64Array(n), vx = new Float64Array(n), vy = new Float64Array(n);
  (function place() {
    var rand = mulberry32(20240226), sizes = {};
    nodes.forEach(function (d) { sizes[d.cm] = (sizes[d.cm] || 0) + 1; });
    var spread = 14 * Math.sqrt(n);
    for (var k = 0; k < n; k++) {
      var c = nodes[k].cm || 0, a = c * 2.39996, r = spread * Math.sqrt(c + 0.5) / Math.sqrt(Object.keys(sizes).length);
      var own = 10 * Math.sqrt(sizes[c] || 1), t = rand() * 2 * Math.PI, s = Math.sqrt(rand()) * own;
      x[k] = r * Math.cos(a) + s * Math.cos(t);
      y[k] = r * Math.sin(a) + s * Math.sin(t);
    }
  })();

  var sim = { alpha: 1, alphaMin: 0.004, decay: 1 - Math.pow(0.004, 1 / 300), charge: -45, link: 32, theta2: 0.81 };

  function buildTree() {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (var k = 0; k < n; k++) {
      if (x[k] < x0) x0 = x[k]; if (x[k] > x1) x1 = x[k];
      if (y[k] < y0) y0 = y[k]; if (y[k] > y1) y1 = y[k];
    }
    var root = cell(x0, y0, Math.max(x1 - x0, y1 - y0) + 1);
    for (k = 0; k < n; k++) insert(root, k, 0);
    mass(root);
    return root;
  }
  function cell(cx, cy, size) { return { x: cx, y: cy, s: size, body: -1, more: null, kids: null, m: 0, mx: 0, my: 0 }; }
  function insert(c, k, depth) {
    while (true) {
      if (!c.kids) {
        if (c.body < 0) { c.body = k; return; }
        if (depth > 40) { (c.more = c.more || []).push(k); return; }
        var old = c.body; c.body = -1; c.kids = [null, null, null, null];
        placeKid(c, old, depth);
      }
      var h = c.s / 2, q = (x[k] >= c.x + h ? 1 : 0) + (y[k] >= c.y + h ? 2 : 0);
      if (!c.kids[q]) { c.kids[q] = cell(c.x + (q & 1) * h, c.y + (q >> 1) * h, h); c.kids[q].body = k; return; }
      c = c.kids[q]; depth++;
    }
  }
  function placeKid(c, k, depth) {
    var h = c.s / 2, q = (x[k] >= c.x + h ? 1 : 0) + (y[k] >= c.y + h ? 2 : 0);
    if (!c.kids[q]) { c.kids[q] = cell(c.x + (q & 1) * h, c.y + (q >> 1) * h, h); }
    insert(c.kids[q], k, depth + 1);
  }
  function mass(c) {
    if (!c.kids) {
      var count = 1 + (c.more ? c.more.length : 0);
      c.m = count; c.mx = x[c.body]; c.my = y[c.body];
      return;
    }
    var m = 0, mx = 0, my = 0;
    for (var q = 0; q < 4; q++) {
      var kid = c.kids[q];
      if (!kid) continue;
      mass(kid); m += kid.m; mx += kid.mx * kid.m; my += kid.my * kid.m;
    }
    c.m = m; c.mx = mx / m; c.my = my / m;
  }
  function repel(root, k, strength) {
    var stack = [root];
    while (stack.length) {
      var c = stack.pop(), dx = c.mx - x[k], dy = c.my - y[k], d2 = dx * dx + dy * dy;
      if (c.kids && c.s * c.s / sim.theta2 >= d2) {
        for (var q = 0; q < 4; q++) if (c.kids[q]) stack.push(c.kids[q]);
        continue;
      }
      var m = c.m;
      if (!c.kids && c.body === k) { m -= 1; if (m <= 0) continue; }
      if (d2 < 1) { dx = (k % 7) - 3 || 1; dy = (k % 5) - 2 || 1; d2 = dx * dx + dy * dy; }
      var f = strength * m / d2;
      vx[k] += dx * f; vy[k] += dy * f;
    }
  }
  function tick() {
    var a = sim.alpha, root = buildTree(), k;
    for (k = 0; k < n; k++) repel(root, k, sim.charge * a);
    for (var e = 0; e < edges.length; e++) {
      var s = edges[e][0], t = edges[e][1];
      if (s === t) continue;
      var dx = x[t] + vx[t] - x[s] - vx[s], dy = y[t] + vy[t] - y[s] - vy[s];
      var l = Math.sqrt(dx * dx + dy * dy) || 1;
      var w = (l - sim.link) / l * a / Math.min(degree[s], degree[t]);
      var bias = degree[s] / (degree[s] + degree[t]);
      dx *= w; dy *= w;
      vx[t] -= dx * bias; vy[t] -= dy * bias; vx[s] += dx * (1 - bias); vy[s] += dy * (1 - bias);
    }
    for (k = 0; k < n; k++) {
      vx[k] -= x[k] * 0.03 * a; vy[k] -= y[k] * 0.03 * a;
      vx[k] *= 0.6; vy[k] *= 0.6;
      x[k] += vx[k]; y[k] += vy[k];
    }
    sim.alpha += (0 - sim.alpha) * sim.decay;
    api.ticks++;
  }
  function run() {
    var started = performance.now();
    while (sim.alpha >= sim.alphaMin && performance.now() - started < 30) tick();
    if (state.autoFit) fit();
    draw();
    if (sim.alpha >= sim.alphaMin) requestAnimationFrame(run);
    else { api.settled = true; document.body.setAttribute("data-settled", "true"); }
  }

  // ------------------------------------------------------------------ view

  function resize() {
    var ratio = window.devicePixelRatio || 1, box = stage.getBoundingClientRect();
    state.width = box.width; state.height = box.height;
    canvas.width = Math.round(box.width * ratio); canvas.height = Math.round(box.height * ratio);
    canvas.style.width = box.width + "px"; canvas.style.height = box.height + "px";
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    if (state.autoFit) fit();
    draw();
  }
  function fit() {
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity, any = false;
    for (var k = 0; k < n; k++) {
      if (!visible(k)) continue;
      any = true;
      x0 = Math.min(x0, x[k]); x1 = Math.max(x1, x[k]); y0 = Math.min(y0, y[k]); y1 = Math.max(y1, y[k]);
    }
    if (!any) return;
    var pad = 40, w = Math.max(x1 - x0, 1), h = Math.max(y1 - y0, 1);
    state.scale = Math.min((state.width - 2 * pad) / w, (state.height - 2 * pad) / h, 4);
    state.tx = state.width / 2 - (x0 + x1) / 2 * state.scale;
    state.ty = state.height / 2 - (y0 + y1) / 2 * state.scale;
  }
  function sx(k) { return x[k] * state.scale + state.tx; }
  function sy(k) { return y[k] * state.scale + state.ty; }
  function sr(k) { return radius[k] * Math.max(0.35, Math.min(2.5, Math.sqrt(state.scale))); }

  function draw() {
    var W = state.width, H = state.height, k, e;
    ctx.clearRect(0, 0, W, H);
    var sel = state.selected, near = {};
    if (sel >= 0) {
      near[sel] = true;
      outE[sel].forEach(function (e) { near[edges[e][1]] = true; });
      inE[sel].forEach(function (e) { near[edges[e][0]] = true; });
    }
    ctx.lineWidth = 0.6; ctx.strokeStyle = sel >= 0 ? "rgba(140,149,159,0.25)" : "rgba(140,149,159,0.55)";
    ctx.beginPath();
    var drawnEdges = 0;
    for (e = 0; e < edges.length; e++) {
      var s = edges[e][0], t = edges[e][1];
      if (!visible(s) || !visible(t)) continue;
      ctx.moveTo(sx(s), sy(s)); ctx.lineTo(sx(t), sy(t)); drawnEdges++;
    }
    ctx.stroke();
    if (sel >= 0) {
      ctx.lineWidth = 1.6; ctx.strokeStyle = "rgba(36,41,47,0.8)"; ctx.beginPath();
      outE[sel].concat(inE[sel]).forEach(function (e) {
        var s = edges[e][0], t = edges[e][1];
        if (visible(s) && visible(t)) { ctx.moveTo(sx(s), sy(s)); ctx.lineTo(sx(t), sy(t)); }
      });
      ctx.stroke();
    }
    var drawn = 0, hit = {};
    state.hits.forEach(function (h) { hit[h] = true; });
    for (k = 0; k < n; k++) {
      if (!visible(k)) continue;
      var px = sx(k), py = sy(k), r = sr(k);
      if (px < -r || py < -r || px > W + r || py > H + r) continue;
      ctx.globalAlpha = sel >= 0 && !near[k] ? 0.35 : 1;
      ctx.fillStyle = data.classes[nodes[k].c].color;
      ctx.beginPath(); ctx.arc(px, py, r, 0, 2 * Math.PI); ctx.fill();
      if (hit[k] || k === sel) {
        ctx.globalAlpha = 1; ctx.lineWidth = 2.5; ctx.strokeStyle = k === sel ? "#cf222e" : "#0969da"; ctx.stroke();
      }
      drawn++;
    }
    ctx.globalAlpha = 1;
    api.drawnNodes = drawn; api.drawnEdges = drawnEdges;
    canvas.setAttribute("data-drawn-nodes", String(drawn));
    drawLabels(near, hit);
  }
  function drawLabels(near, hit) {
    var W = state.width, H = state.height, cellW = 10, used = {}, budget = 80 + Math.round(40 * state.scale);
    ctx.font = "12px " + FONT; ctx.textBaseline = "middle";
    var first = [];
    if (state.selected >= 0) first.push(state.selected);
    Object.keys(near).forEach(function (k) { first.push(+k); });
    state.hits.forEach(function (k) { first.push(k); });
    var queue = first.concat(order), done = {};
    for (var j = 0; j < queue.length && budget > 0; j++) {
      var k = queue[j];
      if (done[k] || !visible(k)) continue;
      done[k] = true;
      var px = sx(k) + sr(k) + 3, py = sy(k);
      if (px < 0 || py < 0 || px > W || py > H) continue;
      var text = label(k), w = ctx.measureText(text).width;
      var gx0 = Math.floor(px / cellW), gx1 = Math.floor((px + w) / cellW), gy0 = Math.floor((py - 7) / cellW), gy1 = Math.floor((py + 7) / cellW);
      var free = true, gx, gy;
      for (gx = gx0; gx <= gx1 && free; gx++) for (gy = gy0; gy <= gy1; gy++) if (used[gx + "," + gy]) { free = false; break; }
      var forced = j < first.length;
      if (!free && !forced) continue;
      for (gx = gx0; gx <= gx1; gx++) for (gy = gy0; gy <= gy1; gy++) used[gx + "," + gy] = true;
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)"; ctx.strokeText(text, px, py);
      ctx.fillStyle = forced ? "#24292f" : "#424a53"; ctx.fillText(text, px, py);
      budget--;
    }
  }
  function nodeAt(px, py) {
    var best = -1, bestD = Infinity;
    for (var k = 0; k < n; k++) {
      if (!visible(k)) continue;
      var dx = sx(k) - px, dy = sy(k) - py, d = dx * dx + dy * dy, r = sr(k) + 3;
      if (d <= r * r && d < bestD) { best = k; bestD = d; }
    }
    return best;
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
    (d.alt || []).length && rows.push([state.lang === "zh" ? "别名" : "also written", d.alt.join("; ")]);
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

  // ------------------------------------------------------------------ controls

  var search = document.getElementById("search"), hitList = document.getElementById("hits");
  function find(text) {
    var want = text.trim().toLowerCase(), found = [];
    if (!want) return found;
    for (var k = 0; k < n; k++) {
      var d = nodes[k], names = [d.zh, d.en, d.py].concat(d.alt || []);
      for (var j = 0; j < names.length; j++) {
        if (names[j] && names[j].toLowerCase().indexOf(want) >= 0) { found.push(k); break; }
      }
    }
    return found;
  }
  function runSearch(text) {
    state.hits = find(text);
    hitList.textContent = "";
    state.hits.slice(0, 30).forEach(function (k) {
      hitList.appendChild(el("li", { "data-node": String(k), onclick: function () { api.select(nodes[k].iri, true); } },
        label(k) + " · " + classLabel(nodes[k].c)));
    });
    draw();
    return state.hits.map(function (k) { return nodes[k].iri; });
  }
  search.addEventListener("input", function () { runSearch(search.value); });
  search.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && state.hits.length) api.select(nodes[state.hits[0]].iri, true);
    if (ev.key === "Escape") { search.value = ""; runSearch(""); }
  });

  var legend = document.getElementById("legend");
  function buildLegend() {
    legend.textContent = "";
    var counts = data.classes.map(function () { return 0; });
    nodes.forEach(function (d) { counts[d.c]++; });
    data.classes.forEach(function (c, k) {
      var box = el("input", { type: "checkbox" });
      box.checked = state.classOn[k];
      box.addEventListener("change", function () { state.classOn[k] = box.checked; changed(); });
      legend.appendChild(el("label", null, box, el("span", { "class": "swatch", style: "background:" + c.color }),
        classLabel(k) + " ", el("span", { "class": "count", text: String(counts[k]) })));
    });
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
  communitySelect.addEventListener("change", function () { state.community = +communitySelect.value; changed(); });
  function changed() { state.autoFit = true; fit(); draw(); }

  var langButton = document.getElementById("lang");
  function setLang(lang) {
    state.lang = lang;
    document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
    langButton.textContent = lang === "zh" ? "English" : "中文";
    search.placeholder = data.searchHint[lang];
    buildLegend(); buildCommunities(); showNode(state.selected); runSearch(search.value);
  }
  langButton.addEventListener("click", function () { setLang(state.lang === "zh" ? "en" : "zh"); });

  var drag = null;
  canvas.addEventListener("mousedown", function (ev) {
    drag = { x: ev.clientX, y: ev.clientY, tx: state.tx, ty: state.ty, moved: false };
    canvas.classList.add("dragging");
  });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
    if (drag.moved) { state.autoFit = false; state.tx = drag.tx + dx; state.ty = drag.ty + dy; draw(); }
  });
  window.addEventListener("mouseup", function (ev) {
    if (!drag) return;
    var moved = drag.moved;
    drag = null; canvas.classList.remove("dragging");
    if (moved) return;
    var box = canvas.getBoundingClientRect(), k = nodeAt(ev.clientX - box.left, ev.clientY - box.top);
    state.selected = k; showNode(k); draw();
  });
  canvas.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var box = canvas.getBoundingClientRect(), px = ev.clientX - box.left, py = ev.clientY - box.top;
    var f = Math.exp(-ev.deltaY * 0.0015), scale = Math.max(0.02, Math.min(40, state.scale * f));
    state.tx = px - (px - state.tx) * scale / state.scale; state.ty = py - (py - state.ty) * scale / state.scale;
    state.scale = scale; state.autoFit = false; draw();
  }, { passive: false });
  document.getElementById("fit").addEventListener("click", changed);

  // ------------------------------------------------------------------ API

  var byIri = {};
  nodes.forEach(function (d, k) { byIri[d.iri] = k; });
  api.search = function (text) { search.value = text; return runSearch(text); };
  api.select = function (iri, center) {
    var k = byIri[iri];
    if (k === undefined) return false;
    state.selected = k;
    if (center && !visible(k)) { state.community = -1; state.classOn[nodes[k].c] = true; buildLegend(); buildCommunities(); }
    if (center) { state.autoFit = false; state.tx = state.width / 2 - x[k] * state.scale; state.ty = state.height / 2 - y[k] * state.scale; }
    showNode(k); draw();
    return true;
  };
  api.screenPos = function (iri) {
    var k = byIri[iri], box = canvas.getBoundingClientRect();
    return k === undefined ? null : { x: box.left + sx(k), y: box.top + sy(k), r: sr(k) };
  };
  api.selected = function () { return state.selected >= 0 ? nodes[state.selected].iri : null; };
  api.setLang = setLang;
  api.filterClass = function (name, on) {
    data.classes.forEach(function (c, k) { if (c.name === name) state.classOn[k] = on; });
    buildLegend(); changed(); return api.drawnNodes;
  };
  api.filterCommunity = function (c) { state.community = c; buildCommunities(); changed(); return api.drawnNodes; };

  window.addEventListener("resize", resize);
  var total = data.total || { nodes: n, edges: edges.length };
  document.getElementById("stats").textContent = (total.nodes > n
    ? n + " / " + total.nodes + " nodes (largest by " + data.sizeBy + ") · " + edges.length + " / " + total.edges
    : n + " nodes · " + edges.length) + " relations";
  setLang(state.lang);
  resize();
  requestAnimationFrame(run);
})();
