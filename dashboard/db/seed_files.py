"""Read and validate the versioned CSV files in ``data/``: every problem is reported at once.

Each file has a declared set of columns and types; foreign keys between files are checked after
all files are read. Nothing here touches the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.db.models import EVENT_KINDS
from dashboard.periods import PeriodError, parse_period

TEXT, NUMBER, DATE, BOOL = "text", "number", "date", "bool"

# file -> {column: (type, required)}
FILE_COLUMNS: dict[str, dict[str, tuple[str, bool]]] = {
    "reference/sources.csv": {
        "source_id": (TEXT, True),
        "title": (TEXT, True),
        "publisher": (TEXT, True),
        "published": (TEXT, False),
        "section": (TEXT, False),
        "licence": (TEXT, True),
        "url": (TEXT, False),
        "citation": (TEXT, True),
    },
    "reference/districts.csv": {
        "code": (TEXT, True),
        "name": (TEXT, True),
        "slug": (TEXT, True),
        "former_names": (TEXT, False),
    },
    "reference/locality_schemes.csv": {
        "slug": (TEXT, True),
        "name": (TEXT, True),
        "description": (TEXT, False),
    },
    "reference/localities.csv": {
        "slug": (TEXT, True),
        "scheme": (TEXT, True),
        "name": (TEXT, True),
    },
    "reference/locality_shares.csv": {
        "scheme": (TEXT, True),
        "locality": (TEXT, True),
        "district_code": (TEXT, True),
        "population_share": (NUMBER, True),
        "carer_share": (NUMBER, True),
        "method": (TEXT, True),
        "source_id": (TEXT, True),
    },
    "reference/care_groups.csv": {
        "slug": (TEXT, True),
        "name": (TEXT, True),
        "description": (TEXT, False),
        "sort_order": (NUMBER, True),
    },
    "reference/funders.csv": {
        "slug": (TEXT, True),
        "name": (TEXT, True),
        "kind": (TEXT, True),
        "locality": (TEXT, False),
        "valid_from": (DATE, False),
        "valid_to": (DATE, False),
    },
    "reference/service_lines.csv": {
        "slug": (TEXT, True),
        "name": (TEXT, True),
        "description": (TEXT, False),
    },
    "reference/providers.csv": {
        "slug": (TEXT, True),
        "name": (TEXT, True),
        "aliases": (TEXT, False),
        "description": (TEXT, False),
    },
    "reference/provider_contracts.csv": {
        "provider": (TEXT, True),
        "locality": (TEXT, False),
        "service_line": (TEXT, True),
        "start": (DATE, False),
        "end": (DATE, False),
        "source_id": (TEXT, True),
        "source_section": (TEXT, False),
    },
    "reference/periods.csv": {
        "slug": (TEXT, True),
        "kind": (TEXT, True),
        "label": (TEXT, True),
        "start": (DATE, True),
        "end": (DATE, True),
    },
    "reference/measures.csv": {
        "slug": (TEXT, True),
        "name": (TEXT, True),
        "definition": (TEXT, True),
        "numerator": (TEXT, False),
        "denominator": (TEXT, False),
        "method": (TEXT, False),
        "caveats": (TEXT, False),
        "unit": (TEXT, True),
        "polarity": (TEXT, True),
        "finest_geography": (TEXT, True),
        "counts_people": (BOOL, True),
        "source_id": (TEXT, True),
        "target_of": (TEXT, False),
        "min_value": (NUMBER, False),
        "max_value": (NUMBER, False),
        "at_most": (TEXT, False),
        "unusual_ratio": (NUMBER, False),
    },
}
OBSERVATION_COLUMNS: dict[str, tuple[str, bool]] = {
    "measure": (TEXT, True),
    "period": (TEXT, True),
    "geography": (TEXT, True),
    "care_group": (TEXT, False),
    "provider": (TEXT, False),
    "category": (TEXT, False),
    "value": (NUMBER, True),
    "qualifier": (TEXT, False),
    "source_id": (TEXT, True),
    "source_section": (TEXT, False),
    "note": (TEXT, False),
}
FILE_COLUMNS["census/observations.csv"] = OBSERVATION_COLUMNS
FILE_COLUMNS["published/observations.csv"] = OBSERVATION_COLUMNS
FILE_COLUMNS["published/funding.csv"] = {
    "funder": (TEXT, False),
    "service_line": (TEXT, False),
    "geography": (TEXT, True),
    "period": (TEXT, True),
    "amount": (NUMBER, True),
    "basis": (TEXT, True),
    "qualifier": (TEXT, False),
    "source_id": (TEXT, True),
    "source_section": (TEXT, False),
    "note": (TEXT, False),
}
FILE_COLUMNS["published/quality_notes.csv"] = {
    "slug": (TEXT, True),
    "title": (TEXT, True),
    "description": (TEXT, True),
    "source_id": (TEXT, True),
    "source_section": (TEXT, False),
    "measure": (TEXT, False),
    "period": (TEXT, False),
}
FILE_COLUMNS["published/events.csv"] = {
    "event_date": (DATE, True),
    "kind": (TEXT, True),
    "title": (TEXT, True),
    "description": (TEXT, True),
    "service_lines": (TEXT, False),
    "localities": (TEXT, False),
    "paper_url": (TEXT, False),
    "source_id": (TEXT, True),
    "source_section": (TEXT, True),
}
# Columns holding ``;``-separated slugs (empty for all), checked item by item.
LIST_REFERENCES = {
    ("published/events.csv", "service_lines"): "service_line",
    ("published/events.csv", "localities"): "locality",
}

ALLOWED_VALUES = {
    ("reference/funders.csv", "kind"): {"council", "nhs", "government"},
    ("reference/periods.csv", "kind"): {"point", "span"},
    ("reference/measures.csv", "polarity"): {"higher-better", "lower-better", "neither"},
    ("reference/measures.csv", "finest_geography"): {"county", "locality", "district"},
    ("published/funding.csv", "basis"): {"allocated", "actual"},
    ("published/events.csv", "kind"): set(EVENT_KINDS),
}
KENT_CODE = "E10000016"
KENT_NAME = "Kent County Council area"
EXTRA_GEOGRAPHIES = {"kent-medway": ("Kent and Medway", "region")}


class SeedDataError(ValueError):
    """The data files are invalid; ``problems`` lists every one with file, row and column."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''} in data files:\n  " + "\n  ".join(problems)
        )


