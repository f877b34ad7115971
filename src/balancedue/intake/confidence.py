"""How sure the reader is of a field, in one set of bands used by every interface.

A field's confidence is a score in [0, 1].  Every place that shows it to a person (``read``,
``analyze``, the case pages, the web review) turns the score into a word through `band`, so
the same score reads the same everywhere.  These are reading-quality thresholds, not tax law.
"""

from __future__ import annotations

from balancedue.intake.models import Confidence

HIGH = 90 / 100  # not law: reader tuning
"""At or above this a field is shown as read ("high"); below it the user is asked to check it."""

REVIEW = 60 / 100  # not law: reader tuning
"""Below this a field is shown as a low-confidence reading."""


def band(score: float, *, found: bool = True) -> Confidence:
    """The word for a confidence score: high, medium, low, or none when nothing was read."""
    if not found:
        return Confidence.NONE
    if score >= HIGH:
        return Confidence.HIGH
    if score >= REVIEW:
        return Confidence.MEDIUM
    return Confidence.LOW


def needs_review(score: float, *, found: bool = True) -> bool:
    """A value was read but not with high confidence: a person should check it."""
    return found and score < HIGH
