"""One atheris (libFuzzer) fuzz target: ``python fuzz/fuzz_main.py TARGET [libFuzzer options] [CORPUS...]``.

The targets are those of the short pass (``tests/fuzz/fuzz_targets.py``); the contract is the
same: an input is read, or refused with a ``BalancedueError`` whose message is one clear line.
Any other exception is a crash that libFuzzer saves with the input.  Time and memory per input
are bounded by libFuzzer's ``-timeout`` and ``-rss_limit_mb`` (``fuzz/run_all.py`` sets both).
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fuzz"))

with atheris.instrument_imports(include=["balancedue", "pdfminer", "pdfplumber", "yaml", "email"]):
    import fuzz_targets
    from fuzz_sandbox import clear_message

    import balancedue.intake
    import balancedue.services.analyze
    import balancedue.services.compute
    import balancedue.services.estimated_tax
    import balancedue.services.scam
    import balancedue.services.transcripts
    from balancedue.errors import BalancedueError

_ = (balancedue.intake, balancedue.services.analyze, balancedue.services.compute, balancedue.services.estimated_tax,
     balancedue.services.scam, balancedue.services.transcripts)


def main() -> None:
    target = fuzz_targets.TARGETS[sys.argv[1]]
    workdir = Path(tempfile.mkdtemp(prefix=f"balancedue-fuzz-{target.name}-"))

    def test_one_input(data: bytes) -> None:
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir()
        try:
            target.run(data, workdir)
        except BalancedueError as exc:
            if not clear_message(exc.message):
                raise AssertionError(f"{type(exc).__name__} without one clear line: {exc.message[:300]!r}") from None

    atheris.Setup([sys.argv[0], *sys.argv[2:]], test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