@dataclass(frozen=True)
class SeedData:
    """Every seed file as a validated DataFrame, keyed by its path under ``data/``."""

    frames: dict[str, pd.DataFrame]
    content_hash: str

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.frames[name]


def read_seed_data(data_dir: Path) -> SeedData:
    """Read and validate every seed file; raise SeedDataError listing all problems."""
    problems: list[str] = []
    frames: dict[str, pd.DataFrame] = {}
    for name, columns in FILE_COLUMNS.items():
        path = data_dir / name
        if not path.is_file():
            problems.append(f"{name}: file is missing")
            continue
        frame, file_problems = _parse_file(name, path, columns)
        problems.extend(file_problems)
        frames[name] = frame
    if not problems:
        problems.extend(_check_references(frames))
    if problems:
        raise SeedDataError(problems)
    return SeedData(frames=frames, content_hash=files_digest(data_dir))


def files_digest(data_dir: Path) -> str:
    """A hash of the seed files' names and bytes (those present), without parsing them."""
    digest = hashlib.sha256()
    for name in FILE_COLUMNS:
        path = data_dir / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _parse_file(
    name: str, path: Path, columns: dict[str, tuple[str, bool]]
) -> tuple[pd.DataFrame, list[str]]:
    problems: list[str] = []
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        return pd.DataFrame(columns=list(columns)), [f"{name}: cannot be read as UTF-8 CSV ({exc})"]
    missing = [column for column in columns if column not in frame.columns]
    unexpected = [column for column in frame.columns if column not in columns]
    if missing:
        problems.append(f"{name}: missing column(s) {', '.join(missing)}")
    if unexpected:
        problems.append(f"{name}: unexpected column(s) {', '.join(unexpected)}")
    if problems:
        return pd.DataFrame(columns=list(columns)), problems
    frame = frame.map(str.strip)
    converted = {}
    for column, (kind, required) in columns.items():
        values = frame[column]
        for index in values.index[(values == "") & required]:
            problems.append(f"{name}, row {index + 2}, column {column}: a value is required")
        converted[column], column_problems = _convert(name, column, kind, values)
        problems.extend(column_problems)
        allowed = ALLOWED_VALUES.get((name, column))
        if allowed:
            for index, value in values[(values != "") & ~values.isin(allowed)].items():
                problems.append(
                    f"{name}, row {index + 2}, column {column}: {value!r} is not one of "
                    f"{', '.join(sorted(allowed))}"
                )
    key = next(iter(columns))
    if key in ("slug", "source_id", "code"):
        for index, value in frame[key][frame[key].duplicated()].items():
            problems.append(f"{name}, row {index + 2}, column {key}: duplicate {value!r}")
    return pd.DataFrame(converted), problems


def _convert(name: str, column: str, kind: str, values: pd.Series) -> tuple[pd.Series, list[str]]:
    problems: list[str] = []
    if kind == TEXT:
        return values, problems
    present = values != ""
    if kind == NUMBER:
        numbers = pd.to_numeric(values.where(present), errors="coerce")
        bad = present & numbers.isna()
        label = "a number"
        converted = numbers
    elif kind == DATE:
        dates = pd.to_datetime(values.where(present), format="%Y-%m-%d", errors="coerce")
        bad = present & dates.isna()
        label = "a date (YYYY-MM-DD)"
        converted = dates.dt.date.where(present, None)
    else:
        lowered = values.str.lower()
        bad = ~lowered.isin({"true", "false"})
        label = "true or false"
        converted = lowered == "true"
    for index, value in values[bad].items():
        problems.append(f"{name}, row {index + 2}, column {column}: {value!r} is not {label}")
    return converted, problems


