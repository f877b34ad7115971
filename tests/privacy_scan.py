"""The privacy scan after the whole test session: no full SSN, ITIN or EIN in anything kept.

Everything the suite leaves behind lies under the session's temporary folder (pytest's base
temporary folder; under pytest-xdist each worker's folder is inside the controller's):

* every file the tests and the commands they ran wrote, including ``TMPDIR``, which points
  there for the whole session (see tests/conftest.py) so child processes write there too;
* every SQLite database, read table by table, and a text dump of each database taken just
  before the case harness empties it for the next test (``database-dumps/``), the PostgreSQL
  test database among them (dumped once more when the session ends);
* every stored document, and the journal (a table of those databases);
* every page the web tests rendered (``pages/``: the test client's responses and the browser's
  HTML, recorded as they are served).

Files are read by what they are: SQLite databases by query, PDFs through the project's own PDF
text reader (every page's text layer and the document's metadata), DOCX, ZIP (and the case
export), tar and gzip archives member by member, HTML, ICS, JSON, CSV and plain text as text.
An encrypted case export cannot be read without its passphrase and images are not read by OCR:
both are counted in the summary, not passed over silently.

A full id is what :mod:`balancedue.identifiers` (the product's one detector) finds, plus any
spelling of the fictional ids of tests/fixtures/sample_ids.py.  Hex digests (32 hex digits and
more: SHA-256 names, hash-chain links) and UUIDs are left out before the check: their digit
runs are not ids.

Exemptions are explicit and narrow: a file is not reported when its bytes are exactly those of a
test input that deliberately holds a full id - a file under tests/fixtures/, or one a test
declared with :func:`declare_input` (the stored copy of such an input, kept under its SHA-256,
is the same bytes).  Nothing else is exempt.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import html
import io
import json
import os
import re
import sqlite3
import sys
import tarfile
import tempfile
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

import sample_ids  # noqa: E402

from balancedue import identifiers  # noqa: E402

SYSTEM_TEMP = os.environ.get("BALANCEDUE_TEST_SYSTEM_TEMP") or tempfile.gettempdir()
"""The computer's temporary folder, outside the scanned area (read before the session points
``TMPDIR`` into it; child test processes get it from the environment)."""
os.environ["BALANCEDUE_TEST_SYSTEM_TEMP"] = SYSTEM_TEMP

AREA_ENV = "BALANCEDUE_TEST_SCAN_AREA"
"""The folder of this test process's records for the scan (pages, database dumps, declared inputs)."""

