"""`anze-kg validate` on hostile input: nothing is fetched or opened that the
input names, entity declarations are refused before they expand, shapes are
SHACL Core only, and a malformed shapes file is one message with file:line.
Each is exit 2 (could not run) naming the file; a loopback canary server
counts the connections the command made (none)."""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest
from conftest import REPO

from anze_kg.cli import main
from anze_kg.errors import InputError
from anze_kg.graph.shacl import load_shapes

DATA = '{"@context": %s, "@id": "http://example.org/a", "name": "x"}'
INLINE = '{"name": "http://schema.org/name"}'


class Canary:
    """An HTTP server on 127.0.0.1 (random port) that counts connections."""

    def __init__(self) -> None:
        canary = self
        self.connections = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                body = json.dumps({"@context": {"name": "http://schema.org/name"}}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/ld+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_POST = do_GET  # noqa: N815

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def verify_request(self, request, client_address):
                canary.connections += 1
                return True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def canary():
    server = Canary()
    yield server
    server.close()


def validate(*args: str, engine: str = "pyshacl") -> int:
    """``anze-kg validate ARGS`` (with --shacl-engine when not the default, pyshacl)."""
    options = ["--shacl-engine", engine] if engine != "pyshacl" else []
    return main(["--project", str(REPO), "validate", *options, *args])


def test_the_canary_counts(canary):
    """The count can fail: a fetch of the canary's URL is one connection."""
    import urllib.request

    urllib.request.urlopen(canary.url + "/ctx.jsonld", timeout=5).read()
    assert canary.connections == 1


# ---------------------------------------------------------------- JSON-LD contexts


def _jsonld_cases(canary_url: str, folder: Path) -> dict[str, str]:
    (folder / "ctx.jsonld").write_text(json.dumps({"@context": json.loads(INLINE)}), encoding="utf-8")
    return {
        "remote": DATA % json.dumps(f"{canary_url}/ctx.jsonld"),
        "remote-in-a-list": DATA % json.dumps([json.loads(INLINE), f"{canary_url}/ctx.jsonld"]),
        "import": DATA % json.dumps({"@version": 1.1, "@import": f"{canary_url}/ctx.jsonld"}),
        "nested-node": json.dumps({"@id": "http://example.org/a", "http://example.org/p": {
            "@context": f"{canary_url}/ctx.jsonld", "name": "y"}}),
        "scoped-term": DATA % json.dumps({"@version": 1.1, "name": {
            "@id": "http://schema.org/name", "@context": f"{canary_url}/ctx.jsonld"}}),
        "relative": DATA % json.dumps("ctx.jsonld"),
        "file-url": DATA % json.dumps((folder / "ctx.jsonld").as_uri()),
    }


@pytest.mark.parametrize("case", ["remote", "remote-in-a-list", "import", "nested-node", "scoped-term",
                                  "relative", "file-url"])
def test_jsonld_contexts_are_never_loaded(case, canary, tmp_path, capsys):
    path = tmp_path / f"{case}.jsonld"
    path.write_text(_jsonld_cases(canary.url, tmp_path)[case], encoding="utf-8")
    assert validate(str(path)) == 2
    err = capsys.readouterr().err
    assert f"{case}.jsonld" in err and "context" in err
    assert canary.connections == 0


def test_jsonld_with_an_inline_context_still_validates(tmp_path, capsys):
    path = tmp_path / "inline.jsonld"
    path.write_text(DATA % INLINE, encoding="utf-8")
    assert validate(str(path)) == 0


def test_malformed_json_names_the_line(tmp_path, capsys):
    path = tmp_path / "bad.jsonld"
    path.write_text('{\n  "@id": "http://example.org/a",\n  oops\n}\n', encoding="utf-8")
    assert validate(str(path)) == 2
    assert "bad.jsonld:3:" in capsys.readouterr().err


# ---------------------------------------------------------------- RDF/XML entities

RDF_XML = """<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/a"><ex:p>{value}</ex:p></rdf:Description>
</rdf:RDF>
"""


def billion_laughs() -> str:
    entities = "".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    return f'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">{entities}]>\n' + RDF_XML.format(value="&lol9;")


def test_billion_laughs_is_refused_quickly(tmp_path):
    """Today's rdflib + expat spend minutes on this file; it must be refused in under 2 s
    (timed inside a child process, which is stopped after 60 s)."""
    path = tmp_path / "lol.rdf"
    path.write_text(billion_laughs(), encoding="utf-8")
    script = textwrap.dedent(f"""
        import sys, time
        from anze_kg.cli import main
        start = time.perf_counter()
        code = main(["--project", {str(REPO)!r}, "validate", {str(path)!r}])
        print(code, time.perf_counter() - start)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    code, seconds = done.stdout.split()
    assert int(code) == 2, done.stderr
    assert float(seconds) < 2.0
    assert "lol.rdf:2" in done.stderr and "DOCTYPE" in done.stderr


@pytest.mark.parametrize("case", ["system-file", "system-http", "external-dtd", "parameter-entity", "internal"])
def test_rdfxml_entity_declarations_are_refused(case, canary, tmp_path, capsys):
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    doctype = {
        "system-file": f'<!DOCTYPE r [<!ENTITY x SYSTEM "{(tmp_path / "secret.txt").as_uri()}">]>',
        "system-http": f'<!DOCTYPE r [<!ENTITY x SYSTEM "{canary.url}/x">]>',
        "external-dtd": f'<!DOCTYPE r SYSTEM "{canary.url}/r.dtd">',
        "parameter-entity": f'<!DOCTYPE r [<!ENTITY % pe SYSTEM "{canary.url}/pe.dtd"> %pe;]>',
        "internal": '<!DOCTYPE r [<!ENTITY x "x">]>',
    }[case]
    value = "plain" if case == "external-dtd" else "&x;" if case != "parameter-entity" else "plain"
    path = tmp_path / f"{case}.rdf"
    path.write_text(f'<?xml version="1.0"?>\n{doctype}\n' + RDF_XML.format(value=value), encoding="utf-8")
    assert validate(str(path)) == 2
    err = capsys.readouterr().err
    assert f"{case}.rdf:2" in err and "DOCTYPE" in err
    assert canary.connections == 0


def test_plain_rdfxml_still_validates(tmp_path, capsys):
    path = tmp_path / "plain.rdf"
    path.write_text('<?xml version="1.0"?>\n' + RDF_XML.format(value="x"), encoding="utf-8")
    assert validate(str(path)) == 0


# ---------------------------------------------------------------- shapes

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix akg: <https://w3id.org/anze-kg/ontology#> .
"""


def _shapes(tmp_path: Path, name: str, body: str) -> Path:
    path = tmp_path / name
    path.write_text(PREFIXES + textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def data(built) -> str:
    return str(built[1] / "anze.nt")


@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_sparql_constraints_with_service_are_refused(engine, canary, tmp_path, data, capsys):
    path = _shapes(tmp_path, "sparql.ttl", f"""
        akg:S a sh:NodeShape ; sh:targetClass akg:Village ;
            sh:sparql [ a sh:SPARQLConstraint ; sh:message "x" ;
                sh:select "SELECT $this WHERE {{ SERVICE <{canary.url}/sparql> {{ $this ?p ?o }} }}" ] .
    """)
    assert validate("--shapes", str(path), data, engine=engine) == 2
    err = capsys.readouterr().err
    assert "sparql.ttl:4:" in err and "sh:sparql" in err and "SHACL Core" in err
    assert canary.connections == 0


@pytest.mark.parametrize("case,body,line,term", [
    ("sparql-no-service", """
        akg:S a sh:NodeShape ; sh:targetClass akg:Village ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
    """, 4, "sh:sparql"),
    ("sparql-target", """
        akg:S a sh:NodeShape ;
            sh:target [ a sh:SPARQLTarget ; sh:select "SELECT ?this WHERE { ?this ?p ?o }" ] ;
            sh:property [ sh:path akg:name ; sh:minCount 1 ] .
    """, 4, "sh:target"),
    ("custom-component", """
        akg:C a sh:ConstraintComponent ;
            sh:parameter [ sh:path akg:flag ] ;
            sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { FILTER (false) }" ] .
    """, 3, "sh:ConstraintComponent"),
    ("rule", """
        akg:S a sh:NodeShape ; sh:targetClass akg:Village ;
            sh:rule [ a sh:TripleRule ; sh:subject sh:this ; sh:predicate akg:p ; sh:object akg:o ] .
    """, 4, "sh:rule"),
])
def test_shapes_beyond_shacl_core_are_refused(case, body, line, term, tmp_path, data, capsys):
    path = _shapes(tmp_path, f"{case}.ttl", body)
    assert validate("--shapes", str(path), data) == 2
    err = capsys.readouterr().err
    assert f"{case}.ttl:{line}:" in err and term in err and "SHACL Core" in err


@pytest.mark.parametrize("case,body,line", [
    ("syntax", """
        akg:S a sh:NodeShape ; sh:targetClass akg:Village .
        akg:T a sh:NodeShape ; sh:targetClass .
    """, 4),
    ("min-count", """
        akg:S a sh:NodeShape ; sh:targetClass akg:Village ;
            sh:property [ sh:path akg:name ; sh:minCount 1 ] ,
                [ sh:path akg:locatedIn ; sh:minCount "one" ] .
    """, 5),
    ("in-not-a-list", """
        akg:S a sh:NodeShape ; sh:targetClass akg:Village ;
            sh:property [ sh:path akg:status ;
                sh:in "planned" ] .
    """, 5),
    ("literal-path", """
        akg:S a sh:NodeShape ; sh:targetClass akg:Village ;
            sh:property [ sh:path "locatedIn" ; sh:minCount 1 ] .
    """, 4),
])
@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_malformed_shapes_name_the_line(case, body, line, engine, tmp_path, data, capsys):
    path = _shapes(tmp_path, f"{case}.ttl", body)
    assert validate("--shapes", str(path), data, engine=engine) == 2
    err = capsys.readouterr().err
    assert f"{case}.ttl:{line}:" in err
    assert "Traceback" not in err


def test_shapes_that_are_not_utf8_name_the_line(tmp_path, data, capsys):
    path = tmp_path / "latin1.ttl"
    path.write_bytes(PREFIXES.encode() + 'akg:S a sh:NodeShape ; sh:name "caf\xe9" .\n'.encode("latin-1"))
    assert validate("--shapes", str(path), data) == 2
    assert "latin1.ttl:3:" in capsys.readouterr().err


def test_a_file_without_shapes_is_refused(tmp_path, data, capsys):
    """The data named as the shapes (arguments swapped) would conform to nothing checked."""
    path = tmp_path / "data.ttl"
    path.write_text('<http://example.org/a> <http://example.org/p> "x" .\n', encoding="utf-8")
    assert validate("--shapes", str(path), data) == 2
    assert "data.ttl: the file declares no shapes" in capsys.readouterr().err


def test_load_shapes_raises_an_input_error_with_the_location(tmp_path):
    path = _shapes(tmp_path, "sparql.ttl", """
        akg:S a sh:NodeShape ; sh:targetClass akg:Village ;
            sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o }" ] .
    """)
    with pytest.raises(InputError) as caught:
        load_shapes(path)
    assert caught.value.location.line == 4 and caught.value.exit_code == 2


def test_the_project_shapes_load(tmp_path):
    assert len(load_shapes(REPO / "ontology" / "shapes.ttl")) > 500
