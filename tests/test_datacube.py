"""The statistics of the Peru dataset pass the integrity constraints of the W3C RDF Data
Cube Vocabulary (https://www.w3.org/TR/vocab-data-cube/#wf-rules), IC-1 to IC-21.

Each constraint is a SPARQL ASK query that is true when the data *violate* it, run with
Oxigraph over the built dump plus the published ontology (which holds the data structure
definitions and code lists). The data use the abbreviated form of component specifications
(qb:dimension, qb:measure, qb:attribute), so the queries read qb:componentProperty through
those sub-properties instead of requiring the spec's normalisation step. Constraints about
slices (IC-7 to IC-10 are implemented anyway), measure-type dimensions and hierarchical code
lists hold trivially: the dataset uses none of them, which is checked. Mutation tests show
that the queries do catch violations.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from peru_store import ask, load_store

PREFIXES = """
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
# a component specification's property, whichever of the abbreviated forms it uses
COMPONENT = "(qb:componentProperty|qb:dimension|qb:measure|qb:attribute)"

IC = {
    "IC-1 unique data set": """
        ASK { { ?obs a qb:Observation FILTER NOT EXISTS { ?obs qb:dataSet ?ds } }
              UNION { ?obs a qb:Observation ; qb:dataSet ?a, ?b FILTER(?a != ?b) } }""",
    "IC-2 unique data structure definition": """
        ASK { { ?ds a qb:DataSet FILTER NOT EXISTS { ?ds qb:structure ?dsd . ?dsd a qb:DataStructureDefinition } }
              UNION { ?ds a qb:DataSet ; qb:structure ?a, ?b FILTER(?a != ?b) } }""",
    "IC-3 the structure includes a measure": f"""
        ASK {{ ?dsd a qb:DataStructureDefinition
              FILTER NOT EXISTS {{ ?dsd qb:component/{COMPONENT} ?p . ?p a qb:MeasureProperty }} }}""",
    "IC-4 dimensions have a range": """
        ASK { ?dim a qb:DimensionProperty FILTER NOT EXISTS { ?dim rdfs:range [] } }""",
    "IC-5 concept dimensions have code lists": """
        ASK { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept FILTER NOT EXISTS { ?dim qb:codeList [] } }""",
    "IC-6 only attributes may be optional": f"""
        ASK {{ ?dsd qb:component ?spec . ?spec qb:componentRequired "false"^^xsd:boolean ; {COMPONENT} ?p
              FILTER NOT EXISTS {{ ?p a qb:AttributeProperty }} }}""",
    "IC-7 slice keys are declared": """
        ASK { ?key a qb:SliceKey FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?key } }""",
    "IC-8 slice keys are consistent with their structure": f"""
        ASK {{ ?key a qb:SliceKey ; qb:componentProperty ?p . ?dsd qb:sliceKey ?key
              FILTER NOT EXISTS {{ ?dsd qb:component/{COMPONENT} ?p }} }}""",
    "IC-9 unique slice structure": """
        ASK { { ?slice a qb:Slice FILTER NOT EXISTS { ?slice qb:sliceStructure ?key } }
              UNION { ?slice a qb:Slice ; qb:sliceStructure ?a, ?b FILTER(?a != ?b) } }""",
    "IC-10 slice dimensions are complete": """
        ASK { ?slice qb:sliceStructure/qb:componentProperty ?dim FILTER NOT EXISTS { ?slice ?dim [] } }""",
    "IC-11 all dimensions are required": f"""
        ASK {{ ?obs qb:dataSet/qb:structure/qb:component/{COMPONENT} ?dim . ?dim a qb:DimensionProperty
              FILTER NOT EXISTS {{ ?obs ?dim [] }} }}""",
    "IC-12 no duplicate observations": f"""
        ASK {{ ?a qb:dataSet ?ds . ?b qb:dataSet ?ds FILTER(?a != ?b)
              FILTER NOT EXISTS {{ ?ds qb:structure/qb:component/{COMPONENT} ?dim . ?dim a qb:DimensionProperty .
                                  ?a ?dim ?va . ?b ?dim ?vb FILTER(?va != ?vb) }} }}""",
    "IC-13 required attributes are present": f"""
        ASK {{ ?obs qb:dataSet/qb:structure/qb:component ?spec .
              ?spec qb:componentRequired "true"^^xsd:boolean ; {COMPONENT} ?attr . ?attr a qb:AttributeProperty
              FILTER NOT EXISTS {{ ?obs ?attr [] }} }}""",
    "IC-14 all measures are present": f"""
        ASK {{ ?obs qb:dataSet/qb:structure ?dsd FILTER NOT EXISTS {{ ?dsd qb:component/{COMPONENT} qb:measureType }}
              ?dsd qb:component/{COMPONENT} ?m . ?m a qb:MeasureProperty FILTER NOT EXISTS {{ ?obs ?m [] }} }}""",
    "IC-19 codes come from the code list": f"""
        ASK {{ ?obs qb:dataSet/qb:structure/qb:component/{COMPONENT} ?dim .
              ?dim a qb:DimensionProperty ; qb:codeList ?list . ?obs ?dim ?v
              FILTER NOT EXISTS {{ ?v skos:inScheme ?list }}
              FILTER NOT EXISTS {{ ?list skos:member+ ?v }} }}""",
}


