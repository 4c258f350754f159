// The query page: named queries one click away, results as an HTML table.
// No external resources; every value reaches the page through textContent,
// so labels and literals are shown as text, never parsed as HTML.
"use strict";

const PREFIXES = [
  ["akg:", "https://w3id.org/anze-kg/ontology#"],
  ["id:", "https://w3id.org/anze-kg/id/"],
  ["graph:", "https://w3id.org/anze-kg/graph/"],
  ["rdf:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"],
  ["rdfs:", "http://www.w3.org/2000/01/rdf-schema#"],
  ["xsd:", "http://www.w3.org/2001/XMLSchema#"],
  ["skos:", "http://www.w3.org/2004/02/skos/core#"],
  ["owl:", "http://www.w3.org/2002/07/owl#"],
  ["oa:", "http://www.w3.org/ns/oa#"],
  ["qb:", "http://purl.org/linked-data/cube#"],
  ["schema:", "https://schema.org/"],
  ["dcterms:", "http://purl.org/dc/terms/"],
  ["prov:", "http://www.w3.org/ns/prov#"],
];
const ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9";

function el(tag, text, cls) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (cls) node.className = cls;
  return node;
}

function compact(iri) {
  for (const [prefix, ns] of PREFIXES) {
    if (iri.startsWith(ns)) return prefix + iri.slice(ns.length);
  }
  return iri;
}

function setStatus(text) { document.getElementById("status").textContent = text; }

function showError(text) {
  const box = document.getElementById("error");
  box.textContent = text;
  box.hidden = false;
  document.getElementById("output").replaceChildren();
}

function termCell(term) {
  const td = el("td");
  if (!term) return td;
  if (term.type === "uri") {
    td.className = "iri";
    td.textContent = compact(term.value);
    td.title = term.value;
  } else if (term.type === "literal") {
    td.append(el("span", term.value));
    if (term["xml:lang"]) td.append(el("span", "@" + term["xml:lang"], "lang"));
    else if (term.datatype) td.append(el("span", "^^" + compact(term.datatype), "dt"));
  } else {
    td.textContent = term.type === "bnode" ? "_:" + term.value : JSON.stringify(term.value);
  }
  return td;
}

function table(head, rows) {
  const tbl = el("table");
  tbl.id = "results";
  const tr = el("tr");
  for (const name of head) tr.append(el("th", name));
  tbl.append(el("thead"));
  tbl.tHead.append(tr);
  const body = el("tbody");
  for (const row of rows) body.append(row);
  tbl.append(body);
  return tbl;
}

function showSolutions(data) {
  const out = document.getElementById("output");
  if ("boolean" in data) {
    out.replaceChildren(table(["ASK"], [(() => { const r = el("tr"); r.append(el("td", String(data.boolean))); return r; })()]));
    return 1;
  }
  const vars = data.head.vars;
  const rows = data.results.bindings.map((b) => {
    const tr = el("tr");
    for (const v of vars) tr.append(termCell(b[v]));
    return tr;
  });
  out.replaceChildren(table(vars, rows));
  return rows.length;
}

function ntTerm(text) {
  if (text.startsWith("<") && text.endsWith(">")) return { type: "uri", value: text.slice(1, -1) };
  return { type: "literal", value: text };
}

function showTriples(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    const m = line.match(/^(\S+) (\S+) (.*) \.$/);
    if (!m) continue;
    const tr = el("tr");
    for (const part of [m[1], m[2], m[3]]) tr.append(termCell(ntTerm(part)));
    rows.push(tr);
  }
  document.getElementById("output").replaceChildren(table(["subject", "predicate", "object"], rows));
  return rows.length;
}

let current = null; // the named query whose parameters are shown

function showParams(q) {
  current = q;
  const box = document.getElementById("params");
  box.replaceChildren();
  for (const param of q.params || []) {
    const label = el("label", param.name + (param.type ? ` (${param.type})` : ""));
    const input = el("input");
    input.name = param.name;
    input.value = param.default;
    input.dataset.default = param.default;
    input.addEventListener("keydown", (event) => { if (event.key === "Enter") run(); });
    label.append(input);
    box.append(label);
  }
  box.hidden = !box.children.length;
}

function requestBody(query) {
  const body = new URLSearchParams({ query });
  for (const input of document.querySelectorAll("#params input")) {
    if (input.value !== input.dataset.default) body.append("$" + input.name, input.value);
  }
  return body;
}

async function run() {
  const query = document.getElementById("editor").value;
  document.getElementById("error").hidden = true;
  setStatus("running…");
  const started = performance.now();
  let response, text;
  try {
    response = await fetch("query", {
      method: "POST",
      headers: { "Accept": ACCEPT },
      body: requestBody(query),
    });
    text = await response.text();
  } catch (err) {
    setStatus("");
    showError("the endpoint did not answer: " + err);
    return;
  }
  const ms = Math.round(performance.now() - started);
  if (!response.ok) {
    setStatus(`error ${response.status} after ${ms} ms`);
    showError(`${response.status} ${response.statusText}\n${text}`);
    return;
  }
  const type = response.headers.get("content-type") || "";
  const n = type.startsWith("application/sparql-results+json") ? showSolutions(JSON.parse(text)) : showTriples(text);
  setStatus(`${n} rows in ${ms} ms`);
}

function queryButton(q) {
  const button = el("button", undefined, "named");
  button.type = "button";
  button.dataset.name = q.name;
  button.append(el("span", q.title || q.name));
  if (q.description) button.append(el("small", q.description));
  button.title = q.name;
  button.addEventListener("click", () => {
    document.getElementById("editor").value = q.text;
    showParams(q);
    run();
  });
  const li = el("li");
  li.append(button);
  return li;
}

async function loadQueries() {
  const list = document.getElementById("queries");
  try {
    const response = await fetch("queries", { headers: { "Accept": "application/json" } });
    const queries = await response.json();
    list.replaceChildren(...queries.map(queryButton));
    if (!queries.length) list.replaceChildren(el("li", "no named queries", "muted"));
  } catch (err) {
    list.replaceChildren(el("li", "cannot list the named queries: " + err, "muted"));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("run").addEventListener("click", run);
  document.getElementById("editor").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  loadQueries();
});
