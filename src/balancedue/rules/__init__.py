"""Tax law as data: rates, parameters, the notice catalog and official contacts.

Everything here is loaded from ``rules/data`` and validated at load time; every figure carries
its source and the dates it is in force.
"""

from __future__ import annotations

from balancedue.rules.calendar import BusinessCalendar, next_business_day
from balancedue.rules.contacts import Contacts
from balancedue.rules.loader import RuleSet, load_rules, load_rules_from
from balancedue.rules.notices import NoticeCatalog, NoticeCode, NoticeEntry
from balancedue.rules.parameters import Parameter, ParameterSet, ParameterValue
from balancedue.rules.rates import RatePeriod, RateTable
from balancedue.rules.sources import Source, Verification
from balancedue.rules.transaction_codes import TransactionCodeCatalog, TransactionCodeEntry

__all__ = [
    "BusinessCalendar",
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
    "Source",
    "TransactionCodeCatalog",
    "TransactionCodeEntry",
    "Verification",
    "load_rules",
    "load_rules_from",
    "next_business_day",
]
