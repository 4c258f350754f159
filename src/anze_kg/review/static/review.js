// The review page of `anze-kg review`: the drafts on the left, the selected one's
// quote highlighted in the text and the record as YAML on the right.  Every text
// of the report is inserted with textContent or text nodes, never as HTML.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { report: "", text: "", units: [0], records: [], counts: null, filter: "left", selected: null,
                busy: false };
const STATUS = { left: "left to decide", accepted: "accepted", corrected: "corrected", rejected: "rejected" };

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(path, init);
  let data;
  try {
    data = await response.json();
  } catch (e) {
    data = { error: `HTTP ${response.status}: ${response.statusText}` };
  }
  if (!response.ok) throw data;
  return data;
}

// Offsets from the server count characters (code points); JavaScript strings count UTF-16
// units: units[i] is where character i starts.
function setText(text) {
  state.text = text;
  const units = [0];
  let at = 0;
  for (const ch of text) {
    at += ch.length;
    units.push(at);
  }
  state.units = units;
}

function visible() {
  if (state.filter === "all") return state.records;
  if (state.filter === "left") return state.records.filter((r) => r.status === "left");
  return state.records.filter((r) => r.status !== "left");
}

function selectedRecord() {
  return state.records.find((r) => r.key === state.selected) || null;
}

function renderCounts() {
  const c = state.counts;
  if (!c) return;
  $("counts").textContent = `${c.left} of ${c.total} left · accepted ${c.accepted}, corrected ${c.corrected}, ` +
    `rejected ${c.rejected}`;
  document.title = `${c.left} left · ${state.report} · anze-kg review`;
}

function renderNotes(notes) {
  const list = $("notes");
  list.replaceChildren(...notes.map((note) => {
    const li = document.createElement("li");
    li.textContent = note;
    return li;
  }));
}

function renderList() {
  const list = $("list");
  const items = visible().map((record) => {
    const li = document.createElement("li");
    li.className = record.status;
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.key = record.key;
    if (record.key === state.selected) button.setAttribute("aria-current", "true");
    const kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = record.type;
    const label = document.createElement("span");
    label.className = "label";
    label.textContent = record.label;
    const status = document.createElement("span");
    status.className = "state";
    status.textContent = record.status === "left" ? "" : record.status;
    button.append(kind, label, status);
    button.addEventListener("click", () => select(record.key));
    li.append(button);
    return li;
  });
  if (!items.length) {
    const li = document.createElement("li");
    li.className = "empty";
    li.textContent = state.filter === "left" ? "nothing left to decide" : "nothing here";
    items.push(li);
  }
  list.replaceChildren(...items);
}

function highlight(record) {
  const pre = $("text");
  if (!record || record.start === null || record.end === null) {
    pre.replaceChildren(document.createTextNode(state.text));
    return;
  }
  const start = state.units[record.start], end = state.units[record.end];
  const mark = document.createElement("mark");
  mark.textContent = state.text.slice(start, end);
  pre.replaceChildren(document.createTextNode(state.text.slice(0, start)), mark,
                      document.createTextNode(state.text.slice(end)));
  mark.scrollIntoView({ block: "center" });
}

function renderDetail() {
  const record = selectedRecord();
  const left = !!record && record.status === "left";
  $("title").textContent = record ? `${record.type} ${record.id}: ${record.label}` : "—";
  $("status").textContent = record ? STATUS[record.status] : "";
  $("warnings").replaceChildren(...(record ? record.warnings : []).map((w) => {
    const li = document.createElement("li");
    li.textContent = w;
    return li;
  }));
  const editor = $("editor");
  editor.value = record ? record.yaml : "";
  editor.disabled = !left;
  $("accept").disabled = !left || state.busy;
  $("correct").disabled = !left || state.busy;
  $("reject").disabled = !left || state.busy;
  $("undo").disabled = !record || left || state.busy;
  showError(null);
  highlight(record);
}

function select(key) {
  state.selected = key;
  renderList();
  renderDetail();
  const button = $("list").querySelector(`button[data-key="${key}"]`);
  if (button) button.scrollIntoView({ block: "nearest" });
}

