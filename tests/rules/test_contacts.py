"""Official contacts (``rules/data/contacts.yaml``): figures, sources and strict loading."""

from __future__ import annotations

import copy
from datetime import date
from importlib import resources
from typing import Any

import pytest
import yaml

from balancedue.errors import RulesDataError
from balancedue.rules import load_rules
from balancedue.rules.contacts import Contacts, PhoneKind, normalize_phone, parse_contacts
from balancedue.rules.sources import Verification


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    text = (resources.files("balancedue.rules") / "data" / "contacts.yaml").read_text("utf-8")
    loaded = yaml.safe_load(text)
    assert isinstance(loaded, dict)
    return loaded


@pytest.fixture(scope="module")
def contacts() -> Contacts:
    return load_rules().contacts


# Each expected number is quoted from /work/shared/domain/scams_and_contacts.md section 5, with
# the source key that the notes give for it.
@pytest.mark.parametrize(
    ("phone_id", "number", "kind"),
    [
        pytest.param("individual", "800-829-1040", PhoneKind.IRS, id="individuals-S13-S14-Pub594"),
        pytest.param("business", "800-829-4933", PhoneKind.IRS, id="businesses-S14-Pub594"),
        pytest.param("tty", "800-829-4059", PhoneKind.IRS, id="tty-S13"),
        pytest.param("interpretation", "833-553-9895", PhoneKind.IRS, id="interpreter-S13"),
        pytest.param("practitioner", "866-860-4259", PhoneKind.IRS, id="pps-S16"),
        pytest.param(
            "taxpayer_advocate", "877-777-4778", PhoneKind.TAXPAYER_ADVOCATE, id="tas-S17"
        ),
        pytest.param("acs_individual", "800-829-7650", PhoneKind.IRS, id="acs-wi-IRM-5.19.9"),
        pytest.param("acs_business", "800-829-3903", PhoneKind.IRS, id="acs-sbse-IRM-5.19.9"),
        pytest.param("cp522p_review", "800-831-0273", PhoneKind.IRS, id="cp522p-S19"),
        pytest.param("forms", "800-829-3676", PhoneKind.IRS, id="forms-S6"),
        pytest.param("international", "267-941-1000", PhoneKind.IRS, id="international-S20"),
        pytest.param("tigta", "800-366-4484", PhoneKind.OVERSIGHT, id="tigta-S11"),
    ],
)
def test_official_numbers(contacts: Contacts, phone_id: str, number: str, kind: PhoneKind) -> None:
    phone = contacts.phone_by_id(phone_id)
    assert phone.number == number
    assert phone.kind is kind
    assert contacts.phone(number) == phone


def test_numbers_from_outdated_or_third_party_sources_say_so(contacts: Contacts) -> None:
    # ACS numbers come from a 2010 IRM revision, the international line from a third party
    # (notes S18, S20)
    for phone_id in ("acs_individual", "acs_business", "international"):
        assert contacts.phone_by_id(phone_id).caution
    assert contacts.phone_by_id("international").source.verification is Verification.SECONDARY


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("800-829-1040", "800-829-1040"),
        ("(800) 829.1040", "800-829-1040"),
        ("+1 800 829 1040", "800-829-1040"),
        ("1-800-829-1040", "800-829-1040"),
        ("8008291040", "800-829-1040"),
        ("829-1040", None),
        ("+44 20 7946 0958", None),
        ("", None),
    ],
)
def test_normalize_phone(written: str, expected: str | None) -> None:
    assert normalize_phone(written) == expected


def test_vanity_aliases_are_kept(contacts: Contacts) -> None:
    assert "800-TAX-FORM" in contacts.phone_by_id("forms").aliases


# IRS private debt collection FAQ (effective September 23, 2021) and the archived January 2021
# page: agencies, addresses and phone numbers.
def test_private_collection_agencies_current(contacts: Contacts) -> None:
    current = {a.name: a.phone for a in contacts.agencies_on(None)}
    assert current == {
        "CBE": "800-910-5837",
        "Coast Professional, Inc.": "888-928-0510",
        "ConServe": "844-853-4875",
    }


def test_private_collection_agencies_by_date(contacts: Contacts) -> None:
    before_2021_contracts = {a.name for a in contacts.agencies_on(date(2020, 6, 1))}
    assert before_2021_contracts == {"CBE", "ConServe", "Performant", "Pioneer"}
    after = {a.name for a in contacts.agencies_on(date(2021, 9, 23))}
    assert after == {"CBE", "Coast Professional, Inc.", "ConServe"}


def test_agency_lookup_by_phone(contacts: Contacts) -> None:
    agency = contacts.agency_for_phone("(844) 853-4875")
    assert agency is not None
    assert agency.name == "ConServe"
    assert contacts.agency_for_phone("800-829-1040") is None


def test_every_payment_channel_pays_the_treasury(contacts: Contacts) -> None:
    # Checks are payable to "United States Treasury" (payment_options.md P12; CP40 page)
    assert contacts.official_payees == ("United States Treasury",)


