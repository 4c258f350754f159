"""The network page in a real headless browser (Debian chromium driven by
Playwright), opened from a file URL with every other request aborted: it draws
every node of the projection, finds 飞岭村, shows its quote when clicked, and
shows a hostile label as text; at the hub 安泽县, in Chinese and English, at
1400x900 and at a phone's 390x844, no two labels Cytoscape draws overlap and the
hub's relations are labelled; search puts the exact name first.  Saves
tests/artifacts/viz*.png (the hub views: viz-hub-WIDTH-LANG.png)."""

from __future__ import annotations

import random
import time
from pathlib import Path

import networkx as nx
import pytest
from conftest import REPO
from conftest_browser import ARTIFACTS, launch, playwright_api

from anze_kg.build.current import current_quads
from anze_kg.inputs.project import Project
from anze_kg.network.metrics import label_communities
from anze_kg.network.pictures import write_page
from anze_kg.network.projection import project_quads

FEILING = "https://w3id.org/anze-kg/id/village/anze-feiling-village"
XIAOLI = "https://w3id.org/anze-kg/id/village/anze-xiaoli-village"
ANZE = "https://w3id.org/anze-kg/id/county/anze"
HOSTILE = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>小李村'


@pytest.fixture(scope="module")
def G(built):
    return project_quads(current_quads(Project(REPO), built[1]), report="anze-2023")


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


class Visit:
    """One page opened from a file URL; everything but that file is aborted and recorded."""

    def __init__(self, browser, path: Path, viewport: tuple[int, int] = (1400, 900)) -> None:
        self.url = path.resolve().as_uri()
        self.other: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
        self.context.route("**/*", self._route)
        self.tab = self.context.new_page()
        self.tab.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.tab.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
        self.tab.on("dialog", lambda dialog: (self.errors.append("dialog: " + dialog.message), dialog.dismiss()))
        self.tab.goto(self.url)
        self._wait_settled(deadline=time.monotonic() + 180)

    def _wait_settled(self, deadline: float) -> None:
        # polled from here: the page's CSP forbids the eval that wait_for_function would need
        while not self.tab.evaluate("!!(window.__viz && window.__viz.settled)"):
            assert time.monotonic() < deadline, "the layout did not settle"
            self.tab.wait_for_timeout(100)

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.other.append(route.request.url)
            route.abort()

    def js(self, expression: str):
        return self.tab.evaluate(expression)

    def close(self) -> None:
        self.context.close()
        assert self.other == [], f"the page asked for other resources: {self.other}"
        assert self.errors == [], f"console errors: {self.errors}"


def test_page_offline_search_click_quote(G, browser, tmp_path):
    page = write_page(G, tmp_path / "graph.html")
    visit = Visit(browser, page)
    assert visit.js("window.__viz.nodeCount") == G.number_of_nodes()
    assert visit.js("window.__viz.drawnNodes") == G.number_of_nodes()
    assert visit.tab.get_attribute("#graph", "data-drawn-nodes") == str(G.number_of_nodes())
    visit.tab.fill("#search", "飞岭")
    hits = visit.tab.locator("#hits li").all_inner_texts()
    assert any(h.startswith("飞岭村 ·") for h in hits)
    assert FEILING in visit.js("window.__viz.search('飞岭')")
    at = visit.js(f"window.__viz.screenPos('{FEILING}')")
    visit.tab.mouse.click(at["x"], at["y"])  # a real click on the canvas at the village
    assert visit.js("window.__viz.selected()") == FEILING
    panel = visit.tab.locator("#panel")
    assert panel.locator("h2").inner_text() == "飞岭村"
    assert panel.locator("mark").first.inner_text() == "飞岭村蒹葭乡居入选“全国甲级旅游民宿”名单"
    assert "推进旅游景区创建," in panel.locator("blockquote").first.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    visit.tab.screenshot(path=str(ARTIFACTS / "viz.png"))
    visit.tab.click("#panel a:text('安泽县')")  # relations are links to their node
    assert visit.js("window.__viz.selected()") == "https://w3id.org/anze-kg/id/county/anze"
    visit.tab.click("#lang")
    assert visit.tab.locator("#panel h2").inner_text() == "Anze County"
    visit.close()


