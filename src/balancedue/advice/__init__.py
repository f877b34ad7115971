"""Advice built from engine results and rules data: payment options, what happens if nothing is
done, and when to get help.  Pure: no files, no clock, no network; every amount carries the rule
and source it comes from.
"""

from __future__ import annotations
