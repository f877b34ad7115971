"""Pure computation: money, interest, penalties, ledgers, deadlines.

No I/O, no clock, no environment: every function takes its dates and its rule set as arguments.
"""

from __future__ import annotations