def test_filters_change_what_is_drawn(G, browser, tmp_path):
    visit = Visit(browser, write_page(G, tmp_path / "graph.html"))
    villages = sum(1 for _, d in G.nodes(data=True) if d["class"] == "Village")
    assert visit.js("window.__viz.filterClass('Village', false)") == G.number_of_nodes() - villages
    membership = label_communities(G)[2]
    community = membership[FEILING]
    members = sum(1 for n, d in G.nodes(data=True) if membership[n] == community and d["class"] != "Village")
    assert visit.js(f"window.__viz.filterCommunity({community})") == members
    visit.close()


def test_hostile_label_is_shown_as_text(G, browser, tmp_path):
    H = G.copy()
    H.nodes[XIAOLI]["label_zh"] = HOSTILE
    visit = Visit(browser, write_page(H, tmp_path / "hostile.html"))
    assert visit.js(f"window.__viz.select('{XIAOLI}', true)") is True
    assert visit.tab.locator("#panel h2").inner_text() == HOSTILE
    assert visit.tab.locator("#panel img").count() == 0
    assert visit.js("window.__pwned === undefined")
    visit.close()


def _synthetic(n: int, seed: int = 5) -> nx.MultiDiGraph:
    """A projection-shaped graph of ``n`` nodes (a scale-free tree plus random ties)."""
    rng = random.Random(seed)
    G = nx.MultiDiGraph(name="synthetic", classes={}, reports=["synthetic"])
    classes = ["Project", "Enterprise", "Village", "Program", "Designation", "Product"]
    for i in range(n):
        G.add_node(f"urn:x:{i}", iri=f"urn:x:{i}", **{"class": classes[i % len(classes)]}, label=f"节点{i}",
                   label_zh=f"节点{i}", label_en=f"node {i}", label_pinyin="", alt_labels=[], quotes=[], reports=[])
    for i in range(1, n):
        for j in {rng.randrange(i), rng.randrange(max(1, i // 50))}:
            G.add_edge(f"urn:x:{i}", f"urn:x:{j}", key="locatedIn", label_zh="位于", label_en="located in")
    return G


def test_five_thousand_nodes_stay_usable(browser, tmp_path):
    G = _synthetic(5000)
    started = time.monotonic()
    visit = Visit(browser, write_page(G, tmp_path / "big.html"))
    settled = time.monotonic() - started
    assert visit.js("window.__viz.drawnNodes") == 5000
    frame_ms = visit.js("""(() => { const t = performance.now();
        for (let i = 0; i < 10; i++) window.__viz.filterCommunity(-1);
        return (performance.now() - t) / 10; })()""")
    print(f"5000 nodes: page written and layout settled in {settled:.1f} s (layout {visit.js('window.__viz.layoutMs')} ms), "
          f"a full redraw takes {frame_ms:.0f} ms")
    visit.tab.screenshot(path=str(ARTIFACTS / "viz-5000.png"))
    # Usable, not a benchmark: bounds a user would notice, far above what this machine takes (466 ms idle;
    # 1,260 ms once with two benchmarks running beside it, so the bound is a stuck page, not a slow one).
    assert settled < 90, f"the 5,000-node page took {settled:.0f} s to settle"
    assert frame_ms < 5000, f"a redraw of 5,000 nodes took {frame_ms:.0f} ms"
    assert FEILING not in visit.js("window.__viz.search('节点4999')") and visit.js("window.__viz.search('节点4999')") == ["urn:x:4999"]
    visit.close()


def overlaps(boxes: list[dict], slack: float = 1.0) -> list[tuple[str, str]]:
    """Pairs of label boxes that intersect by more than ``slack`` pixels each way."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > slack
                    and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > slack):
                found.append((a["text"], b["text"]))
    return found


def test_overlap_check_sees_an_overlap():
    a = {"text": "a", "x0": 0, "y0": 0, "x1": 50, "y1": 14}
    assert overlaps([a, {"text": "b", "x0": 40, "y0": 5, "x1": 90, "y1": 19}]) == [("a", "b")]
    assert overlaps([a, {"text": "c", "x0": 50, "y0": 0, "x1": 90, "y1": 14}]) == []


@pytest.mark.parametrize("viewport", [(1400, 900), (390, 844)], ids=["desktop", "phone"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_hub_reads_well(G, browser, tmp_path, viewport, lang):
    """Selecting 安泽县 (a hub of some 100 relations) labels the hub, many of its neighbours
    and their relations, and no two of the labels Cytoscape draws overlap; the graph keeps
    most of a phone's screen and the legend never covers it."""
    visit = Visit(browser, write_page(G, tmp_path / "graph.html"), viewport)
    visit.js(f"window.__viz.setLang('{lang}')")
    assert visit.js(f"window.__viz.select('{ANZE}', true)") is True
    visit.js("window.__viz.relabelNow()")
    boxes = visit.js("window.__viz.labelBoxes()")
    stage = visit.js("window.__viz.containerBox()")
    hub = "安泽县" if lang == "zh" else "Anze County"
    assert hub in [b["text"] for b in boxes if b["kind"] == "node"]
    nodes = [b for b in boxes if b["kind"] == "node"]
    relations = [b for b in boxes if b["kind"] == "edge"]
    degree = len(set(G.successors(ANZE)) | set(G.predecessors(ANZE)))
    phone = viewport[0] < 500
    assert len(nodes) >= (8 if phone else 25), f"only {len(nodes)} labels: {[b['text'] for b in nodes]}"
    assert len(relations) >= (2 if phone else 5), f"{len(relations)} relation labels for {degree} relations"
    located = "位于" if lang == "zh" else "located in"
    assert any(located in b["text"] for b in relations)
    assert overlaps(boxes) == []
    centre_in = [b for b in boxes if stage["x0"] <= (b["x0"] + b["x1"]) / 2 <= stage["x1"]
                 and stage["y0"] <= (b["y0"] + b["y1"]) / 2 <= stage["y1"]]
    assert len(centre_in) == len(boxes), "a label drawn outside the graph"
    width, height = stage["x1"] - stage["x0"], stage["y1"] - stage["y0"]
    assert width >= 0.95 * viewport[0] if phone else width >= 0.6 * viewport[0]
    assert stage["x1"] <= viewport[0] + 0.5, "the graph runs past the screen"
    assert visit.js("document.documentElement.scrollWidth") <= viewport[0], "the page scrolls sideways"
    assert height >= 0.5 * viewport[1]
    legend = visit.js("""(() => { const b = document.getElementById('legend-box').getBoundingClientRect();
        return {x0: b.left, y0: b.top, x1: b.right, y1: b.bottom, text: 'legend'}; })()""")
    assert overlaps([legend, {**stage, "text": "graph"}]) == [], "the legend covers the graph"
    ARTIFACTS.mkdir(exist_ok=True)
    visit.tab.screenshot(path=str(ARTIFACTS / f"viz-hub-{viewport[0]}-{lang}.png"))
    visit.close()


def test_search_puts_the_exact_name_first(G, browser, tmp_path):
    """小李村 is also the start of 小李村太岳红色教育培训基地 and more: Enter picks the village."""
    visit = Visit(browser, write_page(G, tmp_path / "graph.html"))
    visit.tab.fill("#search", "小李村")
    hits = visit.tab.locator("#hits li").all_inner_texts()
    assert len(hits) > 1 and hits[0].startswith("小李村 ·")
    visit.tab.press("#search", "Enter")
    assert visit.js("window.__viz.selected()") == XIAOLI
    assert visit.tab.locator("#panel h2").inner_text() == "小李村"
    visit.close()


def test_a_tap_on_a_node_labels_its_relations(G, browser, tmp_path):
    visit = Visit(browser, write_page(G, tmp_path / "graph.html"))
    visit.js(f"window.__viz.select('{FEILING}', true)")
    at = visit.js(f"window.__viz.screenPos('{FEILING}')")
    visit.tab.mouse.click(at["x"], at["y"])
    visit.js("window.__viz.relabelNow()")
    edges = [b["text"] for b in visit.js("window.__viz.labelBoxes()") if b["kind"] == "edge"]
    assert edges and set(edges) <= {"位于"}, edges
    visit.tab.mouse.click(5, visit.js("window.__viz.containerBox()")["y1"] - 5)  # the empty canvas
    assert visit.js("window.__viz.selected()") is None
    visit.js("window.__viz.relabelNow()")
    assert [b for b in visit.js("window.__viz.labelBoxes()") if b["kind"] == "edge"] == []
    visit.close()
