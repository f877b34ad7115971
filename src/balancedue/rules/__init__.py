"""Tax law as data: rates, parameters, the notice catalog, official contacts and scam signals.

Everything here is loaded from ``rules/data`` and validated at load time; every figure carries
its source and the dates it is in force.
"""

from __future__ import annotations

from balancedue.rules.calendar import BusinessCalendar, next_business_day
from balancedue.rules.collection_standards import CollectionStandards, StandardAmount
from balancedue.rules.contacts import Contacts
from balancedue.rules.loader import RuleSet, load_rules, load_rules_from, validate_bundled_rules
from balancedue.rules.notices import NoticeCatalog, NoticeCode, NoticeEntry
from balancedue.rules.parameters import Parameter, ParameterSet, ParameterValue
from balancedue.rules.rates import RatePeriod, RateTable
from balancedue.rules.scam_signals import ScamSignals
from balancedue.rules.sources import Source, Verification
from balancedue.rules.transaction_codes import TransactionCodeCatalog, TransactionCodeEntry
from balancedue.rules.triage import TriageFact, TriageRule, TriageRules

__all__ = [
    "BusinessCalendar",
    "CollectionStandards",
    "Contacts",
    "NoticeCatalog",
    "NoticeCode",
    "NoticeEntry",
    "Parameter",
    "ParameterSet",
    "ParameterValue",
    "RatePeriod",
    "RateTable",
    "RuleSet",
    "ScamSignals",
    "Source",
    "StandardAmount",
    "TransactionCodeCatalog",
    "TransactionCodeEntry",
    "TriageFact",
    "TriageRule",
    "TriageRules",
    "Verification",
    "load_rules",
    "load_rules_from",
    "next_business_day",
    "validate_bundled_rules",
]
