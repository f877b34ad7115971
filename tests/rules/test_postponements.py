"""Postponed due dates (IRC 7508A) and blanket failure-to-file relief, as the data says them."""

from __future__ import annotations

from datetime import date

import pytest

from balancedue.errors import InputError, RulesDataError
from balancedue.rules import load_rules
from balancedue.rules.postponements import parse_postponements

POSTPONEMENTS = load_rules().postponements


def test_the_federal_postponement_of_a_year() -> None:
    covid_2019 = POSTPONEMENTS.federal(2019)
    assert covid_2019 is not None
    assert (covid_2019.id, covid_2019.postponed_to) == ("covid_2019", date(2020, 7, 15))
    assert POSTPONEMENTS.federal(2018) is None


def test_a_named_disaster_postponement_wins_when_it_ends_later() -> None:
    # 2020 returns: every filer to 2021-05-17, Texas to 2021-06-15.
    everyone = POSTPONEMENTS.for_year(2020)
    assert everyone is not None
    assert everyone.postponed_to == date(2021, 5, 17)
    texas = POSTPONEMENTS.for_year(2020, "tx-2021-01")
    assert texas is not None
    assert texas.postponed_to == date(2021, 6, 15)


def test_a_named_postponement_must_exist_and_cover_the_year() -> None:
    with pytest.raises(InputError, match=r"'nowhere' is not in the data; known: .*covid_2019"):
        POSTPONEMENTS.get("nowhere")
    with pytest.raises(InputError, match="covers tax year 2022, not 2020"):
        POSTPONEMENTS.for_year(2020, "ca-2023-02")


@pytest.mark.parametrize(
    ("tax_year", "filed", "relieved"),
    [
        (2019, date(2022, 9, 30), True),  # Notice 2022-36: filed by 2022-09-30
        (2020, date(2021, 8, 1), True),
        (2019, date(2022, 10, 1), False),  # a day late
        (2021, date(2022, 5, 1), False),  # not a year it covers
        (2019, None, False),  # not filed
    ],
)
def test_blanket_failure_to_file_relief(tax_year: int, filed: date | None, relieved: bool) -> None:
    relief = POSTPONEMENTS.ftf_relief(tax_year, filed)
    assert (relief is not None) is relieved
    if relief is not None:
        assert relief.id == "notice_2022_36"


def test_a_repeated_id_in_the_data_is_refused() -> None:
    entry = {
        "id": "x", "kind": "federal", "title": "a postponement", "tax_years": [2019], "original_due": "2020-04-15",
        "postponed_to": "2020-07-15", "covers": ["filing"], "area": "all",
        "source": {"citation": "Notice 2020-23", "url": "https://www.irs.gov", "retrieved": "2026-12-03", "verification": "primary"},
    }
    with pytest.raises(RulesDataError, match="duplicate postponement id"):
        parse_postponements({"schema_version": 1, "postponements": [entry, entry]})


def test_helene_north_carolina_was_postponed_further_than_the_other_states() -> None:
    # IR-2024-253 (2024-10-01): 2024 returns due 2025-04-15 postponed to 2025-05-01 in the
    # Helene areas; NC-2025-01 (2025-04-17): "The new deadline is September 25, 2025, replacing
    # the previous deadline of May 1, 2025" for all of North Carolina (both read through KPMG).
    others = POSTPONEMENTS.for_year(2024, "helene-2024")
    north_carolina = POSTPONEMENTS.for_year(2024, "helene-2024-nc")
    assert others is not None
    assert north_carolina is not None
    assert others.postponed_to == date(2025, 5, 1)
    assert "North Carolina" not in others.area.split("(")[0]
    assert north_carolina.postponed_to == date(2025, 9, 25)
    assert north_carolina.area == "all of North Carolina"


def test_covid_2019_rests_on_the_treasury_release() -> None:
    # Treasury release SM-953 (as copied by 18F): "Tax filings and payments for all federal
    # income taxes ... due on April 15, 2020, regardless of amount, will now be due on July 15,
    # 2020 ... no interest or penalties will be assessed in connection with this extension."
    covid_2019 = POSTPONEMENTS.get("covid_2019")
    assert (covid_2019.original_due, covid_2019.postponed_to) == (date(2020, 4, 15), date(2020, 7, 15))
    assert set(covid_2019.covers) == {"filing", "payment"}
    assert covid_2019.source.verification.value == "mirror"
