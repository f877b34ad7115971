"""Private folders for temporary files, removed on every way out.

A backup, an encrypted export or import and a restore need a plain copy of case data for a
moment.  It is made in ``<data folder>/tmp/<what>-<pid>-<random>`` - created with a fresh name
(``mkdtemp``: ``O_EXCL``, mode 0700) inside a folder only the user can enter - never in the shared
``/tmp``, and removed when the work ends, fails or is interrupted.  A process killed outright
(``SIGKILL``) cannot remove anything, so every new work folder first removes those of processes
that no longer run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

WORK_FOLDER = "tmp"


def private_folder(path: Path) -> Path:
    """``path`` created if needed, and made 0700 when it is ours and open to others."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    status = path.lstat()
    if stat.S_ISLNK(status.st_mode) or not stat.S_ISDIR(status.st_mode):
        raise OSError(f"{path} is not a folder")
    if status.st_uid == os.getuid() and stat.S_IMODE(status.st_mode) & 0o077:
        os.chmod(path, 0o700)
    return path


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_abandoned(root: Path) -> list[Path]:
    """Work folders under ``root`` whose process is gone, removed; their paths."""
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    for child in root.iterdir():
        parts = child.name.split("-")
        if len(parts) < 3 or not parts[-2].isdigit():
            continue
        if int(parts[-2]) != os.getpid() and not _running(int(parts[-2])):
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)
            removed.append(child)
    return removed


@contextlib.contextmanager
def work_folder(data_dir: Path, what: str) -> Iterator[Path]:
    """A fresh private folder under ``data_dir/tmp`` for the length of the ``with`` block."""
    root = private_folder(private_folder(data_dir) / WORK_FOLDER)
    remove_abandoned(root)
    folder = Path(tempfile.mkdtemp(prefix=f"{what}-{os.getpid()}-", dir=root))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
