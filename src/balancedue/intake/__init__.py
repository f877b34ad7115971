"""Reading documents: the text of IRS notices and transcripts turned into typed, frozen values.

Parsers here are pure (text in, dataclasses out); reading files and PDFs is done in ``services``.
"""

from __future__ import annotations
