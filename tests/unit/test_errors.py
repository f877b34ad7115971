"""Errors a person reads: one line, never a full taxpayer id, shortened in the middle when long."""

from __future__ import annotations

import pytest

from balancedue.errors import MAX_MESSAGE_CHARS, BalancedueError, InputError, one_line

# A fictional id in the SSN shape, built here so that no full number sits in the source.
FULL_ID = "-".join(["987", "65", "4321"])


def test_a_message_is_one_line_without_the_full_id() -> None:
    error = InputError(f"bad value\n{FULL_ID} in field\r\nthree")
    assert error.message == "bad value XXX-XX-4321 in field three"
    assert str(error) == error.message
    assert "\n" not in error.message


def test_a_long_message_is_shortened_in_the_middle() -> None:
    text = "a" * 500 + "MIDDLE" + "z" * 500
    flat = one_line(text)
    # keep = 600 // 2 = 300 characters of the start and 300 // 2 = 150 of the end.
    assert flat == "a" * 300 + " [...] " + "z" * 150
    assert len(flat) == 300 + len(" [...] ") + 150
    assert one_line("x" * MAX_MESSAGE_CHARS) == "x" * MAX_MESSAGE_CHARS  # at the limit: kept whole


def test_bad_input_exits_with_2() -> None:
    assert BalancedueError.exit_code == 2
    with pytest.raises(BalancedueError):
        raise InputError("no")
    assert InputError("no").exit_code == 2
