"""The interactive page (self-contained, escaped, UTF-8) and the static figures."""

from __future__ import annotations

import json
import re

import networkx as nx
import pytest
from conftest import REPO

from anze_kg.build.current import current_quads
from anze_kg.cli import main
from anze_kg.errors import AnzeKGError, OutputError, UsageError
from anze_kg.inputs.project import Project
from anze_kg.network.pictures import (
    Figure,
    cjk_family,
    figure_bytes,
    focus_subgraph,
    page_data,
    page_html,
    script_json,
    size_values,
    write_page,
)
from anze_kg.network.projection import project_quads

ID = "https://w3id.org/anze-kg/id/"
XIAOLI = ID + "village/anze-xiaoli-village"
HOSTILE = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">&amp;'


@pytest.fixture(scope="module")
def G(built):
    return project_quads(current_quads(Project(REPO), built[1]), report="anze-2023")


@pytest.fixture(scope="module")
def page(G) -> str:
    return page_html(G).decode("utf-8")


def embedded(page: str) -> dict:
    text = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', page, re.S).group(1)
    return json.loads(text)


def test_page_is_self_contained(page):
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "default-src 'none'" in page
    for pattern in (r"<script[^>]*\bsrc=", r"<link\b", r"@import", r"url\(", r"<iframe", r"\bfetch\(", r"XMLHttpRequest"):
        assert not re.search(pattern, page), pattern
    assert page.count("<script") == 3 and "<style>" in page  # the data, the libraries, the explorer


