"""Short fuzz pass: every target either reads an input or refuses it with one clear line.

Each input runs in a child process with a memory limit and a time limit
(``fuzz_sandbox``); any other exception, a hang or a memory blow-up fails the test with the
input that did it.  The pass is derandomized so it tries the same inputs on every run; the
long, random runs are ``make fuzz`` (atheris).  ``FUZZ_EXAMPLES`` sets the number of inputs for
each light target; the document target (PDFs and pictures, read by OCR) tries a third as many.
"""

from __future__ import annotations

import os

import pytest
from fuzz_sandbox import TALLY, Sandbox
from fuzz_strategies import STRATEGIES, seed_inputs
from fuzz_targets import TARGETS
from hypothesis import HealthCheck, given, settings

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))


def _check(sandbox: Sandbox, target: str, data: bytes) -> None:
    outcome = sandbox.run(target, data, TARGETS[target].timeout)
    TALLY[target][outcome.kind] += 1
    assert outcome.acceptable, f"{target}: {outcome.describe()}\ninput ({len(data)} bytes): {data[:400]!r}"


def _settings(target: str) -> settings:
    count = max(1, EXAMPLES // 3) if TARGETS[target].heavy else EXAMPLES
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


def _fuzz_test(target: str):  # type: ignore[no-untyped-def]
    @_settings(target)
    @given(data=STRATEGIES[target])
    def test(sandbox: Sandbox, data: bytes) -> None:
        _check(sandbox, target, data)

    test.__name__ = f"test_fuzz_{target.replace('-', '_')}"
    test.__doc__ = f"Fuzz {TARGETS[target].what}."
    return test


test_fuzz_notice_text = _fuzz_test("notice-text")
test_fuzz_notice_document = _fuzz_test("notice-document")
test_fuzz_transcript = _fuzz_test("transcript")
test_fuzz_scenario = _fuzz_test("scenario")
test_fuzz_records = _fuzz_test("records")
test_fuzz_finances = _fuzz_test("finances")
test_fuzz_estimated_tax = _fuzz_test("estimated-tax")
test_fuzz_scam = _fuzz_test("scam")


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_seed_inputs_are_read(sandbox: Sandbox, target: str) -> None:
    """The seeds are real inputs: each is read (so a target that refuses everything is caught)."""
    for data in seed_inputs(target):
        outcome = sandbox.run(target, data, TARGETS[target].timeout)
        TALLY[target][outcome.kind] += 1
        assert outcome.kind == "read", f"{target}: a seed input was not read: {outcome.describe()}"


def test_the_sandbox_reports_a_hang_and_a_memory_blow_up(sandbox: Sandbox) -> None:
    """The limits work: the sandbox turns a hang and a blow-up into failures, not a stuck run."""
    assert sandbox.run("_sleep", b"", 1).kind == "timeout"
    assert sandbox.run("_allocate", b"", 20).kind in ("memory", "died")
    assert sandbox.run("_crash", b"", 20).kind == "crash"
    assert sandbox.run("scam", b"tPay with gift cards today", 20).kind == "read"
