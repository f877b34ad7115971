"""Case archives: one zip that carries a case to another machine and back, verifiably.

Members (and nothing else):

* ``manifest.json`` - format and version, the case (client, deadlines, documents' details),
  the SHA-256 of every other member, and the case's fingerprint;
* ``journal.json`` - every journal entry with its hashes;
* ``documents/<sha256>`` - each document's bytes, named by their hash;
* ``case-report.pdf`` - the case summary for people.

Import checks everything before it writes anything: only those names, no absolute or ``..``
paths, no links, sizes within limits, every member's hash, the journal's chain and the documents
it sealed.  A case that is already here is left alone when it is identical, and refused when
its content differs.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import secrets
import stat
import zipfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError

from balancedue.cases.archive_schema import (
    MAX_DOCUMENT_BYTES,
    ArchiveEntry,
    ArchiveManifest,
    case_file_from,
)
from balancedue.cases.blobs import CHUNK, SHA256_NAME, DocumentFolder
from balancedue.cases.chain import (
    GENESIS,
    canonical_json,
    check_chain,
    check_payload,
    check_sealed_documents,
    entry_hash,
    format_moment,
)
from balancedue.cases.errors import CaseArchiveError, CaseConflictError
from balancedue.cases.integrity import case_data
from balancedue.cases.records import (
    CaseFile,
    CaseRecord,
    JournalKind,
    JournalRecord,
)
from balancedue.identifiers import mask, mask_value

if TYPE_CHECKING:
    from balancedue.cases.store import CaseStore

FORMAT = "balancedue-case"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
JOURNAL = "journal.json"
REPORT = "case-report.pdf"
DOCUMENTS = "documents/"

MAX_MEMBERS = 10_000
MAX_JSON_BYTES = 64 * 1024 * 1024
MAX_TOTAL_BYTES = 4 * 1024 * 1024 * 1024
MAX_RATIO = 100  # not law: documents (PDFs, photos) barely compress; JSON about tenfold
RATIO_CHECKED_FROM = 1024 * 1024  # not law: small members may compress more without harm
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Member times are fixed so that the same case always exports to the same bytes."""



# --- the case as JSON -------------------------------------------------------------------------


def case_json(case_file: CaseFile) -> dict[str, Any]:
    """The case, its client, deadlines and documents' details as JSON-native data."""
    return case_data(case_file.case, case_file.deadlines, case_file.documents)


def journal_json(entries: Sequence[JournalRecord]) -> list[dict[str, Any]]:
    """The journal as JSON-native data, hashes included."""
    return [
        {
            "sequence": e.sequence,
            "created_at": format_moment(e.created_at),
            "kind": str(e.kind),
            "payload": e.payload,
            "prev_hash": e.prev_hash,
            "hash": e.hash,
            "corrects": e.corrects,
        }
        for e in entries
    ]


def fingerprint(case_file: CaseFile) -> str:
    """One hash of everything kept for the case: equal fingerprints mean identical cases."""
    whole = {"case": case_json(case_file), "journal": [e.hash for e in case_file.journal]}
    return hashlib.sha256(canonical_json(whole)).hexdigest()


