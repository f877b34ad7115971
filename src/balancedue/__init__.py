"""balancedue: read, verify and answer IRS balance-due notices, locally and to the cent."""

from __future__ import annotations

__version__ = "0.1.0"