# IC-15 to IC-18 are about measure-type dimensions and slices, IC-20 and IC-21 about
# hierarchical code lists: they hold trivially when the data use none of them, which is checked.
NOT_USED = {
    "IC-15..17: no measure-type dimension": f"ASK {{ ?dsd qb:component/{COMPONENT} qb:measureType }}",
    "IC-7..10, IC-18: no slices": "ASK { { ?s a qb:Slice } UNION { ?k a qb:SliceKey } UNION { ?d qb:slice ?s } }",
    "IC-20..21: no hierarchical code lists": """
        ASK { { ?l a qb:HierarchicalCodeList } UNION { ?d qb:codeList ?l . ?l qb:parentChildProperty ?p } }""",
}


@pytest.fixture(scope="module")
def store(peru_dist: Path) -> ox.Store:
    return load_store(peru_dist)


def violated(store: ox.Store, name: str) -> bool:
    return ask(store, PREFIXES + IC[name])


def test_the_cube_is_there(store: ox.Store) -> None:
    assert ask(store, PREFIXES + "ASK { ?o a qb:Observation ; qb:dataSet/qb:structure ?dsd . ?dsd qb:component ?c }")


@pytest.mark.parametrize("name", sorted(IC, key=lambda n: int(n.split()[0][3:])))
def test_integrity_constraint_holds(store: ox.Store, name: str) -> None:
    assert not violated(store, name), name


@pytest.mark.parametrize("name", sorted(NOT_USED))
def test_constraints_about_unused_features_hold_trivially(store: ox.Store, name: str) -> None:
    assert not ask(store, PREFIXES + NOT_USED[name]), name


OBS = "https://w3id.org/sse-ld/peru/observation/"
SSE = "https://w3id.org/sse-ld/ontology#"
QB = "http://purl.org/linked-data/cube#"


def _mutated(peru_dist: Path, remove: list[tuple[str, str]], add: list[ox.Quad]) -> ox.Store:
    s = load_store(peru_dist)
    for subject, predicate in remove:
        quads = list(s.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None))
        assert quads, (subject, predicate)
        for q in quads:
            s.remove(q)
    for q in add:
        s.add(q)
    return s


@pytest.mark.parametrize(
    "name, remove, add",
    [
        ("IC-1 unique data set", [(OBS + "F02", QB + "dataSet")], []),
        ("IC-11 all dimensions are required", [(OBS + "F02", SSE + "period")], []),
        ("IC-13 required attributes are present", [(OBS + "F19.3", SSE + "unit")], []),
        ("IC-14 all measures are present", [(OBS + "F04", SSE + "value")], []),
        (  # F03 read as the self-managed kind would duplicate F02's dimensions
            "IC-12 no duplicate observations",
            [(OBS + "F03", SSE + "organisationType")],
            [
                ox.Quad(
                    ox.NamedNode(OBS + "F03"),
                    ox.NamedNode(SSE + "organisationType"),
                    ox.NamedNode("https://w3id.org/sse-ld/code/organisation-type/comedor-popular-autogestionario"),
                )
            ],
        ),
        (
            "IC-19 codes come from the code list",
            [(OBS + "F05", SSE + "metric")],
            [ox.Quad(ox.NamedNode(OBS + "F05"), ox.NamedNode(SSE + "metric"), ox.NamedNode(SSE + "notAMetric"))],
        ),
    ],
)
def test_the_constraint_catches_a_violation(
    peru_dist: Path, name: str, remove: list[tuple[str, str]], add: list[ox.Quad]
) -> None:
    assert violated(_mutated(peru_dist, remove, add), name)
