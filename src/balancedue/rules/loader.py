"""Load and validate every rules-data file bundled with the package.

This module and :mod:`.compiled` are the only ones of ``rules`` that read files.
:func:`load_rules` gives the bundled data once per process, from the compiled cache when it is
there and current (:mod:`.compiled`); :func:`validate_bundled_rules` always parses and validates
the files themselves; :func:`load_rules_from` reads another folder laid out the same way (for
tests and for checking an edited copy before it is committed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from balancedue.errors import RulesDataError
from balancedue.rules import compiled
from balancedue.rules.calendar import PRECOMPUTED_YEARS, BusinessCalendar
from balancedue.rules.collection_standards import CollectionStandards, parse_collection_standards
from balancedue.rules.contacts import Contacts, parse_contacts
from balancedue.rules.notices import NoticeCatalog, parse_notice_catalog
from balancedue.rules.parameters import ParameterSet, parse_parameters
from balancedue.rules.postponements import Postponements, parse_postponements
from balancedue.rules.rates import RateSourceFile, RateTable, parse_rate_table
from balancedue.rules.scam_signals import ScamSignals, parse_scam_signals
from balancedue.rules.transaction_codes import TransactionCodeCatalog, parse_transaction_codes
from balancedue.rules.triage import TriageRules, parse_triage

FILES = (
    "underpayment_rates.csv",
    "rate_sources.yaml",
    "parameters.yaml",
    "notices.yaml",
    "contacts.yaml",
    "scam_signals.yaml",
    "collection_standards.yaml",
    "collection_standards_housing.csv",
    "triage.yaml",
    "transaction_codes.yaml",
    "postponements.yaml",
)


@dataclass(frozen=True)
class RuleSet:
    """Every piece of tax law the product reads, validated and immutable."""

    rates: RateTable
    parameters: ParameterSet
    notices: NoticeCatalog
    contacts: Contacts
    scam_signals: ScamSignals
    collection_standards: CollectionStandards
    triage: TriageRules
    transaction_codes: TransactionCodeCatalog
    calendar: BusinessCalendar = field(default_factory=BusinessCalendar)
    postponements: Postponements = field(default_factory=Postponements)


def _read_text(folder: Path | resources.abc.Traversable, name: str) -> str:
    try:
        return (folder / name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise RulesDataError(name, "file is missing") from exc
    except UnicodeDecodeError as exc:
        raise RulesDataError(name, "file is not UTF-8 text") from exc


def _read_yaml(folder: Path | resources.abc.Traversable, name: str) -> dict[str, Any]:
    import yaml  # only when the compiled cache cannot be used

    try:
        loaded = yaml.safe_load(_read_text(folder, name))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise RulesDataError(name, f"not valid YAML{where}") from exc
    if not isinstance(loaded, dict):
        raise RulesDataError(name, "top level must be a mapping")
    return loaded


def _load(folder: Path | resources.abc.Traversable) -> RuleSet:
    try:
        rate_sources = RateSourceFile.model_validate(_read_yaml(folder, "rate_sources.yaml"))
    except ValidationError as exc:
        first = exc.errors()[0]
        raise RulesDataError(
            "rate_sources.yaml", f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
        ) from exc
    dated = {
        key: source if source.retrieved else source.model_copy(update={"retrieved": rate_sources.retrieved})
        for key, source in rate_sources.sources.items()
    }
    return RuleSet(
        rates=parse_rate_table(_read_text(folder, "underpayment_rates.csv"), dated),
        parameters=parse_parameters(_read_yaml(folder, "parameters.yaml")),
        notices=parse_notice_catalog(_read_yaml(folder, "notices.yaml")),
        contacts=parse_contacts(_read_yaml(folder, "contacts.yaml")),
        scam_signals=parse_scam_signals(_read_yaml(folder, "scam_signals.yaml")),
        collection_standards=parse_collection_standards(
            _read_yaml(folder, "collection_standards.yaml"), _read_text(folder, "collection_standards_housing.csv")
        ),
        triage=parse_triage(_read_yaml(folder, "triage.yaml")),
        transaction_codes=parse_transaction_codes(_read_yaml(folder, "transaction_codes.yaml")),
        calendar=BusinessCalendar.with_years(PRECOMPUTED_YEARS),
        postponements=parse_postponements(_read_yaml(folder, "postponements.yaml")),
    )


def _bundled() -> resources.abc.Traversable:
    return resources.files("balancedue.rules") / "data"


@lru_cache(maxsize=1)
def load_rules() -> RuleSet:
    """The bundled rules data, validated, once per process (through the compiled cache)."""
    data = _bundled()
    return compiled.load_or_build(data, lambda: _load(data), RuleSet)


def validate_bundled_rules() -> RuleSet:
    """The bundled rules data parsed and validated from the files, never from the cache."""
    return _load(_bundled())


def load_rules_from(folder: Path) -> RuleSet:
    """Rules data from another folder with the same files (never cached)."""
    if not folder.is_dir():
        raise RulesDataError(str(folder), "is not a folder")
    return _load(folder)