DECLARED = "declared-inputs.txt"
MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files (the hostile inputs) are counted as not read; the suite writes no output that big."""
MAX_DEPTH = 4
"""Archives inside archives are opened this deep."""

_DIGEST = re.compile(r"(?i)(?<![0-9a-f])[0-9a-f]{32,}(?![0-9a-f])")
_UUID = re.compile(r"(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SAMPLE_DIGITS = sorted(
    {re.sub(r"\D", "", value) for name, value in vars(sample_ids).items() if name.isupper() and isinstance(value, str)}
    - {""}
)
_SAMPLES = [
    re.compile(rf"(?<!\d){d[:3]}\D{{0,3}}{d[3:5]}\D{{0,3}}{d[5:]}(?!\d)") for d in _SAMPLE_DIGITS if len(d) == 9
]
_TAGS = re.compile(r"<[^>]{0,2000}>")


@dataclass(frozen=True)
class Finding:
    """A full id found in one place; ``shown`` is its masked form (the log keeps no full id)."""

    path: str
    location: str
    shown: str

    def line(self) -> str:
        return f"{hide_ids(self.path)}:{self.location}: a full taxpayer id ({self.shown})"


@dataclass
class ScanResult:
    """What the scan read and what it found."""

    findings: list[Finding] = field(default_factory=list)
    read: Counter[str] = field(default_factory=Counter)
    not_read: Counter[str] = field(default_factory=Counter)
    exempt: list[str] = field(default_factory=list)

    def summary(self) -> str:
        read = ", ".join(f"{n} {kind}" for kind, n in sorted(self.read.items()))
        unread = ", ".join(f"{n} {kind}" for kind, n in sorted(self.not_read.items()))
        return (f"read: {read or 'nothing'}; not read: {unread or 'nothing'}; "
                f"exempt test inputs: {len(self.exempt)}; full ids found: {len(self.findings)}")


def full_ids(text: str) -> list[str]:
    """Every full id in ``text`` (digests and UUIDs left out first)."""
    if not any(ch.isdigit() for ch in text):
        return []
    text = _UUID.sub(" ", _DIGEST.sub(" ", text))
    found = identifiers.find(text)
    found.extend(m.group() for pattern in _SAMPLES for m in pattern.finditer(text))
    return found


def shown(found: str) -> str:
    """A found id as the scan may print it: every digit but the last four replaced by ``X``."""
    digits = [index for index, ch in enumerate(found) if ch.isdecimal()]
    hidden = set(digits[:-4])
    return "".join("X" if index in hidden else ch for index, ch in enumerate(found))


def hide_ids(text: str) -> str:
    """``text`` with every full id in it shown as :func:`shown` does (a file name may hold one)."""
    text = identifiers.mask(text)
    for pattern in _SAMPLES:
        text = pattern.sub(lambda m: shown(m.group()), text)
    return text


def declare_input(path: Path) -> Path:
    """Mark ``path``, a test's own input that holds a full id on purpose, as exempt (by its bytes)."""
    area = os.environ.get(AREA_ENV)
    if area:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        with open(Path(area) / DECLARED, "a", encoding="utf-8") as stream:
            stream.write(f"{digest} {path}\n")
    return path


def declare_inputs(folder: Path) -> Path:
    """:func:`declare_input` for every file under ``folder`` (a set of inputs built by a fixture)."""
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            declare_input(path)
    return folder


RULE_DATA = ROOT / "src" / "balancedue" / "rules" / "data"
"""The project's rule data: tests copy it (the rules cache); its sources' URLs hold 9-digit report numbers."""


def fixture_digests() -> set[str]:
    """SHA-256 of every file under tests/fixtures/ (inputs; some hold a full id on purpose) and of
    the project's rule data files."""
    digests = set()
    for path in (*FIXTURES.rglob("*"), *RULE_DATA.rglob("*")):
        if path.is_file():
            with contextlib.suppress(OSError):
                digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
    return digests


def declared_digests(root: Path) -> set[str]:
    """The inputs the tests declared, in every process's record under ``root``."""
    digests = set()
    for record in root.rglob(DECLARED):
        for line in record.read_text(encoding="utf-8").splitlines():
            if line.strip():
                digests.add(line.split(" ", 1)[0])
    return digests


# --- reading each kind of file ----------------------------------------------------------------------


def _text_of(data: bytes) -> str | None:
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else None
        except UnicodeDecodeError:
            return None


def _lines(text: str) -> Iterator[tuple[str, str]]:
    for number, line in enumerate(text.splitlines(), start=1):
        yield f"line {number}", line


