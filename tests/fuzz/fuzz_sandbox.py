"""Run fuzz inputs in a child process with a memory limit and a time limit per input.

The child is started once (a fresh interpreter: nothing inherited), caps its own
address space with ``RLIMIT_AS`` and then serves inputs one at a time over a pipe.  The parent
waits at most the target's time limit for each answer; a child that runs over is killed and a
new one started for the next input.  Each input gets an empty working folder.

An outcome is one of:

* ``read`` - the target finished (``detail`` holds what it returned, if anything);
* ``refused`` - it raised a ``BalancedueError`` (the message is kept for the one-line check);
* ``crash`` - any other exception (the traceback is kept);
* ``memory`` - ``MemoryError`` under the address-space limit;
* ``timeout`` - no answer within the time limit;
* ``died`` - the child process ended (a signal, or an abort in native code).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

MEMORY_LIMIT_BYTES = 3 * 1024 * 1024 * 1024
"""Address space of the child: the OCR models and one page picture fit several times over."""

MAX_MESSAGE_CHARS = 1000
"""An error message longer than this is not a clear one-line message."""

TALLY: dict[str, Counter[str]] = defaultdict(Counter)
"""Target -> outcome kind -> inputs tried in this process; the test summary prints it."""

_HERE = str(Path(__file__).resolve().parent)


@dataclass(frozen=True)
class Outcome:
    """What one input did."""

    kind: str
    error: str = ""
    message: str = ""
    detail: str = ""

    @property
    def acceptable(self) -> bool:
        """Read, or refused with one clear line."""
        if self.kind == "read":
            return True
        return self.kind == "refused" and clear_message(self.message)

    def describe(self) -> str:
        if self.kind == "refused":
            return f"refused with {self.error}: {self.message[:300]!r} (not one clear line)"
        if self.kind in ("crash", "memory"):
            return f"{self.kind}: {self.error}\n{self.detail}"
        return f"{self.kind}: {self.detail}"


def clear_message(message: str) -> bool:
    """A message a person can read: not empty, one line, not a dump of the input."""
    return bool(message.strip()) and "\n" not in message and "\r" not in message and len(message) <= MAX_MESSAGE_CHARS


def serve(read_fd: int, write_fd: int, memory_limit: int) -> None:  # pragma: no cover - child process
    """The child's loop: set the limits, then answer one input at a time."""
    import decimal
    import resource

    if memory_limit:
        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    # Like the test suite: mixing a float into Decimal arithmetic is an error, not a rounding.
    decimal.getcontext().traps[decimal.FloatOperation] = True
    requests = Connection(read_fd, writable=False)
    answers = Connection(write_fd, readable=False)
    import fuzz_targets

    from balancedue.errors import BalancedueError

    root = Path(tempfile.mkdtemp(prefix="balancedue-fuzz-"))
    answers.send(("ready",))
    while True:
        try:
            name, data = requests.recv()
        except EOFError:
            break
        workdir = root / "input"
        shutil.rmtree(workdir, ignore_errors=True)
        workdir.mkdir()
        answer: tuple[Any, ...]
        try:
            result = fuzz_targets.runner(name)(data, workdir)
            answer = ("read", "", "", result or "")
        except BalancedueError as exc:
            answer = ("refused", type(exc).__name__, str(exc.message))
        except MemoryError:
            answer = ("memory", "MemoryError", "", "")
        except BaseException as exc:
            answer = ("crash", type(exc).__name__, "", traceback.format_exc(limit=12))
        try:
            answers.send(answer)
        except MemoryError:
            answers.send(("memory", "MemoryError", "", "while sending the answer"))
    shutil.rmtree(root, ignore_errors=True)


_CHILD = "import sys; sys.path[:0] = {paths!r}; import fuzz_sandbox; fuzz_sandbox.serve({r}, {w}, {limit})"


class Sandbox:
    """A child process that runs inputs through the targets."""

    def __init__(self, memory_limit: int = MEMORY_LIMIT_BYTES) -> None:
        self.memory_limit = memory_limit
        self._process: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._receive: Connection | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - open for the life of the sandbox
        self.restarts = 0

    def _start(self) -> None:
        to_child_r, to_child_w = os.pipe()
        to_parent_r, to_parent_w = os.pipe()
        paths = [_HERE, *(p for p in sys.path if p)]
        code = _CHILD.format(paths=paths, r=to_child_r, w=to_parent_w, limit=self.memory_limit)
        self._log.seek(0)
        self._log.truncate()
        self._process = subprocess.Popen(
            [sys.executable, "-c", code],
            pass_fds=(to_child_r, to_parent_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        os.close(to_child_r)
        os.close(to_parent_w)
        self._send = Connection(to_child_w, readable=False)
        self._receive = Connection(to_parent_r, writable=False)
        if not self._receive.poll(120):
            self._kill()
            raise RuntimeError("the fuzz sandbox did not start within 120 s")
        try:
            self._receive.recv()
        except EOFError:
            raise RuntimeError(f"the fuzz sandbox did not start: {self._stderr_tail()}") from None

    def _stderr_tail(self) -> str:
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-2000:]

    def _kill(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
        if self._process is not None:
            self._process.wait(10)
        self._process = None
        for conn in (self._send, self._receive):
            if conn is not None:
                conn.close()
        self._send = self._receive = None

    def run(self, target: str, data: bytes, timeout: float) -> Outcome:
        """Run one input; never raises for what the input does."""
        if self._process is None:
            self._start()
        assert self._send is not None
        assert self._receive is not None
        try:
            self._send.send((target, data))
            if not self._receive.poll(timeout):
                self._kill()
                self.restarts += 1
                return Outcome("timeout", detail=f"no answer within {timeout:g} s")
            answer = self._receive.recv()
        except (EOFError, OSError):
            code = self._process.wait(10) if self._process is not None else None
            detail = f"the child process ended (exit code {code}): {self._stderr_tail()}"
            self._kill()
            self.restarts += 1
            return Outcome("died", detail=detail)
        if answer[0] == "memory":
            self._kill()  # a process that ran out of memory may be left in a bad state
            self.restarts += 1
        return Outcome(*answer)

    def close(self) -> None:
        """End the child (it exits when its input pipe closes)."""
        if self._send is not None:
            self._send.close()
            self._send = None
        if self._process is not None:
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
        if self._receive is not None:
            self._receive.close()
            self._receive = None
        self._process = None
        self._log.close()
