"""全县, 全市, 全省 name the area of the report at hand, not one area: in
Anze's report 全县 is Anze and 全市 Linfen; in Zizhou's bulletin 全县 is
Zizhou and 全省 Shaanxi.  So the shared vocabulary never gives them as names
of an area, and they resolve per report."""

from __future__ import annotations

import pytest
from conftest import REPO
from rdflib import Graph, Literal
from rdflib.namespace import SKOS

from anze_kg.build.current import current_quads
from anze_kg.cli import main
from anze_kg.errors import NotFoundError, UsageError
from anze_kg.inputs.project import Project
from anze_kg.network.metrics import resolve
from anze_kg.network.projection import project_quads

ID = "https://w3id.org/anze-kg/id/"
GENERIC = ("全国", "全省", "省", "全市", "市", "全县", "县", "全区", "区")


@pytest.fixture(scope="module")
def quads(built):
    return current_quads(Project(REPO), built[1])


def test_no_area_has_a_generic_word_as_its_name(built):
    g = Graph().parse(built[1] / "anze.nt", format="nt")
    named = {str(o) for o in g.objects(None, SKOS.altLabel)}
    assert "安泽" in named and "子洲" in named  # the real short names stay
    assert not named & set(GENERIC), named & set(GENERIC)
    assert not list(g.subjects(SKOS.altLabel, Literal("全县", lang="zh")))


def test_the_shared_vocabulary_refuses_a_generic_name(project_copy, tmp_path, capsys):
    places = project_copy.vocab_dir / "places.yaml"
    text = places.read_text(encoding="utf-8")
    assert "altZh: [安泽, 荀乡]" in text
    places.write_text(text.replace("altZh: [安泽, 荀乡]", "altZh: [安泽, 全县, 荀乡]"), encoding="utf-8")
    line = text[:text.index("altZh: [安泽, 荀乡]")].count("\n") + 1
    assert main(["--project", str(project_copy.root), "build", "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert f"places.yaml:{line}" in err and "全县 is not a name of anze" in err and "resolved per report" in err
    assert not (tmp_path / "out" / "anze.ttl").exists()


@pytest.mark.parametrize("report,word,area", [
    ("anze-2023", "全县", "county/anze"), ("anze-2023", "本县", "county/anze"),
    ("anze-2023", "全市", "city/linfen"), ("anze-2023", "全省", "province/shanxi"),
    ("zizhou-2023", "全县", "county/zizhou"), ("zizhou-2023", "全市", None), ("zizhou-2023", "全省", None),
])
def test_area_words_resolve_to_the_reports_own_areas(quads, report, word, area):
    G = project_quads(quads, report=report, include_observations=True)
    if area is not None:
        assert resolve(G, word) == ID + area
    else:  # Yulin and Shaanxi are above Zizhou in the vocabulary, but nothing of the bulletin links to them
        with pytest.raises(NotFoundError, match="榆林市|陕西省") as caught:
            resolve(G, word)
        assert "no fact of the report links to it" in caught.value.hint


def test_an_area_word_over_several_reports_asks_which(quads):
    G = project_quads(quads)
    with pytest.raises(UsageError, match=r"holds \d+ reports \(anze-2023, .*zizhou-2023\)") as caught:
        resolve(G, "全县")
    assert "--report" in caught.value.hint


def test_path_from_an_area_word_on_the_command_line(built, capsys):
    code = main(["--project", str(REPO), "path", "全市", "小李村", "--report", "anze-2023", "--out", str(built[1])])
    assert code == 0
    assert capsys.readouterr().out.strip() == "临汾市 ←位于— 安泽县 ←位于— 小李村"