def _sqlite_rows(path: Path) -> Iterator[tuple[str, str]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            cursor = connection.execute(f'SELECT rowid, * FROM "{table}"')
            columns = [d[0] for d in cursor.description]
            for row in cursor:
                for column, value in zip(columns[1:], row[1:], strict=True):
                    if isinstance(value, bytes):
                        value = value.decode("utf-8", "replace")
                    if value is not None:
                        yield f"{table}.{column} (row {row[0]})", str(value)
    finally:
        connection.close()


def _pdf_pieces(data: bytes) -> Iterator[tuple[str, str]]:
    from balancedue.intake.pdf import read_pdf

    document, pages = read_pdf(data, "output.pdf")
    try:
        for key, value in document.get_metadata_dict().items():
            yield f"metadata {key}", str(value)
        for number, (lines, _width, _height) in sorted(pages.text_pages.items()):
            for index, line in enumerate(lines, start=1):
                yield f"page {number} line {index}", line.text
        if pages.scanned_pages:
            # Pages with too little text to be read as a notice's text layer still hold that text.
            import pdfplumber

            with pdfplumber.open(io.BytesIO(data)) as plumber:
                for number in pages.scanned_pages:
                    text = plumber.pages[number - 1].extract_text() or ""
                    for index, line in enumerate(text.splitlines(), start=1):
                        yield f"page {number} line {index}", line
    finally:
        document.close()


_RUN_TAGS = re.compile(r"<w:rPr>.*?</w:rPr>|</?w:(?:r|t)(?:\s[^>]*)?>", re.DOTALL)


def _xml_text(text: str) -> str:
    """The text of an XML or HTML part: a DOCX paragraph's runs joined, one paragraph a line,
    every other tag a space (values of neighbouring elements are not glued together)."""
    text = re.sub(r"</w:p>|<w:br/>|</p>|<br\s*/?>", "\n", text)
    return html.unescape(_TAGS.sub(" ", _RUN_TAGS.sub("", text)))


class _Reader:
    def __init__(self, result: ScanResult, exempt: set[str]) -> None:
        self.result = result
        self.exempt = exempt
        self.seen: dict[str, list[tuple[str, str, str]]] = {}
        """Findings by content (SHA-256): a copy of bytes already read is not read again."""

    def report(self, where: str, pieces: Iterable[tuple[str, str]]) -> None:
        for location, text in pieces:
            seen: set[str] = set()
            for found in full_ids(text):
                digits = "".join(ch for ch in found if ch.isdecimal())
                if digits[-9:] not in seen:  # the same id found by more than one pattern
                    seen.add(digits[-9:])
                    self.result.findings.append(Finding(where, location, shown(found)))

    def data(self, where: str, name: str, data: bytes, depth: int = 0) -> None:
        """Read one file's bytes (or an archive member's) by what they are."""
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.exempt:
            self.result.exempt.append(where)
            return
        if digest in self.seen:
            self.result.read["copies of content already read"] += 1
            for path, location, shown in self.seen[digest]:
                self.result.findings.append(Finding(where + path, location, shown))
            return
        before = len(self.result.findings)
        self._read(where, name, data, depth)
        self.seen[digest] = [(f.path[len(where):], f.location, f.shown) for f in self.result.findings[before:]
                             if f.path.startswith(where)]

    def _read(self, where: str, name: str, data: bytes, depth: int) -> None:
        lower = name.lower()
        if data.startswith(b"%PDF"):
            try:
                self.report(where, list(_pdf_pieces(data)))
                self.result.read["PDF"] += 1
            except Exception:  # a damaged PDF a test wrote on purpose: read as text if it is text
                text = _text_of(data)
                if text is None:
                    self.result.not_read["damaged PDFs"] += 1
                else:
                    self.result.read["text"] += 1
                    self.report(where, _lines(text))
        elif data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
            self.zip(where, data, depth)
        elif data.startswith(b"BDXCASE\x00"):
            self.result.not_read["encrypted exports (no passphrase)"] += 1
        elif data.startswith(b"\x1f\x8b"):
            try:
                inner = gzip.decompress(data)
            except (OSError, EOFError):
                self.result.not_read["damaged gzip files"] += 1
                return
            self.nested(where, lower.removesuffix(".gz"), inner, depth)
        elif lower.endswith(".tar") or data[257:262] == b"ustar":
            self.tar(where, data, depth)
        elif data.startswith(b"SQLite format 3\x00"):
            self.result.not_read["SQLite databases inside archives"] += 1
        elif data[:8] in (b"\x89PNG\r\n\x1a\n",) or data[:3] == b"\xff\xd8\xff" or data[:4] in (b"II*\x00", b"MM\x00*"):
            self.result.not_read["images (not read by OCR)"] += 1
        else:
            text = _text_of(data)
            if text is None:
                self.result.not_read["other binary files"] += 1
                return
            if lower.endswith((".html", ".htm", ".xml", ".svg")) or text.lstrip().startswith("<"):
                text = _xml_text(text)
                kind = "HTML/XML"
            elif lower.endswith(".json"):
                kind = "JSON"
                with contextlib.suppress(ValueError):
                    text = json.dumps(json.loads(text), ensure_ascii=False, indent=0)
            elif lower.endswith(".ics"):
                kind = "ICS"
                text = text.replace("\r\n ", "").replace("\n ", "")  # unfold folded lines
            else:
                kind = "text"
            self.result.read[kind] += 1
            self.report(where, _lines(text))

    def nested(self, where: str, name: str, data: bytes, depth: int) -> None:
        if depth >= MAX_DEPTH:
            self.result.not_read["archives nested too deep"] += 1
            return
        self.data(where, name, data, depth + 1)

    def zip(self, where: str, data: bytes, depth: int) -> None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            self.result.not_read["damaged ZIP files"] += 1
            return
        self.result.read["ZIP/DOCX"] += 1
        with archive:
            for info in archive.infolist():
                self.report(f"{where}!{info.filename}", [("member name", info.filename)])
                if info.is_dir() or info.file_size > MAX_FILE_BYTES:
                    continue
                try:
                    member = archive.read(info)
                except (zipfile.BadZipFile, RuntimeError, OSError, ValueError):
                    self.result.not_read["damaged ZIP members"] += 1
                    continue
                self.nested(f"{where}!{info.filename}", info.filename, member, depth)

    def tar(self, where: str, data: bytes, depth: int) -> None:
        try:
            archive = tarfile.open(fileobj=io.BytesIO(data))  # noqa: SIM115 - closed by the with below
        except tarfile.TarError:
            self.result.not_read["damaged tar files"] += 1
            return
        self.result.read["tar"] += 1
        with archive:
            for member in archive.getmembers():
                self.report(f"{where}!{member.name}", [("member name", member.name)])
                if not member.isfile() or member.size > MAX_FILE_BYTES:
                    continue
                stream = archive.extractfile(member)
                if stream is not None:
                    self.nested(f"{where}!{member.name}", member.name, stream.read(), depth)

    def file(self, path: Path, shown: str) -> None:
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                self.report(shown, [("file name", path.name)])
                self.result.not_read["files over 64 MB"] += 1
                return
            if hashlib.sha256(path.read_bytes()).hexdigest() in self.exempt:
                self.result.exempt.append(shown)  # a test's own input, its name included
                return
            self.report(shown, [("file name", path.name)])
            with path.open("rb") as stream:
                head = stream.read(16)
            if head.startswith(b"SQLite format 3\x00"):
                self.report(shown, _sqlite_rows(path))
                self.result.read["SQLite databases"] += 1
                return
            data = path.read_bytes()
        except (OSError, sqlite3.Error):
            self.result.not_read["files that could not be opened"] += 1
            return
        self.data(shown, path.name, data)


SKIPPED_SUFFIXES = ("-wal", "-shm", "-journal", ".lock", ".part")
"""SQLite's side files (their pages are read through the database) and half-written files."""


def scan(root: Path, *, exempt: set[str] | None = None) -> ScanResult:
    """Read every file under ``root``; each full id found is a finding."""
    result = ScanResult()
    reader = _Reader(result, exempt if exempt is not None else fixture_digests() | declared_digests(root))
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(folder) / name
            if name == DECLARED or name.endswith(SKIPPED_SUFFIXES) or path.is_symlink() or not path.is_file():
                continue
            reader.file(path, str(path.relative_to(root)))
        for name in dirnames:
            reader.report(str((Path(folder) / name).relative_to(root)), [("folder name", name)])
    return result


# --- records the test processes keep for the scan ------------------------------------------------

STATIC_TABLES = frozenset({"django_migrations", "django_content_type", "auth_permission"})
"""Tables every migrated database holds the same rows of."""

_dump_count = 0


def _dump_file(kind: str) -> Path | None:
    global _dump_count
    area = os.environ.get(AREA_ENV)
    if not area:
        return None
    folder = Path(area) / "database-dumps"
    folder.mkdir(exist_ok=True)
    _dump_count += 1
    return folder / f"{kind}-{os.getpid()}-{_dump_count:05d}.txt"


def _write_rows(target: Path, rows: Iterable[tuple[str, str]]) -> None:
    with target.open("w", encoding="utf-8") as stream:
        for location, value in rows:
            stream.write(f"{location}: {value}\n".replace("\r", " "))


def dump_sqlite(path: Path) -> None:
    """A text dump of the SQLite database at ``path`` (before the harness replaces it)."""
    target = _dump_file("sqlite")
    if target is None or not path.exists():
        return
    _write_rows(target, ((where, value.replace("\n", " ")) for where, value in _sqlite_rows(path)
                         if where.split(".", 1)[0] not in STATIC_TABLES))


def dump_postgres(connection: object, target: Path | None = None) -> None:
    """A text dump of every table of the PostgreSQL database (a psycopg connection)."""
    target = target or _dump_file("postgresql")
    if target is None:
        return
    target.parent.mkdir(parents=True, exist_ok=True)

    def rows() -> Iterator[tuple[str, str]]:
        cursor = connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                       "AND table_type = 'BASE TABLE' ORDER BY table_name")
        for (table,) in cursor.fetchall():
            if table in STATIC_TABLES:
                continue
            cursor.execute(f'SELECT * FROM "{table}"')
            columns = [getattr(d, "name", None) or d[0] for d in cursor.description]
            for number, row in enumerate(cursor.fetchall(), start=1):
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, (bytes, memoryview)):
                        value = bytes(value).decode("utf-8", "replace")
                    if value is not None:
                        text = json.dumps(value, default=str) if isinstance(value, (dict, list)) else str(value)
                        yield f"{table}.{column} (row {number})", text.replace("\n", " ")

    _write_rows(target, rows())


