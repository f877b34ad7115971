"""A household's finances and what the IRS would allow of them (Collection Financial Standards).

``read_finances`` reads the ``--finances FILE`` mapping (JSON or YAML) strictly: unknown fields,
floats for money, negative amounts and missing required fields are refused with one line that
names the field.  Money is written as strings (``"2150.00"``).  Example::

    household: {size: 2, ages: [44, 41]}
    state: FL
    county: Miami-Dade
    monthly_income: "6200.00"        # gross, whole household
    annual_agi: "68000.00"           # optional: the low-income test uses it when given
    vehicles: 1
    expenses:                        # actual monthly amounts
      housing_utilities: "2400.00"
      vehicle_ownership: "380.00"
      vehicle_operating: "250.00"
      health_insurance: "420.00"
      current_taxes: "900.00"
    bank_balances: "2500.00"
    assets:
      - {description: Home, kind: real_estate, market_value: "350000.00", loan: "300000.00"}

The IRS way (IRM 5.15.1), as :func:`allowable_expenses` applies it:

* food, clothing and other items: the National Standard for the household, in full;
* out-of-pocket health care: the National Standard per person by age, in full;
* public transportation for a household without a vehicle: the Local Standard, in full;
* housing and utilities, vehicle ownership, vehicle operating (and public transportation for a
  household with a vehicle): the lesser of the actual amount and the Local Standard;
* when the data has no standard for the date, county or state: the actual amount (flagged, so
  the report says so); when the actual amount is not given either, no amount is counted and
  the figure is listed as missing (``AllowableExpenses.missing``): screenings say which figure
  to give and never count it as 0;
* health insurance, court-ordered payments, child or dependent care, term life insurance,
  current taxes and secured debts: the actual amount, as necessary expenses the IRS verifies.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from balancedue.advice.figures import (
    CitedAmount,
    derived,
    input_figure,
    parameter_figure,
    standard_figure,
)
from balancedue.engine.money import HUNDRED, ZERO, parse_money, quantize_cents
from balancedue.errors import InputError
from balancedue.rules import RuleSet, StandardAmount


class ExpenseCategory(StrEnum):
    """Monthly expense lines of the collection information statements (Forms 433-A, 433-F)."""

    FOOD_CLOTHING_MISC = "food_clothing_misc"
    HOUSING_UTILITIES = "housing_utilities"
    VEHICLE_OWNERSHIP = "vehicle_ownership"
    VEHICLE_OPERATING = "vehicle_operating"
    PUBLIC_TRANSPORTATION = "public_transportation"
    OUT_OF_POCKET_HEALTH = "out_of_pocket_health"
    HEALTH_INSURANCE = "health_insurance"
    COURT_ORDERED_PAYMENTS = "court_ordered_payments"
    CHILD_DEPENDENT_CARE = "child_dependent_care"
    LIFE_INSURANCE = "life_insurance"
    CURRENT_TAXES = "current_taxes"
    SECURED_DEBTS = "secured_debts"


EXPENSE_TITLES = {
    ExpenseCategory.FOOD_CLOTHING_MISC: "Food, clothing and other items",
    ExpenseCategory.HOUSING_UTILITIES: "Housing and utilities",
    ExpenseCategory.VEHICLE_OWNERSHIP: "Vehicle ownership (loan or lease)",
    ExpenseCategory.VEHICLE_OPERATING: "Vehicle operating costs",
    ExpenseCategory.PUBLIC_TRANSPORTATION: "Public transportation",
    ExpenseCategory.OUT_OF_POCKET_HEALTH: "Out-of-pocket health care",
    ExpenseCategory.HEALTH_INSURANCE: "Health insurance",
    ExpenseCategory.COURT_ORDERED_PAYMENTS: "Court-ordered payments",
    ExpenseCategory.CHILD_DEPENDENT_CARE: "Child or dependent care",
    ExpenseCategory.LIFE_INSURANCE: "Term life insurance",
    ExpenseCategory.CURRENT_TAXES: "Current-year taxes",
    ExpenseCategory.SECURED_DEBTS: "Other secured debts",
}


class AssetKind(StrEnum):
    """What an asset is (cash and bank accounts are given separately as ``bank_balances``)."""

    REAL_ESTATE = "real_estate"
    VEHICLE = "vehicle"
    INVESTMENT = "investment"
    RETIREMENT = "retirement"
    LIFE_INSURANCE_CASH_VALUE = "life_insurance_cash_value"
    OTHER = "other"


class AllowanceMethod(StrEnum):
    """How the allowed amount of an expense line was found."""

    STANDARD_IN_FULL = "standard_in_full"
    LESSER_OF_ACTUAL_AND_STANDARD = "lesser_of_actual_and_standard"
    ACTUAL_NO_STANDARD = "actual_no_standard_in_data"
    ACTUAL_NECESSARY = "actual_necessary_expense"


@dataclass(frozen=True, slots=True)
class Asset:
    """An asset with its fair market value and the loans it secures."""

    description: str
    kind: AssetKind
    market_value: Decimal
    loan: Decimal = ZERO


@dataclass(frozen=True)
class Finances:
    """A household's monthly income and expenses, assets and the figures of the low-income test.

    ``ages`` is empty when not given (every member is then counted in the younger health-care
    band, and the report says so).  ``expenses`` holds actual monthly amounts by category.
    """

    household_size: int
    state: str
    monthly_income: Decimal
    ages: tuple[int, ...] = ()
    county: str | None = None
    expenses: Mapping[ExpenseCategory, Decimal] = field(default_factory=dict)
    vehicles: int = 0
    assets: tuple[Asset, ...] = ()
    bank_balances: Decimal = ZERO
    annual_agi: Decimal | None = None

    def expense(self, category: ExpenseCategory) -> Decimal | None:
        """The actual monthly amount of a category, or ``None`` when not given."""
        return self.expenses.get(category)


@dataclass(frozen=True, slots=True)
class ExpenseLine:
    """One expense category: the actual amount, the standard, and what is allowed."""

    category: ExpenseCategory
    title: str
    allowed: CitedAmount
    method: AllowanceMethod
    actual: CitedAmount | None = None
    standard: CitedAmount | None = None
    flagged: bool = False
    note: str = ""


@dataclass(frozen=True, slots=True)
class AllowableExpenses:
    """Every expense line and the total allowed per month."""

    on: date
    lines: tuple[ExpenseLine, ...]
    total: CitedAmount
    flags: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # figures to give before a screening can be trusted (never counted as 0)

    def line(self, category: ExpenseCategory) -> ExpenseLine:
        """The line of one category."""
        for line in self.lines:
            if line.category is category:
                return line
        raise KeyError(category)


@dataclass(frozen=True, slots=True)
class AssetEquity:
    """Net realizable equity in one asset: quick-sale value less loans, never below zero."""

    description: str
    kind: AssetKind
    market_value: CitedAmount
    quick_sale_value: CitedAmount
    loan: CitedAmount
    equity: CitedAmount


@dataclass(frozen=True, slots=True)
class Equity:
    """Net realizable equity in every asset plus cash and bank balances."""

    assets: tuple[AssetEquity, ...]
    bank_balances: CitedAmount
    total: CitedAmount


@dataclass(frozen=True, slots=True)
class LowIncomeTest:
    """Income against a percentage of the HHS poverty guideline for the household."""

    income: CitedAmount
    guideline: CitedAmount
    threshold: CitedAmount
    is_low_income: bool
    basis: str


# --- Reading -------------------------------------------------------------------------------

_TOP_FIELDS = {
    "household", "state", "county", "monthly_income", "annual_agi", "vehicles", "expenses",
    "bank_balances", "assets",
}
_HOUSEHOLD_FIELDS = {"size", "ages"}
_ASSET_FIELDS = {"description", "kind", "market_value", "loan"}
_STATE = re.compile(r"^[A-Za-z]{2}$")

MAX_HOUSEHOLD_SIZE = 99  # not law: a bound on input, far above any real household


def _whole(value: object, name: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"finances {name} {value!r} must be a whole number")
    if value < least:
        raise InputError(f"finances {name} is {value}; it must be at least {least}")
    return value


def _amount(value: object, name: str) -> Decimal:
    amount = parse_money(value, f"finances {name}")
    if amount < ZERO:
        raise InputError(f"finances {name} is negative ({value}); write amounts as positive numbers")
    return amount


def _mapping(value: object, name: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise InputError(f"finances {name} must be an object")
    return value


def _no_unknown(raw: Mapping[str, object], allowed: set[str], name: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise InputError(f"finances {name} has unknown field {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _read_assets(raw: object) -> tuple[Asset, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, (str, bytes)):
        raise InputError("finances assets must be a list")
    assets = []
    for index, item in enumerate(raw):
        where = f"assets[{index}]"
        entry = _mapping(item, where)
        _no_unknown(entry, _ASSET_FIELDS, where)
        for required in ("description", "kind", "market_value"):
            if required not in entry:
                raise InputError(f"finances {where} needs '{required}'")
        try:
            kind = AssetKind(str(entry["kind"]))
        except ValueError:
            known = ", ".join(k.value for k in AssetKind)
            raise InputError(f"finances {where}.kind {entry['kind']!r} is not one of: {known}") from None
        assets.append(
            Asset(
                description=str(entry["description"]),
                kind=kind,
                market_value=_amount(entry["market_value"], f"{where}.market_value"),
                loan=_amount(entry.get("loan", "0"), f"{where}.loan"),
            )
        )
    return tuple(assets)


def read_finances(raw: object) -> Finances:
    """Validate a ``--finances`` mapping and build :class:`Finances`."""
    data = _mapping(raw, "file")
    _no_unknown(data, _TOP_FIELDS, "file")
    for required in ("household", "state", "monthly_income"):
        if required not in data:
            raise InputError(f"finances file needs '{required}'")
    household = _mapping(data["household"], "household")
    _no_unknown(household, _HOUSEHOLD_FIELDS, "household")
    ages: tuple[int, ...] = ()
    if household.get("ages") is not None:
        raw_ages = household["ages"]
        if not isinstance(raw_ages, Sequence) or isinstance(raw_ages, (str, bytes)):
            raise InputError("finances household.ages must be a list of whole numbers")
        ages = tuple(_whole(age, f"household.ages[{i}]", 0) for i, age in enumerate(raw_ages))
    if household.get("size") is not None:
        size = _whole(household["size"], "household.size", 1)
        if ages and len(ages) != size:
            raise InputError(f"finances household.size is {size} but household.ages lists {len(ages)} ages")
    elif ages:
        size = len(ages)
    else:
        raise InputError("finances household needs 'size' or 'ages'")
    if size > MAX_HOUSEHOLD_SIZE:
        raise InputError(f"finances household has {size} people; the limit is {MAX_HOUSEHOLD_SIZE}")
    state = data["state"]
    if not isinstance(state, str) or not _STATE.match(state.strip()):
        raise InputError(f"finances state {state!r} must be a two-letter code such as 'FL'")
    county = data.get("county")
    if county is not None and (not isinstance(county, str) or not county.strip()):
        raise InputError(f"finances county {county!r} must be a county name such as 'Miami-Dade'")
    expenses: dict[ExpenseCategory, Decimal] = {}
    if data.get("expenses") is not None:
        raw_expenses = _mapping(data["expenses"], "expenses")
        _no_unknown(raw_expenses, {c.value for c in ExpenseCategory}, "expenses")
        for name, value in raw_expenses.items():
            expenses[ExpenseCategory(name)] = _amount(value, f"expenses.{name}")
    vehicles = _whole(data.get("vehicles", 0), "vehicles", 0)
    for category in (ExpenseCategory.VEHICLE_OWNERSHIP, ExpenseCategory.VEHICLE_OPERATING):
        if vehicles == 0 and expenses.get(category, ZERO) > ZERO:
            raise InputError(f"finances expenses.{category.value} is given but vehicles is 0; give the number of vehicles")
    return Finances(
        household_size=size,
        state=state.strip().upper(),
        monthly_income=_amount(data["monthly_income"], "monthly_income"),
        ages=ages,
        county=county.strip() if isinstance(county, str) else None,
        expenses=expenses,
        vehicles=vehicles,
        assets=_read_assets(data["assets"]) if data.get("assets") is not None else (),
        bank_balances=_amount(data.get("bank_balances", "0"), "bank_balances"),
        annual_agi=_amount(data["annual_agi"], "annual_agi") if data.get("annual_agi") is not None else None,
    )


# --- The IRS way -----------------------------------------------------------------------------


def _actual(finances: Finances, category: ExpenseCategory) -> CitedAmount | None:
    value = finances.expense(category)
    return input_figure(value, f"finances.expenses.{category.value}") if value is not None else None


def _in_full(category: ExpenseCategory, standard: StandardAmount | None, actual: CitedAmount | None,
             missing: str) -> ExpenseLine | None:
    """The standard allowed in full; without a standard in the data, the actual amount (flagged);
    with neither, no line: the amount is asked for, never counted as 0."""
    title = EXPENSE_TITLES[category]
    if standard is not None:
        note = ""
        if actual is not None and actual.amount > standard.amount:
            note = "more than the standard is allowed only with proof that it is necessary"
        return ExpenseLine(category, title, standard_figure(standard, "allowed in full"),
                           AllowanceMethod.STANDARD_IN_FULL, actual, standard_figure(standard),
                           flagged=standard.stale, note=note)
    if actual is None:
        return None
    return ExpenseLine(category, title, actual, AllowanceMethod.ACTUAL_NO_STANDARD, actual, None,
                       flagged=True, note=missing)


def _lesser(category: ExpenseCategory, standard: StandardAmount | None, actual: CitedAmount | None,
            missing: str) -> ExpenseLine | None:
    title = EXPENSE_TITLES[category]
    if actual is None:
        return None
    if standard is None:
        return ExpenseLine(category, title, actual, AllowanceMethod.ACTUAL_NO_STANDARD, actual, None,
                           flagged=True, note=missing)
    if actual.amount <= standard.amount:
        allowed = actual
    else:
        allowed = standard_figure(standard, "the standard caps the actual amount")
    return ExpenseLine(category, title, allowed, AllowanceMethod.LESSER_OF_ACTUAL_AND_STANDARD, actual,
                       standard_figure(standard), flagged=standard.stale)


def allowable_expenses(finances: Finances, rules: RuleSet, on: date) -> AllowableExpenses:
    """The monthly living expenses the IRS would allow, line by line (IRM 5.15.1)."""
    standards = rules.collection_standards
    lines: list[ExpenseLine] = []
    flags: list[str] = []
    needed: list[str] = []
    ages = finances.ages or tuple(0 for _ in range(finances.household_size))
    if not finances.ages:
        flags.append("household ages not given: every member is counted in the younger health-care band")
    where = f"{finances.county + ' County, ' if finances.county else ''}{finances.state}"
    in_full = [
        (ExpenseCategory.FOOD_CLOTHING_MISC, standards.national(finances.household_size, on),
         "no National Standard in the data for this date: your actual amount is used"),
        (ExpenseCategory.OUT_OF_POCKET_HEALTH, standards.health_care(ages, on),
         "no out-of-pocket health care standard in the data for this date: your actual amount is used"),
    ]
    if finances.vehicles == 0:
        # IRS Local Standards - Transportation: "Taxpayers with no vehicle are allowed the
        # standard amount monthly, per household, without questioning the amount actually spent."
        in_full.append((ExpenseCategory.PUBLIC_TRANSPORTATION, standards.public_transportation(on),
                        "no public transportation standard in the data for this date: your actual amount is used"))
    for category, standard, missing in in_full:
        line = _in_full(category, standard, _actual(finances, category), missing)
        if line is not None:
            lines.append(line)
        else:
            needed.append(f"{EXPENSE_TITLES[category]}: give your monthly amount as finances.expenses.{category.value} "
                          f"(no standard in the data for {on.isoformat()}; it is not counted as 0)")
    local = [
        (ExpenseCategory.HOUSING_UTILITIES,
         standards.housing(finances.state, finances.county, finances.household_size, on),
         f"no housing and utilities standard in the data for {where}: your actual amount is used"),
        (ExpenseCategory.VEHICLE_OWNERSHIP,
         standards.vehicle_ownership(finances.vehicles, on),
         "no vehicle ownership standard in the data for this date: your actual amount is used"),
        (ExpenseCategory.VEHICLE_OPERATING,
         standards.vehicle_operating(finances.state, finances.county, finances.vehicles, on),
         f"no vehicle operating standard in the data for {where}: your actual amount is used"),
    ]
    if finances.vehicles > 0:
        local.append((ExpenseCategory.PUBLIC_TRANSPORTATION, standards.public_transportation(on),
                      "no public transportation standard in the data for this date: your actual amount is used"))
    for category, standard, missing in local:
        actual = _actual(finances, category)
        lesser = _lesser(category, standard, actual, missing)
        if lesser is not None:
            lines.append(lesser)
        elif category is ExpenseCategory.HOUSING_UTILITIES or (
            category is ExpenseCategory.VEHICLE_OPERATING and finances.vehicles > 0
        ):
            needed.append(f"{EXPENSE_TITLES[category]}: give your monthly amount as finances.expenses.{category.value} "
                          "(the IRS allows the lesser of the actual amount and the standard; it is not counted as 0)")
    for category in (
        ExpenseCategory.HEALTH_INSURANCE, ExpenseCategory.COURT_ORDERED_PAYMENTS,
        ExpenseCategory.CHILD_DEPENDENT_CARE, ExpenseCategory.LIFE_INSURANCE,
        ExpenseCategory.CURRENT_TAXES, ExpenseCategory.SECURED_DEBTS,
    ):
        actual = _actual(finances, category)
        if actual is not None:
            lines.append(ExpenseLine(category, EXPENSE_TITLES[category], actual,
                                     AllowanceMethod.ACTUAL_NECESSARY, actual, None,
                                     note="allowed as a necessary expense; the IRS asks for proof"))
    for line in lines:
        if line.flagged and line.note:
            flags.append(f"{line.title}: {line.note}")
        elif line.flagged:
            flags.append(f"{line.title}: this edition of the standards may have been replaced")
    total = sum((line.allowed.amount for line in lines), ZERO)
    return AllowableExpenses(
        on=on,
        lines=tuple(lines),
        total=derived(total, "advice.allowable_expenses", "IRS Collection Financial Standards (IRM 5.15.1)",
                      "sum of the allowed amounts"),
        flags=tuple(flags) + tuple(f"missing - {item}" for item in needed),
        missing=tuple(needed),
    )


def monthly_disposable_income(finances: Finances, expenses: AllowableExpenses) -> CitedAmount:
    """Gross monthly income less allowable expenses (negative when expenses exceed income)."""
    amount = finances.monthly_income - expenses.total.amount
    return derived(
        amount,
        "advice.monthly_disposable_income",
        "Form 433-A (OIC) / 433-F: total household income less allowable expenses",
        f"{finances.monthly_income} income less {expenses.total.amount} allowed expenses",
    )


def net_realizable_equity(finances: Finances, rules: RuleSet, on: date) -> Equity:
    """Quick-sale value of each asset less its loans (not below zero), plus bank balances."""
    rate = parameter_figure(rules, "oic.quick_sale_value_rate", on)
    items = []
    for index, asset in enumerate(finances.assets):
        field_name = f"finances.assets[{index}]"
        qsv = quantize_cents(asset.market_value * rate.amount)
        equity = max(qsv - asset.loan, ZERO)
        items.append(AssetEquity(
            description=asset.description,
            kind=asset.kind,
            market_value=input_figure(asset.market_value, f"{field_name}.market_value"),
            quick_sale_value=derived(qsv, rate.rule, rate.source, f"{asset.market_value} x {rate.amount}"),
            loan=input_figure(asset.loan, f"{field_name}.loan"),
            equity=derived(equity, rate.rule, rate.source, "quick-sale value less loans, not below zero"),
        ))
    bank = input_figure(finances.bank_balances, "finances.bank_balances", "cash and bank accounts count in full")
    total = sum((item.equity.amount for item in items), ZERO) + finances.bank_balances
    return Equity(
        assets=tuple(items),
        bank_balances=bank,
        total=derived(total, "advice.net_realizable_equity",
                      f"Form 433-A (OIC) equity in assets; {rate.source}",
                      "equity in every asset plus bank balances"),
    )


def poverty_guideline(household_size: int, state: str, rules: RuleSet, on: date) -> CitedAmount:
    """The annual HHS poverty guideline for the household (Alaska and Hawaii have their own)."""
    area = {"AK": "alaska", "HI": "hawaii"}.get(state.upper(), "contiguous")
    first = parameter_figure(rules, f"low_income.poverty_guideline.{area}.first_person", on)
    extra = parameter_figure(rules, f"low_income.poverty_guideline.{area}.each_additional", on)
    amount = first.amount + extra.amount * (household_size - 1)
    return derived(amount, first.rule, first.source,
                   f"{first.amount} for the first person + {extra.amount} x {household_size - 1} more")


def is_low_income(
    finances: Finances,
    rules: RuleSet,
    on: date,
    percent_rule: str = "low_income.poverty_guideline_percent",
) -> LowIncomeTest:
    """Adjusted gross income (or else gross income x 12) at or below the percent of the guideline.

    The installment-agreement fee waiver (IRC 6159(f)) and the offer-in-compromise fee and
    payment waivers (IRC 7122(c)(3)) use 250 percent; so do Low Income Taxpayer Clinics
    (pass ``percent_rule="litc.poverty_guideline_percent"``).
    """
    guideline = poverty_guideline(finances.household_size, finances.state, rules, on)
    percent = parameter_figure(rules, percent_rule, on)
    threshold = quantize_cents(guideline.amount * percent.amount / HUNDRED)
    if finances.annual_agi is not None:
        income = input_figure(finances.annual_agi, "finances.annual_agi", "adjusted gross income")
        basis = "adjusted gross income from the latest return"
    else:
        yearly = finances.monthly_income * 12
        income = input_figure(yearly, "finances.monthly_income", "gross monthly income x 12")
        basis = "gross household income (monthly x 12); give annual_agi to use the return's AGI"
    return LowIncomeTest(
        income=income,
        guideline=guideline,
        threshold=derived(threshold, percent_rule, percent.source,
                          f"{percent.amount}% of the poverty guideline {guideline.amount}"),
        is_low_income=income.amount <= threshold,
        basis=basis,
    )