def _check_references(frames: dict[str, pd.DataFrame]) -> list[str]:
    """Check every cross-file reference, and that locality shares add up per district."""
    problems: list[str] = []
    keys = {
        "source": set(frames["reference/sources.csv"]["source_id"]),
        "district": set(frames["reference/districts.csv"]["code"]),
        "scheme": set(frames["reference/locality_schemes.csv"]["slug"]),
        "locality": set(frames["reference/localities.csv"]["slug"]),
        "care_group": set(frames["reference/care_groups.csv"]["slug"]),
        "funder": set(frames["reference/funders.csv"]["slug"]),
        "service_line": set(frames["reference/service_lines.csv"]["slug"]),
        "provider": set(frames["reference/providers.csv"]["slug"]),
        "measure": set(frames["reference/measures.csv"]["slug"]),
    }
    keys["geography"] = keys["district"] | keys["locality"] | {KENT_CODE, *EXTRA_GEOGRAPHIES}
    irregular_periods = set(frames["reference/periods.csv"]["slug"])
    references = {
        "reference/localities.csv": {"scheme": "scheme"},
        "reference/locality_shares.csv": {
            "scheme": "scheme",
            "locality": "locality",
            "district_code": "district",
            "source_id": "source",
        },
        "reference/funders.csv": {"locality": "locality"},
        "reference/provider_contracts.csv": {
            "provider": "provider",
            "locality": "locality",
            "service_line": "service_line",
            "source_id": "source",
        },
        "reference/measures.csv": {
            "source_id": "source",
            "target_of": "measure",
            "at_most": "measure",
        },
        "census/observations.csv": _observation_references(),
        "published/observations.csv": _observation_references(),
        "published/funding.csv": {
            "funder": "funder",
            "service_line": "service_line",
            "geography": "geography",
            "source_id": "source",
        },
        "published/quality_notes.csv": {"source_id": "source", "measure": "measure"},
        "published/events.csv": {"source_id": "source"},
    }
    for (name, column), key in LIST_REFERENCES.items():
        for index, value in frames[name][column].items():
            for item in (part.strip() for part in value.split(";") if value):
                if item not in keys[key]:
                    problems.append(
                        f"{name}, row {index + 2}, column {column}: unknown {key} {item!r}"
                    )
    for name, columns in references.items():
        frame = frames[name]
        for column, key in columns.items():
            values = frame[column]
            for index, value in values[(values != "") & ~values.isin(keys[key])].items():
                problems.append(
                    f"{name}, row {index + 2}, column {column}: unknown {key} {value!r}"
                )
    for name in (
        "census/observations.csv",
        "published/observations.csv",
        "published/funding.csv",
        "published/quality_notes.csv",
    ):
        for index, slug in frames[name]["period"].items():
            if slug and slug not in irregular_periods:
                try:
                    parse_period(slug)
                except PeriodError as exc:
                    problems.append(f"{name}, row {index + 2}, column period: {exc}")
    problems.extend(_check_share_totals(frames["reference/locality_shares.csv"], keys))
    problems.extend(_check_measure_rules(frames["reference/measures.csv"]))
    return problems


def _check_measure_rules(measures: pd.DataFrame) -> list[str]:
    """The plausibility rules must make sense: a range that is not empty, percentages within
    0 to 100, and an unusual-value ratio above 1."""
    name = "reference/measures.csv"
    problems = []
    for index, row in measures.iterrows():
        low, high, ratio = row["min_value"], row["max_value"], row["unusual_ratio"]
        place = f"{name}, row {index + 2}"
        if pd.notna(low) and pd.notna(high) and low > high:
            problems.append(f"{place}: min_value {low:g} is above max_value {high:g}")
        if row["unit"] == "percent" and (
            (pd.notna(low) and low < 0) or (pd.notna(high) and high > 100)
        ):
            problems.append(f"{place}: a percentage's range must lie within 0 to 100")
        if pd.notna(ratio) and ratio <= 1:
            problems.append(f"{place}, column unusual_ratio: {ratio:g} must be more than 1")
    return problems


def _observation_references() -> dict[str, str]:
    return {
        "measure": "measure",
        "geography": "geography",
        "care_group": "care_group",
        "provider": "provider",
        "source_id": "source",
    }


def _check_share_totals(shares: pd.DataFrame, keys: dict[str, set[str]]) -> list[str]:
    problems = []
    for scheme in sorted(keys["scheme"]):
        in_scheme = shares[shares["scheme"] == scheme]
        for column in ("population_share", "carer_share"):
            totals = in_scheme.groupby("district_code")[column].sum()
            for district in sorted(keys["district"]):
                total = float(totals.get(district, 0.0))
                if abs(total - 1.0) > 1e-9:
                    problems.append(
                        f"reference/locality_shares.csv: {column} for district {district} in "
                        f"scheme {scheme} adds up to {total:g}, not 1"
                    )
    return problems
