"""Where a figure comes from, and how well that has been checked.

Every value in the rules data carries a :class:`Source`.  ``verification`` says how close to the
law the figure was seen:

* ``primary``    - read on an official page or in the statute/regulation itself
  (irs.gov, uscode.house.gov, ecfr.gov, govinfo.gov, federalregister.gov);
* ``mirror``     - an official document seen only through a third-party copy;
* ``secondary``  - a practitioner page, news item or public code; used only where nothing
  better was found, and shown as such to the user;
* ``unverified`` - cited from memory or by one source that could not be checked.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Verification(StrEnum):
    """How well a figure in the rules data has been checked against the law."""

    PRIMARY = "primary"
    MIRROR = "mirror"
    SECONDARY = "secondary"
    UNVERIFIED = "unverified"

    @property
    def rank(self) -> int:
        """Lower is better: primary 0 ... unverified 3."""
        return _RANK[self]


_RANK = {level: position for position, level in enumerate(Verification)}


class FrozenModel(BaseModel):
    """Base for every rules-data model: immutable, and unknown fields are an error."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, defer_build=True)


class Source(FrozenModel):
    """The legal citation and document behind one figure."""

    citation: str = Field(
        min_length=3, description="IRC section, regulation, Rev. Proc., IRM or form line"
    )
    url: str | None = Field(default=None, description="where the document was read")
    retrieved: date | None = Field(
        default=None, description="the date the figure was last verified"
    )
    verification: Verification = Verification.PRIMARY
    note: str | None = None

    def short(self) -> str:
        """One line for a report: citation, then the verification when it is not primary."""
        text = self.citation
        if self.verification is not Verification.PRIMARY:
            text += f" [{self.verification.value}]"
        return text
