"""The catalog is the seed's clause list: every clause number there, with its text."""

import re
from collections import Counter
from pathlib import Path

from aftersales.evidence.compliance import catalog, registry

# A copy of ../shared/reference/seeds/002_a0dca862a5b8719c.txt, the authoritative list.
SEED = Path(__file__).resolve().parent / "seed_002_a0dca862a5b8719c.txt"
CLAUSE = re.compile(r'^"?(5\.[123]\.\d\.\d+)\s', re.MULTILINE)


def _seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def test_every_clause_number_of_the_seed_is_in_the_catalog():
    numbers = set(CLAUSE.findall(_seed_text()))
    assert len(numbers) == 50
    missing = numbers - {clause.number for clause in catalog.load().clauses}
    assert not missing, f"clauses of seed 002 missing from catalog.toml: {sorted(missing)}"


def test_the_chinese_text_is_the_seed_text():
    seed = re.sub(r'[\s"]', "", _seed_text())
    for clause in catalog.load().clauses:
        assert re.sub(r"\s", "", clause.zh) in seed, clause.number


def test_default_points_sum_to_100_split_40_35_25():
    points = Counter()
    for clause in catalog.load().clauses:
        points[clause.group] += clause.points
    assert dict(points) == {"5.1": 40, "5.2": 35, "5.3": 25}


def test_every_clause_has_an_english_summary_and_a_known_kind_of_evidence():
    for clause in catalog.load().clauses:
        assert clause.en and clause.evidence in catalog.EVIDENCE_KINDS, clause.number


def test_every_registered_provider_is_named_in_the_catalog():
    assert set(registry.registered()) <= set(catalog.load().providers)


def test_every_provider_named_in_the_catalog_is_registered():
    """Each domain registers its providers in its evidence.py: no clause is left without
    the data it names."""
    assert set(catalog.load().providers) <= set(registry.registered())


def test_a_catalog_naming_an_unknown_provider_is_refused():
    data = {
        "groups": {"5.1": {"zh": "体系", "en": "System"}}, "sections": {}, "documents": {},
        "providers": {},
        "clauses": [{"number": "5.1.1.1", "zh": "甲", "en": "A", "points": 1,
                     "evidence": "metric", "providers": ["nobody.nothing"]}],
    }
    try:
        catalog.parse(data)
    except ValueError as problem:
        assert "nobody.nothing" in str(problem)
    else:
        raise AssertionError("an unknown provider was accepted")
