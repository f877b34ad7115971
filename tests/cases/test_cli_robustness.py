"""Bad input on the command line is one line and exit 2, never exit 70.

Findings reproduced: exit 70 for ``DATABASE_URL=garbage``, a control character in a letter's
facts and a 12,000-digit amount in a transcript; a 25 MB text notice read for minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from case_harness import notice_pdf

CLI = Path(sys.executable).with_name("balancedue")


def _run(data_dir: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "BALANCEDUE_TEST_PAUSE_AT")}
    base["BALANCEDUE_DATA_DIR"] = str(data_dir)
    return subprocess.run([str(CLI), *args], env={**base, **(env or {})}, capture_output=True, text=True,
                          timeout=180, check=False)


def _one_line_exit_2(done: subprocess.CompletedProcess[str], says: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("balancedue: error:")
    assert says in done.stderr
    assert "Traceback" not in done.stderr


def test_a_garbage_database_url(tmp_path: Path) -> None:
    done = _run(tmp_path, "case", "list", env={"DATABASE_URL": "garbage://not a url"})
    _one_line_exit_2(done, "DATABASE_URL is not a database URL")
    assert "not a url" not in done.stderr  # the URL (it may hold a password) is not repeated


def test_a_control_character_in_letter_facts(tmp_path: Path) -> None:
    pdf, _ = notice_pdf(tmp_path)
    opened = _run(tmp_path / "data", "case", "new", "--notice", str(pdf), "--client", "Avery Tester",
                  "--address", "1 Main St", "--address", "Springfield IL 62701", "--today", "2025-06-05")
    assert opened.returncode == 0, opened.stderr
    done = _run(tmp_path / "data", "letter", "dispute", "1", "--out", str(tmp_path), "--facts", "paid\x07 in full")
    _one_line_exit_2(done, "control character")


def test_a_twelve_thousand_digit_amount_in_a_transcript(tmp_path: Path) -> None:
    transcript = tmp_path / "transcript.txt"
    import make_transcripts

    text = make_transcripts.balance_due().text()
    assert "$9,400.00" in text  # the return's tax line, made 12,000 digits long
    transcript.write_text(text.replace("$9,400.00", f"${'9' * 12000}.00", 1), encoding="utf-8")
    done = _run(tmp_path, "transcript", str(transcript))
    _one_line_exit_2(done, "12,000 digits")


def test_a_text_notice_of_megabytes_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "notice.txt"
    big.write_text("Internal Revenue Service Notice CP14 amount due $1,000.00\n" * 60_000, encoding="utf-8")  # 3.4 MB
    done = _run(tmp_path, "analyze", str(big))
    _one_line_exit_2(done, "more than the 2 MB")