_page_count = 0


def record_page(path: str, content_type: str, body: bytes) -> None:
    """Keep a page (or a download) the suite was served, for the scan."""
    global _page_count
    area = os.environ.get(AREA_ENV)
    if not area:
        return
    folder = Path(area) / "pages"
    folder.mkdir(exist_ok=True)
    _page_count += 1
    kind = content_type.split(";")[0].strip().lower()
    suffix = {"text/html": ".html", "application/json": ".json", "text/calendar": ".ics", "application/pdf": ".pdf",
              "text/csv": ".csv", "application/zip": ".zip"}.get(kind, ".bin" if not kind.startswith("text/") else ".txt")
    (folder / f"page-{os.getpid()}-{_page_count:05d}{suffix}").write_bytes(body)


def record_browser_pages(browser: object) -> object:
    """Have every browser context made from ``browser`` (Playwright) keep the pages and downloads
    the live server sends, for the scan; returns ``browser``."""
    made = browser.new_context  # type: ignore[attr-defined]

    def keep(route: object) -> None:
        request = route.request  # type: ignore[attr-defined]
        # Pages and data the browser asks for; a form or an upload (POST) goes to the server untouched,
        # and the page it leads to (a redirect, then a GET) is recorded.
        if request.method != "GET" or request.resource_type not in ("document", "xhr", "fetch"):
            route.continue_()  # type: ignore[attr-defined]
            return
        # Fetched as the browser would have, redirects and cookies left to the browser itself.
        response = route.fetch(max_redirects=0)  # type: ignore[attr-defined]
        record_page(request.url, response.headers.get("content-type", ""), response.body())
        route.fulfill(response=response)  # type: ignore[attr-defined]

    def new_context(*args: object, **kwargs: object) -> object:
        context = made(*args, **kwargs)
        context.route("**/*", keep)
        return context

    browser.new_context = new_context  # type: ignore[attr-defined]
    return browser