function move(step) {
  const shown = visible();
  if (!shown.length) return;
  const at = shown.findIndex((r) => r.key === state.selected);
  const next = at < 0 ? 0 : Math.min(Math.max(at + step, 0), shown.length - 1);
  select(shown[next].key);
}

function showError(problem) {
  const box = $("error");
  if (!problem) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  const lines = [(problem.field ? `${problem.field}: ` : "") + problem.error];
  if (problem.line) lines.push(`line ${problem.line} of the record`);
  if (problem.hint) lines.push(`hint: ${problem.hint}`);
  box.textContent = lines.join("\n");
  box.hidden = false;
  if (problem.line) selectLine($("editor"), problem.line);
}

function selectLine(editor, line) {
  const lines = editor.value.split("\n");
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const end = start + (lines[line - 1] || "").length;
  editor.focus();
  editor.setSelectionRange(start, end);
}

function apply(data) {
  state.records = data.records;
  state.counts = data.counts;
  renderCounts();
  renderNotes(data.notes || []);
}

async function act(path, body) {
  if (state.busy) return;
  const before = visible().map((r) => r.key);
  const at = before.indexOf(state.selected);
  state.busy = true;
  $("busy").textContent = "saving…";
  try {
    apply(await api(path, body));
    // stay on the record when it is still listed; else go on to the one that took its place
    const shown = visible();
    if (!shown.some((r) => r.key === state.selected) && shown.length) {
      state.selected = shown[Math.min(Math.max(at, 0), shown.length - 1)].key;
    }
    state.busy = false;
    $("busy").textContent = "saved";
    select(state.selected);
  } catch (problem) {
    state.busy = false;
    $("busy").textContent = "";
    renderDetail();
    if (body.yaml !== undefined) $("editor").value = body.yaml;
    showError(problem);
  }
}

function decide(action) {
  const record = selectedRecord();
  if (!record || record.status !== "left") return;
  const body = { key: record.key, action };
  if (action === "correct") body.yaml = $("editor").value;
  act("/api/decide", body);
}

function undo() {
  const record = selectedRecord();
  if (!record || record.status === "left") return;
  act("/api/undo", { key: record.key });
}

function onKey(event) {
  const inEditor = event.target === $("editor");
  if (inEditor) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      decide("correct");
    } else if (event.key === "Escape") {
      event.target.blur();
    }
    return;
  }
  const tag = event.target.tagName;
  if (event.ctrlKey || event.metaKey || event.altKey || tag === "SELECT" || tag === "TEXTAREA" ||
      (tag === "INPUT" && event.target.type !== "radio")) {
    return;
  }
  const keys = { a: () => decide("accept"), r: () => decide("reject"), u: undo, j: () => move(1), k: () => move(-1),
                 e: () => { if (!$("editor").disabled) $("editor").focus(); } };
  if (keys[event.key]) {
    event.preventDefault();
    keys[event.key]();
  }
}

async function start() {
  try {
    const [records, text] = await Promise.all([api("/api/records"), api("/api/text")]);
    state.report = records.report;
    $("report").textContent = records.report;
    setText(text.text);
    apply(records);
    const first = visible()[0] || state.records[0];
    state.selected = first ? first.key : null;
    select(state.selected);
  } catch (problem) {
    showError(problem);
  }
  $("accept").addEventListener("click", () => decide("accept"));
  $("correct").addEventListener("click", () => decide("correct"));
  $("reject").addEventListener("click", () => decide("reject"));
  $("undo").addEventListener("click", undo);
  for (const radio of document.querySelectorAll('input[name="filter"]')) {
    radio.addEventListener("change", () => {
      state.filter = radio.value;
      const shown = visible();
      if (!shown.some((r) => r.key === state.selected)) state.selected = shown.length ? shown[0].key : null;
      select(state.selected);
    });
  }
  document.addEventListener("keydown", onKey);
}

document.addEventListener("DOMContentLoaded", start);
