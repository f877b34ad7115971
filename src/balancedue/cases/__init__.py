"""The case store: clients, cases, documents, deadlines and a tamper-evident journal.

A Django app (``balancedue.cases``) whose rows never leave it: :mod:`.store` hands out the plain
records of :mod:`.records`.  :mod:`.records`, :mod:`.chain` and :mod:`.blobs` import no Django,
so reports and tests can use them without a configured project.
"""

from __future__ import annotations