def test_payment_channels_present(contacts: Contacts) -> None:
    ids = {c.id for c in contacts.payment_channels}
    assert {
        "direct_pay",
        "online_account",
        "eftps",
        "card_pay1040",
        "card_aci",
        "check_or_money_order",
        "cash_retail",
        "same_day_wire",
    } <= ids
    # card processors charge a fee, reported by third parties only (P11)
    for channel_id in ("card_pay1040", "card_aci"):
        channel = contacts.payment_channel(channel_id)
        assert channel.fee != "none"
        assert channel.source.verification is Verification.SECONDARY


@pytest.mark.parametrize(
    ("host", "official"),
    [
        ("irs.gov", True),
        ("www.irs.gov", True),
        ("directpay.irs.gov", True),
        ("taxpayeradvocate.irs.gov", True),
        ("eftps.gov", True),
        ("www.tigta.gov", True),
        ("fed.acipayonline.com", True),
        ("pay1040.com", True),
        ("IRS.GOV.", True),
        ("irs.gov.alphacapitalone.com", False),  # the look-alike seen in the notes (S28)
        ("irs-gov.com", False),
        ("acipayonline.com", False),  # only the fed. sub-domain is listed
        ("payusatax.com", False),  # retired January 1, 2025
        ("notirs.gov", False),
    ],
)
def test_official_domains(contacts: Contacts, host: str, official: bool) -> None:
    assert contacts.is_official_domain(host) is official


def test_retired_domain_is_still_known(contacts: Contacts) -> None:
    entry = contacts.domain_for("www.payusatax.com")
    assert entry is not None
    assert entry.retired_on == date(2025, 1, 1)


def test_reporting_channels(contacts: Contacts) -> None:
    assert contacts.reporting_channel("tigta").phone == "800-366-4484"
    assert contacts.reporting_channel("irs_phishing").email == "phishing@irs.gov"
    assert contacts.reporting_channel("sms_7726").sms == "7726"
    assert contacts.reporting_channel("ftc").url == "https://reportfraud.ftc.gov"


def test_unknown_ids_are_rules_errors(contacts: Contacts) -> None:
    with pytest.raises(RulesDataError, match="no phone with id 'nope'"):
        contacts.phone_by_id("nope")
    with pytest.raises(RulesDataError, match="no reporting channel"):
        contacts.reporting_channel("nope")
    with pytest.raises(RulesDataError, match="no payment channel"):
        contacts.payment_channel("nope")


def test_every_entry_has_a_dated_source(contacts: Contacts) -> None:
    entries = [
        *contacts.phones,
        *contacts.private_collection_agencies,
        *contacts.payment_channels,
        *contacts.domains,
        *contacts.reporting,
    ]
    for entry in entries:
        assert entry.source.citation
        assert entry.source.retrieved is not None, entry


# -- strict loading -----------------------------------------------------------------------------


def _broken(raw: dict[str, Any], edit: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw)
    edit(data)
    return data


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(
            lambda d: d["phones"][0].update(source="no_such_key"),
            "unknown source key 'no_such_key'",
            id="unknown-source-key",
        ),
        pytest.param(
            lambda d: d["sources"].update(spare={"citation": "Nothing uses this"}),
            "defined but never used: spare",
            id="unused-source",
        ),
        pytest.param(
            lambda d: d["phones"][1].update(number=d["phones"][0]["number"]),
            "listed twice",
            id="duplicate-number",
        ),
        pytest.param(
            lambda d: d["phones"][0].update(number="1-800-829-1040"),
            "NNN-NNN-NNNN",
            id="badly-written-number",
        ),
        pytest.param(
            lambda d: d["phones"][0].update(extra="field"),
            "Extra inputs are not permitted",
            id="unknown-field",
        ),
        pytest.param(
            lambda d: d["payment_channels"][0].update(hosts=["directpay.irs-pay.com"]),
            "is not an official domain",
            id="payment-host-outside-official-domains",
        ),
        pytest.param(
            lambda d: d["reporting"][0].update(phone=None, url=None),
            "needs a phone, url, email or sms",
            id="unreachable-reporting-channel",
        ),
        pytest.param(
            lambda d: d["private_collection_agencies"][3].update(contracted_from="2022-01-01"),
            "contracted_to is before contracted_from",
            id="agency-dates-reversed",
        ),
        pytest.param(
            lambda d: d["domains"][0].update(domain="IRS.gov"),
            "domains.0.domain",
            id="domain-not-lower-case",
        ),
        pytest.param(
            lambda d: d.update(schema_version=1),
            "schema_version",
            id="old-schema",
        ),
    ],
)
def test_strict_validation(raw: dict[str, Any], edit: Any, message: str) -> None:
    with pytest.raises(RulesDataError, match=message):
        parse_contacts(_broken(raw, edit))


def test_the_bundled_file_parses(raw: dict[str, Any]) -> None:
    assert len(parse_contacts(raw).phones) == len(raw["phones"])