# --- export -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote."""

    path: Path
    documents: int
    entries: int
    fingerprint: str


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    # Documents are kept as they are (PDFs and photos are compressed already), so an archive of
    # ours never looks like a decompression bomb to the import's ratio check.
    info.compress_type = zipfile.ZIP_STORED if name.startswith(DOCUMENTS) else zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o600) << 16
    return info


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_archive(
    case_file: CaseFile, documents: DocumentFolder, out: Path, *, report_pdf: bytes, exported_at: datetime
) -> ExportSummary:
    """Write the case to ``out`` (a new file replaces an old one only once it is complete)."""
    journal_bytes = canonical_json(journal_json(case_file.journal))
    members = {JOURNAL: _sha256(journal_bytes), REPORT: _sha256(report_pdf)}
    for document in case_file.documents:
        members[DOCUMENTS + document.sha256] = document.sha256
    sealed = fingerprint(case_file)
    manifest = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": format_moment(exported_at),
        "case": case_json(case_file),
        "members": members,
        "fingerprint": sealed,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    # A fresh, unguessable name created here and nowhere else (O_EXCL, no symlink followed), 0600.
    temp = out.with_name(f".{out.name}.{secrets.token_hex(8)}.part")
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as stream, zipfile.ZipFile(stream, "w") as archive:
            archive.writestr(_member(MANIFEST), canonical_json(manifest))
            archive.writestr(_member(JOURNAL), journal_bytes)
            for document in case_file.documents:
                with documents.path_of(document.sha256).open("rb") as source, archive.open(
                    _member(DOCUMENTS + document.sha256), "w", force_zip64=document.size > 2**31
                ) as target:
                    while chunk := source.read(CHUNK):
                        target.write(chunk)
            archive.writestr(_member(REPORT), report_pdf)
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return ExportSummary(out, len(case_file.documents), len(case_file.journal), sealed)


# --- import -----------------------------------------------------------------------------------


def _unsafe_name(name: str) -> str | None:
    if not name or "\x00" in name:
        return "has an empty or invalid name"
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "has an absolute path"
    if "\\" in name:
        return "uses backslashes in its path"
    if ".." in PurePosixPath(name).parts:
        return "points outside the archive ('..')"
    return None


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    problem = _unsafe_name(name)
    if problem is None:
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problem = "is a symbolic link"
        elif info.is_dir() or stat.S_IFMT(mode) not in (0, stat.S_IFREG):  # 0: the zip tool kept no type
            problem = "is not a regular file"
        elif info.flag_bits & 0x1:
            problem = "is encrypted"
        elif name not in (MANIFEST, JOURNAL, REPORT) and not (
            name.startswith(DOCUMENTS) and SHA256_NAME.fullmatch(name[len(DOCUMENTS) :])
        ):
            problem = "is not a member a case archive has"
        elif info.file_size > (MAX_DOCUMENT_BYTES if name.startswith(DOCUMENTS) else MAX_JSON_BYTES):
            problem = f"is {info.file_size:,} bytes, more than a case archive member may be"
        elif info.file_size > RATIO_CHECKED_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            problem = (
                f"inflates {info.compress_size:,} bytes to {info.file_size:,}, more than {MAX_RATIO} times: "
                "a decompression bomb, not a case"
            )
    if problem:
        raise CaseArchiveError("case archive", f"member {name!r} {problem}")


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The member's bytes, never more than its declared size."""
    read = 0
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK):
            read += len(chunk)
            if read > info.file_size:
                raise CaseArchiveError("case archive", f"member {info.filename!r} is larger than it says")
            yield chunk


