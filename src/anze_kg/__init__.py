"""anze-kg: Chinese county economic reports as a traceable, bilingual RDF knowledge graph."""

__version__ = "0.1.0"
