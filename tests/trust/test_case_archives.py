"""Hostile case archives: the corpus is checked now; ``case import`` runs on it once it exists.

``balancedue case import FILE`` must refuse every archive with exit code 2 and one line, and
write nothing: no file escapes the data folder (``../``, absolute paths, symlinks) and no
gigabyte is inflated.  Until the case store is part of the build, the import tests report
themselves as pending.
"""

from __future__ import annotations

import importlib.util
import stat
import struct
import zipfile
from pathlib import Path

import make_hostile
import pytest
from fuzz_sandbox import Sandbox
from trust_cli import TALLY, run_cli

ZIPS = [str(item["file"]) for item in make_hostile.catalog() if item["group"] == "case-zip"]
ESCAPE_NAME = "balancedue-escape.txt"


@pytest.fixture(scope="module")
def corpus() -> Path:
    make_hostile.build_corpus()
    return make_hostile.DEFAULT_OUTPUT


def _names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return archive.namelist()


def test_the_archives_are_hostile(corpus: Path) -> None:
    assert "../../balancedue-escape.txt" in _names(corpus / "case_dotdot.zip")
    assert "/tmp/balancedue-escape.txt" in _names(corpus / "case_absolute.zip")
    with zipfile.ZipFile(corpus / "case_symlink.zip") as archive:
        link = archive.getinfo("documents/passwd")
        assert stat.S_ISLNK(link.external_attr >> 16)
        assert archive.read(link) == b"/etc/passwd"
    with zipfile.ZipFile(corpus / "case_bomb_1gb.zip") as archive:
        assert archive.getinfo("documents/notice.pdf").file_size == 1024**3
    assert (corpus / "case_bomb_1gb.zip").stat().st_size < 2 * 1024**2
    data = (corpus / "case_declares_10gb.zip").read_bytes()
    assert struct.pack("<Q", 10 * 1024**3) in data
    names = _names(corpus / "case_duplicate_names.zip")
    assert names.count("manifest.json") == 2
    assert len(_names(corpus / "case_many_entries.zip")) == 20_001


def _case_import_available() -> bool:
    if importlib.util.find_spec("balancedue.services.cases") is None:
        return False
    from balancedue.services import cases

    return hasattr(cases, "import_case")


@pytest.mark.parametrize("name", ZIPS)
def test_case_import_refuses_the_archive_and_writes_nothing(sandbox: Sandbox, corpus: Path, tmp_path: Path, name: str) -> None:
    if not _case_import_available():
        pytest.skip("pending: `balancedue case import` is not part of this build yet")
    work = tmp_path / "a" / "b" / "c"
    data_dir = work / "data"
    data_dir.mkdir(parents=True)
    outside = [Path("/tmp") / ESCAPE_NAME, tmp_path / ESCAPE_NAME, tmp_path / "a" / ESCAPE_NAME, work / ESCAPE_NAME]
    for path in outside:
        path.unlink(missing_ok=True)
    run = run_cli(
        sandbox, ["case", "import", str(corpus / name)], cwd=work,
        env={"BALANCEDUE_DATA_DIR": str(data_dir)}, timeout=120,
    )
    TALLY["hostile: case import"]["refused" if run.exit_code == 2 else "failed"] += 1
    assert not run.problem, run.problem
    assert run.exception is None, run.exception
    assert run.exit_code == 2, f"exit {run.exit_code}: {run.stdout[-500:]} {run.stderr[-500:]}"
    assert len(run.stderr_lines) == 1, run.stderr_lines
    assert run.stderr_lines[0].startswith("balancedue: error: ")
    assert "Traceback" not in run.stdout + run.stderr
    assert not [p for p in outside if p.exists()], "an archive entry was written outside the data folder"
    assert not list(tmp_path.rglob(ESCAPE_NAME)), "an archive entry was written"
    assert not [p for p in data_dir.rglob("*") if p.is_file() and p.stat().st_size > 100 * 1024**2], "a bomb was inflated"