def _member_hash(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str:
    digest = hashlib.sha256()
    for chunk in _chunks(archive, info):
        digest.update(chunk)
    return digest.hexdigest()


def _json(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[Any, str]:
    import json

    data = b"".join(_chunks(archive, info))
    try:
        return json.loads(data.decode("utf-8"), parse_float=Decimal), _sha256(data)
    except (UnicodeDecodeError, ValueError):
        raise CaseArchiveError("case archive", f"{info.filename} is not valid JSON") from None


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The imported case and whether it was new here."""

    case: CaseRecord
    created: bool
    fingerprint: str
    masked: bool = False
    """True when the archive held a full taxpayer id, which was masked (and the journal re-sealed)."""


def scrub_case_file(case_file: CaseFile) -> tuple[CaseFile, bool]:
    """``case_file`` with every full SSN, ITIN or EIN in its text masked, and whether one was.

    The archive's chain has been checked as it came; where masking changed a journal entry, the
    chain is sealed again from the first entry, so the case verifies here without keeping the number.
    """
    case = case_file.case
    client = replace(
        case.client, name=mask(case.client.name), address=tuple(mask(line) for line in case.client.address)
    )
    scrubbed_case = replace(
        case,
        client=client,
        title=mask(case.title),
        notice_id=mask(case.notice_id) if case.notice_id else case.notice_id,
        notice_codes=tuple(mask(code) for code in case.notice_codes),
        reply_address=tuple(mask(line) for line in case.reply_address),
    )
    deadlines = tuple(
        replace(
            d,
            what=mask(d.what),
            basis=mask(d.basis),
            consequence=mask(d.consequence) if d.consequence else d.consequence,
            source=mask(d.source),
            changed_reason=mask(d.changed_reason) if d.changed_reason else d.changed_reason,
        )
        for d in case_file.deadlines
    )
    documents = tuple(replace(d, name=mask(d.name), text=mask(d.text)) for d in case_file.documents)
    payloads = [cast(dict[str, Any], mask_value(entry.payload)) for entry in case_file.journal]
    journal = case_file.journal
    if any(p != e.payload for p, e in zip(payloads, journal, strict=True)):
        resealed = []
        previous = GENESIS
        for entry, payload in zip(journal, payloads, strict=True):
            sealed = entry_hash(case.uid, entry.sequence, str(entry.kind), payload, entry.created_at, previous)
            resealed.append(replace(entry, payload=payload, prev_hash=previous, hash=sealed))
            previous = sealed
        journal = tuple(resealed)
        scrubbed_case = replace(scrubbed_case, journal_head=previous)
    scrubbed = CaseFile(case=scrubbed_case, deadlines=deadlines, documents=documents, journal=journal)
    return scrubbed, scrubbed != case_file


def read_archive(path: Path) -> tuple[CaseFile, str, zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """Open and check an archive; every check passes before this returns."""
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise CaseArchiveError(name, "no such file") from None
    except (zipfile.BadZipFile, OSError, ValueError):
        raise CaseArchiveError(name, "not a zip file, or a damaged one") from None
    try:
        try:
            return _checked(name, archive)
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
            raise CaseArchiveError(name, f"the zip is damaged ({type(exc).__name__})") from None
    except BaseException:
        archive.close()
        raise


def _checked(name: str, archive: zipfile.ZipFile) -> tuple[CaseFile, str, zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise CaseArchiveError(name, f"it has {len(infos):,} members, more than {MAX_MEMBERS:,}")
    by_name: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        _check_member(info)
        if info.filename in by_name:
            raise CaseArchiveError(name, f"member {info.filename!r} appears twice")
        by_name[info.filename] = info
    if sum(info.file_size for info in infos) > MAX_TOTAL_BYTES:
        raise CaseArchiveError(name, "its members add up to more than a case archive may hold")
    for required in (MANIFEST, JOURNAL):
        if required not in by_name:
            raise CaseArchiveError(name, f"it has no {required}")
    raw_manifest, _ = _json(archive, by_name[MANIFEST])
    raw_journal, journal_hash = _json(archive, by_name[JOURNAL])
    try:
        manifest = ArchiveManifest.model_validate(raw_manifest)
        if not isinstance(raw_journal, list):
            raise CaseArchiveError(name, "journal.json is not a list of entries")
        entries = [ArchiveEntry.model_validate(item) for item in raw_journal]
    except ValidationError as exc:
        raise CaseArchiveError(name, f"its content is not a valid case ({_first_error(exc)})") from None
    if manifest.format != FORMAT or manifest.version != FORMAT_VERSION:
        raise CaseArchiveError(name, f"format {manifest.format!r} version {manifest.version} is not one this version reads")
    for entry in entries:
        if entry.kind not in JournalKind._value2member_map_:
            raise CaseArchiveError(name, f"journal entry #{entry.sequence} has an unknown kind {entry.kind!r}")
        try:
            check_payload(entry.payload, f"journal entry #{entry.sequence}")
        except ValueError as exc:
            raise CaseArchiveError(name, str(exc)) from None
    _check_members(name, manifest, by_name, journal_hash, archive)
    case_file = case_file_from(manifest.case, entries)
    problems = check_chain(
        case_file.case.uid, case_file.journal, head=case_file.case.journal_head, length=case_file.case.journal_length
    )
    problems += check_sealed_documents(case_file.journal, case_file.documents)
    if problems:
        raise CaseArchiveError(name, f"the case does not verify: {problems[0]}")
    if fingerprint(case_file) != manifest.fingerprint:
        raise CaseArchiveError(name, "the case's fingerprint does not match its content")
    return case_file, manifest.fingerprint, archive, by_name


def _check_members(
    name: str,
    manifest: ArchiveManifest,
    by_name: Mapping[str, zipfile.ZipInfo],
    journal_hash: str,
    archive: zipfile.ZipFile,
) -> None:
    listed = set(manifest.members)
    present = set(by_name) - {MANIFEST}
    if listed != present:
        extra = sorted(present - listed) or sorted(listed - present)
        raise CaseArchiveError(name, f"its members differ from the manifest's list (first: {extra[0]!r})")
    documented = {DOCUMENTS + d.sha256: d for d in manifest.case.documents}
    if set(documented) != {member for member in present if member.startswith(DOCUMENTS)}:
        raise CaseArchiveError(name, "its documents differ from the case's list of documents")
    for member, expected in manifest.members.items():
        if member == JOURNAL:
            actual = journal_hash
        else:
            try:
                actual = _member_hash(archive, by_name[member])
            except (zipfile.BadZipFile, OSError, EOFError):
                raise CaseArchiveError(name, f"member {member!r} is damaged") from None
        if actual != expected:
            raise CaseArchiveError(name, f"member {member!r} was changed: its SHA-256 differs from the manifest's")
        document = documented.get(member)
        if document is not None and (actual != document.sha256 or by_name[member].file_size != document.size):
            raise CaseArchiveError(name, f"member {member!r} is not the document the case lists")


def load_documents(archive: zipfile.ZipFile, by_name: Mapping[str, zipfile.ZipInfo], documents: DocumentFolder) -> None:
    """Copy the archive's documents into the folder, checking each hash again on the way."""
    for member, info in by_name.items():
        if not member.startswith(DOCUMENTS):
            continue
        stream = io.BufferedReader(_ChunkReader(_chunks(archive, info)))
        blob = documents.put_stream(stream)
        if blob.sha256 != member[len(DOCUMENTS) :]:
            raise CaseArchiveError("case archive", f"member {member!r} changed while it was read")


class _ChunkReader(io.RawIOBase):
    """A file-like reader over an iterator of byte chunks."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        while not self._buffer:
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
        size = min(len(target), len(self._buffer))
        target[:size] = self._buffer[:size]
        self._buffer = self._buffer[size:]
        return size


def check_conflict(existing: CaseFile | None, incoming_fingerprint: str) -> bool:
    """True when the same case is already here; an error when a different one is."""
    if existing is None:
        return False
    if fingerprint(existing) == incoming_fingerprint:
        return True
    raise CaseConflictError(
        f"case {existing.case.uid[:12]} (here case {existing.case.number}) already exists with different content; "
        "it was not overwritten"
    )


def export_case(
    store: CaseStore,
    ref: str | int,
    out: Path,
    *,
    render_report: Callable[[CaseFile], bytes],
    exported_at: datetime,
) -> ExportSummary:
    """Export one case of ``store`` to ``out``."""
    case_file = store.case_file(ref)
    return write_archive(case_file, store.documents, out, report_pdf=render_report(case_file), exported_at=exported_at)


def import_archive(store: CaseStore, path: Path) -> ImportResult:
    """Bring a case into ``store``; everything is checked before anything is written.

    Documents go to the folder first, then one transaction writes the rows: a crash between the
    two leaves only orphan files, as for any document added.
    """
    case_file, sealed, archive, members = read_archive(path)
    case_file, masked = scrub_case_file(case_file)
    if masked:
        sealed = fingerprint(case_file)
    with archive:
        existing = store.find_uid(case_file.case.uid)
        here = store.case_file(existing.number) if existing is not None else None
        if check_conflict(here, sealed) and existing is not None:
            return ImportResult(existing, False, sealed, masked)
        load_documents(archive, members, store.documents)
        record = store.insert_case_file(case_file)
    return ImportResult(record, True, sealed, masked)
