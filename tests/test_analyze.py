"""The NetworkX projection, its metrics, paths and neighbourhoods, and the network
formats, checked against what the Anze 2023 report says."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from conftest import REPO

from anze_kg.build.current import current_quads
from anze_kg.cli import main
from anze_kg.errors import NoPathError, NotFoundError, UsageError
from anze_kg.inputs.project import Project
from anze_kg.network.files import graph_bytes
from anze_kg.network.metrics import (
    analyze,
    betweenness,
    neighbours,
    pagerank,
    resolve,
    shortest_paths,
    simple_undirected,
)
from anze_kg.network.projection import project_quads, projection

ID = "https://w3id.org/anze-kg/id/"
ANZE = ID + "county/anze"
XIAOLI = ID + "village/anze-xiaoli-village"
LINXIN, LINXIN_PROJECT = ID + "enterprise/linxin", ID + "project/linxin-coking-170"
# 永鑫焦化、太岳能源4.3米焦炉有序关停,蔺鑫170万吨焦化项目投产达效,圣鑫160万吨焦化升级改造项目持续推进
COKING = [ID + "enterprise/yongxin-coking", ID + "enterprise/taiyue-energy", LINXIN, ID + "enterprise/shengxin",
          LINXIN_PROJECT, ID + "project/shengxin-coking-upgrade-160",
          ID + "facility/yongxin-coking-4-3m-ovens", ID + "facility/taiyue-energy-4-3m-ovens"]


@pytest.fixture(scope="module")
def quads(built):
    return current_quads(Project(REPO), built[1])


@pytest.fixture(scope="module")
def G(quads):
    """The network of the Anze 2023 report (other reports may be in the build)."""
    return project_quads(quads, report="anze-2023")


@pytest.fixture(scope="module")
def result(G):
    return analyze(G, top=10)


def run(capsys, *argv, out=None, report="anze-2023"):
    code = main(["--project", str(REPO), *argv, *(["--out", str(out)] if out else []),
                 *(["--report", report] if report else [])])
    got = capsys.readouterr()
    return code, got.out, got.err


# --------------------------------------------------------------------------- projection

def test_nodes_are_named_things_only(G):
    assert G.number_of_nodes() > 150
    for n, d in G.nodes(data=True):
        assert n.startswith(ID) and "/evidence/" not in n and "/quantity/" not in n and "/statement/" not in n
        assert d["class"] not in {"Report", "Person", "Evidence", "Statement", "Quantity", "Unit", "Observation",
                                  "Indicator", "ProjectStatus", "Qualifier"}
        assert d["label_zh"] or d["label_en"]
    assert ID + "report/anze-2023" not in G


def test_node_attributes_of_the_linxin_project(G):
    d = G.nodes[LINXIN_PROJECT]
    assert (d["class"], d["label_zh"], d["label_en"]) == ("Project", "蔺鑫170万吨焦化项目",
                                                         "Linxin 1.7 million tonne coking project")
    assert d["label_pinyin"] == "Lìnxīn"
    assert d["status"] == "投产运营 (in operation)"
    assert d["capacity"].startswith("170万吨")
    quote = d["quotes"][0]
    assert quote["exact"] == "蔺鑫170万吨焦化项目投产达效" and quote["report"] == "anze-2023"
    assert quote["before"].endswith("太岳能源4.3米焦炉有序关停,") and quote["after"].startswith(",圣鑫160万吨")


def test_quote_offsets_point_into_the_report(G, report_text):
    for n in (LINXIN_PROJECT, XIAOLI, ID + "village/anze-feiling-village"):
        for q in G.nodes[n]["quotes"]:
            assert report_text[q["start"]:q["end"]] == q["exact"]


def test_edges_carry_predicate_and_labels(G):
    edge = G.edges[LINXIN_PROJECT, ANZE, "locatedIn"]
    assert edge == {"predicate": "https://w3id.org/anze-kg/ontology#locatedIn", "label_zh": "位于", "label_en": "located in"}


def test_inverse_duplicates_are_dropped(G):
    keys = {k for _, _, k in G.edges(keys=True)}
    assert not keys & {"operatedBy", "awardedTo", "appliedBy"}
    assert G.has_edge(LINXIN, LINXIN_PROJECT, "operates") and not G.has_edge(LINXIN_PROJECT, LINXIN)
    # 小李村太岳行署旧址景区评为国家3A级旅游景区: one edge, written as hasDesignation
    scenic, grade = ID + "scenic-area/taiyue-administrative-office-scenic-area", ID + "designation/national-3a-scenic-area"
    assert list(G.get_edge_data(scenic, grade)) == ["hasDesignation"] and not G.has_edge(grade, scenic)


def test_symmetric_partner_edge_once(G):
    # 安泽一中与临汾一中集团化办学
    a, b = ID + "school/anze-no1-middle-school", ID + "school/linfen-no1-middle-school"
    both = [k for k in G.get_edge_data(a, b, default={})] + [k for k in G.get_edge_data(b, a, default={})]
    assert both == ["partnerOf"]


def _toy(inverse_declared: bool):
    """A tiny dataset whose ontology names its own inverse pair: nothing is hard-coded."""
    akg, ex, g = "https://w3id.org/anze-kg/ontology#", "https://w3id.org/anze-kg/id/", "https://w3id.org/anze-kg/graph/"
    N, L = ox.NamedNode, ox.Literal
    onto, rep = N(g + "ontology"), N(g + "toy")
    typ, label = N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), N("http://www.w3.org/2000/01/rdf-schema#label")
    a, b = N(ex + "enterprise/a"), N(ex + "project/b")
    q = [ox.Quad(a, typ, N(akg + "Enterprise"), rep), ox.Quad(b, typ, N(akg + "Project"), rep),
         ox.Quad(a, label, L("甲", language="zh"), rep), ox.Quad(b, label, L("乙", language="zh"), rep),
         ox.Quad(a, N(akg + "runs"), b, rep), ox.Quad(b, N(akg + "runBy"), a, rep),
         ox.Quad(N(akg + "runs"), label, L("经营", language="zh"), onto)]
    if inverse_declared:
        q.append(ox.Quad(N(akg + "runBy"), N("http://www.w3.org/2002/07/owl#inverseOf"), N(akg + "runs"), onto))
    return q


def test_inverse_pairs_come_from_the_ontology():
    with_decl, without = project_quads(_toy(True)), project_quads(_toy(False))
    assert sorted(k for _, _, k in with_decl.edges(keys=True)) == ["runs"]
    assert with_decl.edges["https://w3id.org/anze-kg/id/enterprise/a", "https://w3id.org/anze-kg/id/project/b", "runs"]["label_zh"] == "经营"
    assert sorted(k for _, _, k in without.edges(keys=True)) == ["runBy", "runs"]


def test_with_observations_adds_indicators_and_figures(quads, G):
    H = project_quads(quads, report="anze-2023", include_observations=True)
    gdp = H.nodes[ID + "observation/anze-2023/gdp-2023"]
    # 全县地区生产总值完成121.6亿元,同比增长12.6%,增速全市排名第一
    assert (gdp["class"], gdp["value"], gdp["growthRate"], gdp["period"]) == ("Observation", "121.6亿元", "12.6%", "2023")
    assert gdp["rank"] == "1 (全市)"
    assert H.has_edge(ID + "observation/anze-2023/gdp-2023", ID + "indicator/gdp", "indicator")
    assert H.has_edge(ID + "observation/anze-2023/gdp-2023", ANZE, "refArea")
    assert set(G) < set(H)


def test_without_concepts_sectors_become_attributes(quads):
    H = project_quads(quads, report="anze-2023", include_concepts=False)
    assert not {d["class"] for _, d in H.nodes(data=True)} & {"Sector", "IndustryChain", "ProgramDomain"}
    assert H.nodes[LINXIN]["sector"] == "焦化 (coking)"


def test_report_filter(quads, G):
    every = project_quads(quads)
    assert set(G) <= set(every) and G.number_of_edges() <= every.number_of_edges()
    assert G.graph["reports"] == ["anze-2023"] and "anze-2023" in every.graph["reports"]
    assert {q["report"] for _, d in G.nodes(data=True) for q in d["quotes"]} == {"anze-2023"}
    assert {LINXIN_PROJECT, ANZE, XIAOLI} <= set(G)
    with pytest.raises(NotFoundError, match="no report 'anze-2099'") as caught:
        project_quads(quads, report="anze-2099")
    assert "anze-2023" in caught.value.hint


# --------------------------------------------------------------------------- metrics

def test_county_is_the_main_hub(result):
    assert result.leaders["degree"][0].iri == ANZE
    assert result.leaders["betweenness"][0].iri == ANZE
    assert ANZE in {r.iri for r in result.articulation_points}


def test_coking_enterprises_and_projects_share_a_community(G, result):
    assert len({result.membership[n] for n in COKING}) == 1
    assert result.modularity > 0.3
    assert len(result.communities) == len(set(result.membership.values())) and set(result.membership) == set(G)
    assert not any("community" in d for _, d in G.nodes(data=True))  # the analysis leaves G as it was
    coke = result.communities[result.membership[LINXIN]]
    assert coke.name and coke.size >= len(COKING)


def test_xiaoli_is_tied_to_the_taiyue_site_and_the_red_base(G):
    hood = neighbours(G, "小李村")
    near = {n.node for n in hood.neighbours}
    assert {ID + "historic-site/taiyue-administrative-office-site", ID + "base/taiyue-red-education-base"} <= near
    assert shortest_paths(G, "小李村", "太岳行署旧址").chains() == ["小李村 ←位于— 太岳行署旧址"]
    assert shortest_paths(G, "小李村", "太岳红色教育培训基地").chains() == ["小李村 ←位于— 小李村太岳红色教育培训基地"]


def test_betweenness_sampled_above_the_limit(G):
    U = simple_undirected(G)
    exact, how = betweenness(U)
    assert how["method"] == "exact"
    sampled, how = betweenness(U, exact_limit=10, sample=50, seed=3)
    assert how == {"method": "sampled", "k": 50, "seed": 3}
    assert max(sampled, key=sampled.get) == max(exact, key=exact.get) == ANZE
    with pytest.raises(UsageError, match="at least 1 source"):
        betweenness(U, exact_limit=10, sample=0)


def test_pagerank_small_graphs():
    cycle = nx.MultiDiGraph([("a", "b"), ("b", "c"), ("c", "a")])
    assert all(abs(v - 1 / 3) < 1e-9 for v in pagerank(cycle).values())
    sink = pagerank(nx.MultiDiGraph([("a", "c"), ("b", "c")]))
    # c gets the damped share of both: with dangling c spreading evenly, c = 1/(1+2·0.15/1.85...) > a = b
    assert sink["c"] > sink["a"] == sink["b"] and abs(sum(sink.values()) - 1) < 1e-9


# --------------------------------------------------------------------------- paths, neighbours, names

def test_path_chain_reads_both_directions(G):
    assert shortest_paths(G, "蔺鑫", "安泽县").chains() == ["蔺鑫 —位于→ 安泽县"]
    assert shortest_paths(G, "安泽县", "蔺鑫").chains() == ["安泽县 ←位于— 蔺鑫"]
    to_anthracene = shortest_paths(G, "科鑫", "精蒽")
    assert "科鑫 —运营→ 科鑫2800吨/年精蒽项目 —生产→ 精蒽" in to_anthracene.chains()
    assert ("Kexin —operates→ Kexin 2,800 t/yr refined anthracene project —produces→ Refined anthracene"
            in to_anthracene.chains("en"))


def test_resolve_by_iri_slug_english_and_part(G):
    assert resolve(G, ANZE) == resolve(G, "county/anze") == resolve(G, "anze county") == resolve(G, "安泽县") == ANZE
    assert resolve(G, "Feiling Village") == resolve(G, "Fēilǐng Cūn") == ID + "village/anze-feiling-village"


def test_unknown_entity_suggests_near_labels(G):
    with pytest.raises(NotFoundError, match="no entity named '小李庄'") as caught:
        shortest_paths(G, "小李庄", "安泽县")
    assert "小李村" in caught.value.hint


def test_ambiguous_name_lists_the_candidates(G):
    # the base and the video 《小李村太岳红色教育培训基地》 share the Chinese name
    with pytest.raises(UsageError, match="names 2 entities") as caught:
        resolve(G, "小李村太岳红色教育培训基地")
    assert "base/taiyue-red-education-base" in str(caught.value) and "creative-work/" in str(caught.value)


def test_no_path_between_separate_components(G):
    # the play 《太岳山上》 is only said to have been staged: nothing ties it to the county
    with pytest.raises(NoPathError, match="no path between 太岳山上 and 安泽县"):
        shortest_paths(G, "太岳山上", "安泽县")


def test_neighbours_depth_two_reach_the_county_hub(G):
    hood = neighbours(G, "太岳行署旧址", depth=2)
    by_depth = {n.node: n.depth for n in hood.neighbours}
    assert by_depth[XIAOLI] == 1 and by_depth[ANZE] == 2
    with pytest.raises(UsageError, match="--depth must be at least 1"):
        neighbours(G, "小李村", depth=0)


# --------------------------------------------------------------------------- command line

def test_cli_analyze_json_equals_the_library(built, capsys):
    code, out, _ = run(capsys, "analyze", "--format", "json", "--top", "5", out=built[1])
    assert code == 0
    G = projection(Project(REPO), built[1], report="anze-2023")
    assert json.loads(out) == analyze(G, top=5).to_dict()


def test_cli_analyze_markdown(built, capsys):
    code, out, _ = run(capsys, "analyze", "--top", "3", out=built[1])
    assert code == 0
    assert "| 1 | 安泽县 (Anze County) | County |" in out
    assert "Louvain, modularity" in out and "articulation points" in out and "Betweenness (exact)" in out


def test_cli_path_and_exit_codes(built, capsys):
    assert run(capsys, "path", "蔺鑫", "安泽县", out=built[1])[:2] == (0, "蔺鑫 —位于→ 安泽县\n")
    code, _, err = run(capsys, "path", "小李庄", "安泽县", out=built[1])
    assert code == 2 and "anze-kg path: no entity named '小李庄'" in err and "小李村" in err
    code, _, err = run(capsys, "path", "太岳山上", "安泽县", out=built[1])
    assert code == 1 and "no path between 太岳山上 and 安泽县" in err


def test_cli_neighbors(built, capsys):
    code, out, _ = run(capsys, "neighbors", "小李村", out=built[1])
    assert code == 0 and out.startswith("小李村 (Village)\n")
    assert "  ←位于— 太岳行署旧址 (HistoricSite)" in out.splitlines()
    code, _, err = run(capsys, "neighbors", "Xiaoli Villag", "--depth", "0", out=built[1])
    assert code == 2 and "--depth must be at least 1" in err


def test_console_script_runs_path(built):
    script = shutil.which("anze-kg", path=str(Path(sys.executable).parent))
    assert script, "the console script anze-kg is not installed next to this Python"
    done = subprocess.run([script, "--project", str(REPO), "path", "小李村", "太岳行署旧址", "--out", str(built[1]),
                           "--report", "anze-2023"],
                          capture_output=True, timeout=120)
    assert done.returncode == 0 and done.stdout.decode("utf-8") == "小李村 ←位于— 太岳行署旧址\n"


# --------------------------------------------------------------------------- network formats

def test_graphml_reads_back_with_labels(G, result):
    H = nx.read_graphml(io.BytesIO(graph_bytes(G, "graphml", result.membership)))
    anze = H.nodes[ANZE]
    assert (anze["label_zh"], anze["label_en"], anze["class"]) == ("安泽县", "Anze County", "County")
    assert anze["community"] == result.membership[ANZE] and isinstance(anze["community"], int)
    assert H.nodes[LINXIN_PROJECT]["quotes"] == "蔺鑫170万吨焦化项目投产达效"
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == G.number_of_edges()
    relations = {d["relation"] for _, _, d in H.edges(data=True)}
    assert "locatedIn" in relations and all(isinstance(v, (str, int, float)) for _, d in H.nodes(data=True) for v in d.values())


def test_gexf_reads_back_with_labels(G):
    H = nx.read_gexf(io.BytesIO(graph_bytes(G, "gexf")))
    assert H.nodes[XIAOLI]["label"] == "小李村" and H.nodes[XIAOLI]["label_en"] == "Xiaoli Village"
    assert H.number_of_edges() == G.number_of_edges()


def test_cytoscape_json_layout(G):
    doc = json.loads(graph_bytes(G, "cytoscape"))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    ids = {n["data"]["id"] for n in nodes}
    assert len(nodes) == G.number_of_nodes() and ANZE in ids
    assert all({"id", "source", "target"} <= set(e["data"]) for e in edges)
    assert len({e["data"]["id"] for e in edges}) == len(edges) == G.number_of_edges()
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in edges)
    assert next(n for n in nodes if n["data"]["id"] == ANZE)["data"]["name"] == "安泽县"


def test_unknown_network_format(G):
    with pytest.raises(UsageError, match="unknown network format 'dot'"):
        graph_bytes(G, "dot")


def test_cli_export_graphml_and_unwritable_target(built, tmp_path, capsys):
    target = tmp_path / "anze.graphml"
    assert run(capsys, "export", "--format", "graphml", "-o", str(target), out=built[1], report=None)[0] == 0
    assert nx.read_graphml(target).nodes[ANZE]["label_zh"] == "安泽县"
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep", encoding="utf-8")
    code, _, err = run(capsys, "export", "--format", "gexf", "-o", str(blocker / "x.gexf"), out=built[1], report=None)
    assert code == 2 and "cannot write" in err and "nothing was changed" in err
    assert blocker.read_text(encoding="utf-8") == "keep" and sorted(p.name for p in tmp_path.iterdir()) == ["anze.graphml", "not-a-folder"]


def test_relation_with_its_own_quote_carries_it(G):
    # 永鑫焦化成为省级碳基新材料链主企业: a relation stated in another clause than its subject's quote
    edge = G.edges[ID + "enterprise/yongxin-coking", ID + "designation/shanxi-carbon-materials-chain-leader", "hasDesignation"]
    assert [q["exact"] for q in edge["quotes"]] == ["永鑫焦化成为省级碳基新材料链主企业"]


def test_cli_analyze_bad_options(built, capsys):
    code, _, err = run(capsys, "analyze", "--sample", "0", out=built[1])
    assert code == 2 and "the betweenness sample must be at least 1 source, not 0" in err
    code, _, err = run(capsys, "analyze", "--report", "anze-2099", out=built[1], report=None)
    assert code == 2 and "no report 'anze-2099' in the graph" in err and "reports: anze-2023" in err
    code, _, err = run(capsys, "analyze", "--top", "0", out=built[1])
    assert code == 2 and "--top must be at least 1" in err


def test_a_path_from_an_entity_to_itself_has_no_steps(built, capsys):
    assert main(["--project", str(REPO), "path", "安泽县", "安泽县", "--out", str(built[1])]) == 0
    assert capsys.readouterr().out.strip() == "安泽县 (the same entity: a path of 0 steps)"
    assert main(["--project", str(REPO), "path", "安泽县", "安泽县", "--json", "--out", str(built[1])]) == 0
    assert json.loads(capsys.readouterr().out)["length"] == 0


def test_an_entity_reached_only_through_figures_is_pointed_at_with_observations(built, capsys):
    base = ["--project", str(REPO), "path", "小李村", "子洲县", "--out", str(built[1])]
    assert main(base) == 2
    assert "--with-observations" in capsys.readouterr().err
    assert main([*base, "--with-observations"]) == 0
    assert capsys.readouterr().out.splitlines()[0].endswith("—地区→ 子洲县")


def test_a_figures_ranks_are_attributes_not_nodes(quads, G):
    """在工业类开发区中排名全省第2、全市第1: the development zone's figure carries both ranks; no akg:Rank is a node."""
    H = project_quads(quads, report="anze-2023", include_observations=True)
    dz = H.nodes[ID + "observation/anze-2023/anze-dz-output-intensity-2023"]
    assert dz["rank"] == "2 (全省); 1 (全市)"
    assert H.nodes[ID + "observation/anze-2023/gdp-growth-rank-2022"]["rank"] == "位居前列 (省); 位居前列 (市)"
    assert not [n for n in (*G, *H) if "/rank/" in n or "/ratio-term/" in n]
