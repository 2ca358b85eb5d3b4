"""The clause catalog (catalog.toml): every clause of GB/T 27922 chapter 5, how it is
evidenced, which providers and document kinds feed it, and the default rubric."""

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CATALOG_FILE = Path(__file__).resolve().parent / "catalog.toml"
EVIDENCE_KINDS = ("metric", "document", "sample", "attestation")
GROUPS = ("5.1", "5.2", "5.3")


@dataclass(frozen=True)
class Named:
    zh: str
    en: str

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.zh


@dataclass(frozen=True)
class ProviderSpec:
    key: str
    name: Named
    target: float
    unit: str  # share, seconds, score, count
    better: str  # higher, lower
    limit_hours: float | None = None  # the time limit counted within, when it has one
    weights: dict[str, float] | None = None  # a weighted mean's parts and default weights
    part_names: dict[str, Named] | None = None


@dataclass(frozen=True)
class Clause:
    number: str
    zh: str
    en: str
    points: float
    evidence: str
    providers: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    attestation: bool = False

    @property
    def group(self) -> str:
        return self.number[:3]

    @property
    def section(self) -> str:
        return self.number.rsplit(".", 1)[0]

    def text(self, locale: str) -> str:
        return self.en if locale == "en" else self.zh


@dataclass(frozen=True)
class Catalog:
    clauses: tuple[Clause, ...]
    groups: dict[str, Named]
    sections: dict[str, Named]
    documents: dict[str, Named]
    providers: dict[str, ProviderSpec]
    settings: dict = field(default_factory=dict)
    # The document kinds customers must be shown (public = true): published on the portal.
    public_documents: frozenset[str] = frozenset()

    def clause(self, number: str) -> Clause | None:
        return self._by_number().get(number)

    @functools.cache  # noqa: B019 - the catalog is one immutable object per process
    def _by_number(self) -> dict[str, Clause]:
        return {clause.number: clause for clause in self.clauses}

    def __hash__(self) -> int:
        return id(self)


def _named(table: dict) -> dict[str, Named]:
    return {key: Named(value["zh"], value["en"]) for key, value in table.items()}


def _parts(parts: dict | None) -> tuple[dict | None, dict | None]:
    if not parts:
        return None, None
    return ({name: float(part["weight"]) for name, part in parts.items()},
            {name: Named(part["zh"], part["en"]) for name, part in parts.items()})


def parse(data: dict) -> Catalog:
    clauses = tuple(
        Clause(
            number=entry["number"], zh=entry["zh"], en=entry["en"],
            points=float(entry["points"]), evidence=entry["evidence"],
            providers=tuple(entry.get("providers", ())),
            documents=tuple(entry.get("documents", ())),
            attestation=bool(entry.get("attestation", False)),
        )
        for entry in data["clauses"]
    )
    weights = data.get("weights", {})
    providers = {
        key: ProviderSpec(key, Named(v["zh"], v["en"]), float(v["target"]), v["unit"], v["better"],
                          float(v["limit_hours"]) if "limit_hours" in v else None,
                          *_parts(weights.get(key)))
        for key, v in data["providers"].items()
    }
    catalog = Catalog(
        clauses=clauses, groups=_named(data["groups"]), sections=_named(data["sections"]),
        documents=_named(data["documents"]), providers=providers,
        settings=dict(data.get("settings", {})),
        public_documents=frozenset(
            kind for kind, value in data["documents"].items() if value.get("public", False)),
    )
    _check(catalog)
    return catalog


def _check(catalog: Catalog) -> None:
    """A broken catalog fails at start-up, not on the dashboard."""
    numbers = [clause.number for clause in catalog.clauses]
    if len(numbers) != len(set(numbers)):
        raise ValueError("catalog: a clause number appears twice")
    for clause in catalog.clauses:
        if clause.evidence not in EVIDENCE_KINDS:
            raise ValueError(f"catalog: {clause.number} has unknown evidence {clause.evidence}")
        if clause.group not in catalog.groups:
            raise ValueError(f"catalog: {clause.number} is in no known group")
        unknown = set(clause.providers) - set(catalog.providers)
        unknown |= set(clause.documents) - set(catalog.documents)
        if unknown:
            raise ValueError(f"catalog: {clause.number} names unknown {sorted(unknown)}")
        if not (clause.providers or clause.documents or clause.attestation):
            raise ValueError(f"catalog: {clause.number} has no source of evidence")
    for spec in catalog.providers.values():
        if spec.weights is not None and sum(spec.weights.values()) <= 0:
            raise ValueError(f"catalog: {spec.key}'s weights add up to nothing")


@functools.cache
def load() -> Catalog:
    with CATALOG_FILE.open("rb") as handle:
        return parse(tomllib.load(handle))