def test_vendored_libraries_are_the_published_files_with_their_licences():
    """static/vendor/README.md names each inlined library's version and sha256 (of the file
    as npm publishes it) and its licence file: the files must be exactly those."""
    import hashlib
    from importlib import resources

    from anze_kg.network.pictures import VENDORED
    vendor = resources.files("anze_kg.network") / "static" / "vendor"
    table = {}
    for line in (vendor / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 5 and cells[0].endswith(".js"):
            table[cells[0]] = cells
    assert sorted(table) == sorted(VENDORED)
    for name, (_, _, _, licence, digest) in table.items():
        text = (vendor / name).read_bytes()
        assert hashlib.sha256(text).hexdigest() == digest, name
        assert "MIT" in (vendor / licence).read_text(encoding="utf-8") or "Permission is hereby granted" in (
            vendor / licence).read_text(encoding="utf-8")
        lowered = text.decode("utf-8").lower()
        assert "</script" not in lowered and "<!--" not in lowered, f"{name} could end its inline <script>"


def test_embedded_data_matches_the_projection(G, page):
    data = embedded(page)
    assert len(data["nodes"]) == G.number_of_nodes() and len(data["edges"]) == G.number_of_edges()
    feiling = next(n for n in data["nodes"] if n["iri"] == ID + "village/anze-feiling-village")
    assert (feiling["zh"], feiling["en"], feiling["py"]) == ("飞岭村", "Feiling Village", "Fēilǐng Cūn")
    assert feiling["q"][0]["x"] == "飞岭村蒹葭乡居入选“全国甲级旅游民宿”名单"
    assert feiling["q"][0]["b"].endswith("推进旅游景区创建,")
    classes = {c["name"]: c for c in data["classes"]}
    assert classes["Village"]["zh"] == "村" and classes["County"]["en"] == "county"
    assert {"degree", "pagerank", "betweenness"} >= {data["sizeBy"]}
    assert all(0 <= n["cm"] < len(data["communities"]) for n in data["nodes"])


def test_hostile_label_cannot_end_the_script(G):
    H = G.copy()
    H.nodes[XIAOLI]["label_zh"] = HOSTILE
    page = page_html(H, title="<b>title</b>").decode("utf-8")
    assert "</script><script>window.__pwned" not in page and 'onerror="window' not in page
    assert "<title>&lt;b&gt;title&lt;/b&gt;</title>" in page
    node = next(n for n in embedded(page)["nodes"] if n["iri"] == XIAOLI)
    assert node["zh"] == HOSTILE


def test_script_json_escapes_markup():
    assert script_json({"a": "</script>&<!--"}) == '{"a":"\\u003c/script\\u003e\\u0026\\u003c!--"}'


def test_renderer_inserts_text_never_html():
    from importlib import resources
    js = (resources.files("anze_kg.network") / "static" / "viz.js").read_text(encoding="utf-8")
    css = (resources.files("anze_kg.network") / "static" / "viz.css").read_text(encoding="utf-8")
    assert "</" not in js and "</" not in css  # inlined as they are: nothing may close the element
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js and "document.write" not in js
    assert "textContent" in js


def test_page_written_as_utf8_and_unwritable_target(G, tmp_path):
    target = tmp_path / "graph.html"
    write_page(G, target)
    assert "飞岭村" in target.read_bytes().decode("utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("keep", encoding="utf-8")
    with pytest.raises(OutputError, match="cannot write"):
        write_page(G, blocker / "graph.html")
    assert blocker.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "graph.html"]


def test_large_graph_page_keeps_the_largest_nodes(G):
    data = page_data(G, max_nodes=20)
    assert len(data["nodes"]) == 20 and data["total"] == {"nodes": G.number_of_nodes(), "edges": G.number_of_edges()}
    kept = {n["iri"] for n in data["nodes"]}
    assert ID + "county/anze" in kept  # the most connected node
    assert all(0 <= e[0] < 20 and 0 <= e[1] < 20 for e in data["edges"])
    assert {n["cm"] for n in data["nodes"]} == {c["id"] for c in data["communities"]}


def test_size_by_unknown_metric(G):
    with pytest.raises(UsageError, match="unknown size metric 'colour'"):
        page_data(G, size_by="colour")


def test_svg_keeps_chinese_text_as_text(G):
    svg = figure_bytes(G, "svg").decode("utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "安泽县" in svg and "煤焦产业链" in svg


def test_svg_focus_ego_view(G):
    svg = figure_bytes(G, "svg", Figure(focus="小李村", depth=1)).decode("utf-8")
    for name in ("小李村", "太岳行署旧址", "安泽县"):
        assert name in svg
    assert "煤焦产业链" not in svg  # two steps away from 小李村: not in its ego network
    # each relation is written on its edge: 小李村 lies in 安泽县 (位于), and five things lie in 小李村
    assert svg.count(">位于<") == 5 and ">针对<" in svg


def test_the_whole_graph_has_no_edge_labels(G):
    assert ">位于<" not in figure_bytes(G, "svg", Figure()).decode("utf-8")


def test_svg_focus_community_view(G):
    # Which members get a label depends on the layout (labels that would overlap are skipped),
    # so the members are checked on the drawn subgraph and the picture on its centre and title.
    H, center = focus_subgraph(G, Figure(focus="蔺鑫", view="community"), size_values(G, "degree"))
    drawn = {d["label_zh"] for _, d in H.nodes(data=True)}
    assert "圣鑫160万吨焦化升级改造项目" in drawn and "小李村" not in drawn
    assert G.nodes[center]["label_zh"] == "蔺鑫"
    svg = figure_bytes(G, "svg", Figure(focus="蔺鑫", view="community")).decode("utf-8")
    assert "蔺鑫" in svg and "社区 community" in svg and "小李村" not in svg


def test_png_needs_a_cjk_font(G):
    if cjk_family(required=False) is None:
        with pytest.raises(AnzeKGError, match="no CJK font") as caught:
            figure_bytes(G, "png")
        assert "fonts-noto-cjk" in caught.value.hint
    else:
        assert figure_bytes(G, "png", Figure(focus="小李村")).startswith(b"\x89PNG\r\n\x1a\n")


def test_cli_viz_page_and_figure(built, tmp_path, capsys):
    base = ["--project", str(REPO), "viz", "--out", str(built[1]), "--report", "anze-2023"]
    assert main([*base, "-o", str(tmp_path / "g.html")]) == 0
    assert "wrote" in capsys.readouterr().out and (tmp_path / "g.html").stat().st_size > 10_000
    assert main([*base, "--static", str(tmp_path / "g.svg"), "--focus", "小李村"]) == 0
    assert "太岳行署旧址" in (tmp_path / "g.svg").read_text(encoding="utf-8")


@pytest.mark.parametrize("argv, message", [
    (["--static", "g.pdf"], "a static figure is .svg or .png, not .pdf"),
    (["--focus", "小李村"], "--focus draws a static figure"),
    (["--static", "g.svg", "--focus", "小李庄"], "no entity named '小李庄'"),
    (["-o", "g.html", "--max-nodes", "0"], "--max-nodes must be at least 1, not 0"),
    (["--static", "g.svg", "--max-nodes", "0"], "--max-nodes must be at least 1, not 0"),
])
def test_cli_viz_bad_input(built, tmp_path, capsys, argv, message):
    argv = [a if not a.startswith("g.") else str(tmp_path / a) for a in argv]
    assert main(["--project", str(REPO), "viz", "--out", str(built[1]), *argv]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_every_class_has_its_own_colour_and_a_kind_its_own_hue():
    import colorsys

    from anze_kg.network.palette import KINDS, grouped_colours, kind_of

    counts = {c: i + 1 for i, c in enumerate(c for _, classes in KINDS.values() for c in classes)}
    counts["SomethingNew"] = 1
    colours = grouped_colours(counts)
    assert set(colours) == set(counts) and len(set(colours.values())) == len(colours)  # none shared

    def hue(colour: str) -> float:
        r, g, b = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
        return colorsys.rgb_to_hls(r, g, b)[0]

    assert hue(colours["County"]) == pytest.approx(hue(colours["Village"]), abs=0.02)  # places: one family
    assert abs(hue(colours["County"]) - hue(colours["Enterprise"])) > 0.2  # another kind, another hue
    assert kind_of("SomethingNew") == "other"
    # the legend's order: kind by kind, the most frequent class first within a kind
    kinds = [kind_of(c) for c in colours]
    assert kinds == sorted(kinds, key=list(KINDS).__add__(["other"]).index)


def test_the_core_fills_the_figure_and_the_small_parts_keep_to_a_strip(G):
    """The largest connected part spans [-1, 1] on both axes (not a third of the canvas);
    every other part sits in the strip to its right, none overlapping another's cell."""
    from anze_kg.network.metrics import simple_undirected
    from anze_kg.network.pictures import packed_layout
    U = simple_undirected(G)
    pos = packed_layout(U)
    assert set(pos) == set(U)
    comps = sorted(nx.connected_components(U), key=len, reverse=True)
    core = [pos[n] for n in comps[0]]
    assert min(x for x, _ in core) == pytest.approx(-1) and max(x for x, _ in core) == pytest.approx(1)
    assert min(y for _, y in core) == pytest.approx(-1) and max(y for _, y in core) == pytest.approx(1)
    rest = [pos[n] for c in comps[1:] for n in c]
    assert len(comps) > 1 and all(1.05 <= x <= 1.8 and -1.05 <= y <= 1.05 for x, y in rest)
    boxes = [(min(pos[n][0] for n in c), max(pos[n][0] for n in c), min(pos[n][1] for n in c),
              max(pos[n][1] for n in c)) for c in comps[1:]]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]), (a, b)
