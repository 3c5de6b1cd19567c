"""The words a monitoring return may use, and how each is recognised.

Every name, slug, alias and ONS code is matched after ``normalise``: lower case with everything
but letters and digits removed, so "Carers FIRST", "carers-first" and "Carers First" are the same
provider. A misspelling gets the closest valid name as a suggestion.

- provider: the reference name, slug or any ``;``-separated alias.
- district: ONS code, name or slug of one of the 12 KCC districts; a former name (Shepway) is
  accepted and reported as mapped to the current district.
- care group: slug or name. A blank cell, "all" or "all care groups" means all care groups
  (stored as None, like the rest of the dashboard's data).
- measure: slug or name of a measure in ``RETURN_MEASURES`` (the monitoring core minimum data
  set). Other catalogue measures (targets, census, population, deprivation, costs) are
  recognised so the refusal can say why they are not accepted. Each carries the plausibility
  rules the catalogue declares for it (``MeasureSpec``).

The districts each provider may return for come from its contracts: a contract for a locality
covers every district with a share in that locality, a contract with no locality covers Kent.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from dashboard.db.repository import Reference

# The monitoring core minimum data set, in the order the template lists it. The information and
# advice channels are separate measures because the evaluation asked for a unit cost per channel.
RETURN_MEASURES = (
    "carers-supported",
    "new-carers-identified",
    "seldom-heard-carers",
    "referrals",
    "carers-assessments",
    "reviews",
    "health-checks",
    "information-advice",
    "information-advice-telephone",
    "information-advice-face-to-face",
    "information-advice-home-visit",
    "emotional-support",
    "one-off-payments",
    "support-plans",
    "emergency-cards",
    "young-carer-transition-plans",
    "short-break-hours",
    "unsocial-hours-share",
    "crisis-referrals",
    "dementia-share",
    "admissions-prevented",
    "failed-discharges-prevented",
)
RETURN_UNITS = ("count", "hours", "percent")
ALL_CARE_GROUPS_SPELLINGS = frozenset({"", "all", "allcaregroups"})
_SUGGESTION_CUTOFF = 0.75


def normalise(text: str) -> str:
    """Lower-case ``text`` and drop everything that is not a letter or digit."""
    return "".join(character for character in text.casefold() if character.isalnum())


@dataclass(frozen=True)
class Term:
    """One thing a return can name: ``key`` is what is stored (slug or ONS code)."""

    key: str
    name: str


@dataclass(frozen=True)
class Match:
    """A recognised term; ``mapped_from`` is the former name the text used, if it used one."""

    term: Term
    mapped_from: str | None = None


@dataclass(frozen=True)
class MeasureSpec:
    """What a return's value for a measure must look like, and its standard definition.

    The plausibility rules come from the catalogue (``data/reference/measures.csv``):
    ``min_value`` and ``max_value`` bound one row's value; ``at_most`` names a measure whose
    latest value for the district the row may not exceed (carers supported at most the district's
    Census carers); ``unusual_ratio`` makes a value more than that many times the provider's
    last return (or less than its reciprocal) ask for confirmation. None means no such rule.
    """

    slug: str
    name: str
    unit: str
    counts_people: bool
    definition: str
    method: str
    caveats: str
    min_value: float | None = None
    max_value: float | None = None
    at_most: str | None = None
    unusual_ratio: float | None = None


@dataclass
class Catalogue:
    """The terms of one kind (``noun``, e.g. "district"), found by any of their spellings."""

    noun: str
    terms: list[Term] = field(default_factory=list)
    _by_spelling: dict[str, Match] = field(default_factory=dict)
    _suggestible: list[str] = field(default_factory=list)
    _former_names: dict[str, list[str]] = field(default_factory=dict)

    def add(self, term: Term, spellings: Iterable[str], former_names: Iterable[str] = ()) -> None:
        """Register ``term`` under its spellings and former names (all normalised)."""
        self.terms.append(term)
        for spelling in spellings:
            self._register(spelling, Match(term))
        for former in former_names:
            self._register(former, Match(term, mapped_from=former))
            self._former_names.setdefault(term.key, []).append(former)

    def find(self, text: str) -> Match | None:
        """The term ``text`` names, or None."""
        return self._by_spelling.get(normalise(text))

    def suggest(self, text: str) -> str | None:
        """The name of the term whose spelling is closest to ``text``, if any is close."""
        close = difflib.get_close_matches(
            normalise(text), self._suggestible, n=1, cutoff=_SUGGESTION_CUTOFF
        )
        return self._by_spelling[close[0]].term.name if close else None

    def former_names(self, key: str) -> list[str]:
        """Former names accepted for the term stored as ``key``."""
        return list(self._former_names.get(key, []))

    def _register(self, spelling: str, match: Match) -> None:
        key = normalise(spelling)
        if not key:
            return
        existing = self._by_spelling.get(key)
        if existing is not None and existing.term != match.term:
            # Two terms sharing a spelling would make a return ambiguous: fix the reference data.
            raise ValueError(
                f"{self.noun} spelling {spelling!r} names both {existing.term.key!r} "
                f"and {match.term.key!r}"
            )
        self._by_spelling.setdefault(key, match)
        # ONS codes are left out of suggestions: a mistyped code is better refused than guessed.
        if not _looks_like_code(key) and key not in self._suggestible:
            self._suggestible.append(key)


@dataclass(frozen=True)
class ReturnVocabulary:
    """Everything a return may name, built from the reference data."""

    providers: Catalogue
    districts: Catalogue
    care_groups: Catalogue
    measures: Catalogue
    measure_specs: dict[str, MeasureSpec]
    other_measures: Catalogue
    # provider slug -> the district codes its contracts cover (None: all of Kent). A provider
    # with no contract is absent.
    contract_districts: dict[str, frozenset[str] | None] = field(default_factory=dict)

    @classmethod
    def from_reference(cls, reference: Reference) -> ReturnVocabulary:
        """Build from the repository's reference frames."""
        return cls.from_frames(
            districts=reference.districts,
            care_groups=reference.care_groups,
            measures=reference.measures,
            providers=reference.providers,
            contracts=reference.contracts,
            shares=reference.shares,
        )

    @classmethod
    def from_frames(
        cls,
        *,
        districts: pd.DataFrame,
        care_groups: pd.DataFrame,
        measures: pd.DataFrame,
        providers: pd.DataFrame,
        contracts: pd.DataFrame,
        shares: pd.DataFrame,
    ) -> ReturnVocabulary:
        """Build from frames with the columns of the reference CSV files."""
        provider_catalogue = Catalogue("provider")
        for row in _records(providers):
            provider_catalogue.add(
                Term(row["slug"], row["name"]),
                [row["slug"], row["name"], *_split_list(row["aliases"])],
            )
        district_catalogue = Catalogue("district")
        for row in _records(districts):
            district_catalogue.add(
                Term(row["code"], row["name"]),
                [row["code"], row["name"], row["slug"]],
                former_names=_split_list(row["former_names"]),
            )
        care_group_catalogue = Catalogue("care group")
        for row in _records(care_groups.sort_values("sort_order")):
            care_group_catalogue.add(Term(row["slug"], row["name"]), [row["slug"], row["name"]])
        measure_rows = {row["slug"]: row for row in _records(measures)}
        returnable = Catalogue("measure")
        specs: dict[str, MeasureSpec] = {}
        for slug in RETURN_MEASURES:
            row = measure_rows.get(slug)
            if row is None or row["unit"] not in RETURN_UNITS:
                continue
            returnable.add(Term(slug, row["name"]), [slug, row["name"]])
            specs[slug] = MeasureSpec(
                slug=slug,
                name=row["name"],
                unit=row["unit"],
                counts_people=str(row["counts_people"]).strip().lower() == "true",
                definition=row["definition"],
                method=row["method"],
                caveats=row["caveats"],
                min_value=_optional_number(row.get("min_value", "")),
                max_value=_optional_number(row.get("max_value", "")),
                at_most=row.get("at_most") or None,
                unusual_ratio=_optional_number(row.get("unusual_ratio", "")),
            )
        others = Catalogue("catalogue measure")
        for slug, row in measure_rows.items():
            if slug not in specs:
                others.add(Term(slug, row["name"]), [slug, row["name"]])
        return cls(
            providers=provider_catalogue,
            districts=district_catalogue,
            care_groups=care_group_catalogue,
            measures=returnable,
            measure_specs=specs,
            other_measures=others,
            contract_districts=_contract_districts(contracts, shares),
        )

    @staticmethod
    def means_all_care_groups(text: str) -> bool:
        """Whether a care-group cell means "all care groups" (blank, "all", "All care groups")."""
        return normalise(text) in ALL_CARE_GROUPS_SPELLINGS


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    """Rows as dicts with missing text as "" (the reference frames use NaN for missing)."""
    return [
        {column: ("" if pd.isna(value) else value) for column, value in row.items()}
        for row in frame.to_dict("records")
    ]


def _contract_districts(
    contracts: pd.DataFrame, shares: pd.DataFrame
) -> dict[str, frozenset[str] | None]:
    districts_of = {
        locality: set(group.loc[group["carer_share"] > 0, "district_code"])
        for locality, group in shares.groupby("locality")
    }
    covered: dict[str, set[str] | None] = {}
    for row in _records(contracts):
        provider, locality = row["provider"], row["locality"]
        if not locality:
            covered[provider] = None
        elif covered.setdefault(provider, set()) is not None:
            covered[provider] |= districts_of.get(locality, set())
    return {
        provider: None if codes is None else frozenset(codes) for provider, codes in covered.items()
    }


def _optional_number(cell: object) -> float | None:
    return None if cell == "" or cell is None or pd.isna(cell) else float(cell)


def _split_list(cell: str) -> list[str]:
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def _looks_like_code(key: str) -> bool:
    return len(key) == 9 and key[0].isalpha() and key[1:].isdigit()
