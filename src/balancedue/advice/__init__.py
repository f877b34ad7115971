"""Advice built from engine results and rules data: deadlines, verification, options, triage.

Pure: no files, no clock (``today`` is an argument), no network.
"""

from __future__ import annotations
