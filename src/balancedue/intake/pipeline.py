"""The intake pipeline: a document in, a :class:`Notice` out.

The steps run in this order, each in its own module:

1. detect the kind of document (:mod:`.detect`);
2. read the PDF text layer, or render pages that have none (:mod:`.pdf`);
3. clean up page pictures: light, perspective, rotation, skew (:mod:`.imaging`);
4. OCR the pictures (:mod:`.ocr`);
5. decide whether it is an IRS notice and pick the parser (:mod:`.classify`);
6. read the fields (:mod:`.fields`);
7. cross-check them (:mod:`.checks`).

Work is bounded by page and pixel limits rather than by a clock, so a hostile file fails fast
and the same input always gives the same result.
"""

from __future__ import annotations

import logging
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

from balancedue.errors import DocumentTooLargeError, NotAnIrsNoticeError, UnreadableDocumentError
from balancedue.intake.candidates import HIGH_CONFIDENCE, REVIEW_CONFIDENCE
from balancedue.intake.checks import check_fields
from balancedue.intake.classify import choose_parser
from balancedue.intake.confidence import band
from balancedue.intake.detect import (
    MAX_DOCUMENT_BYTES,
    MAX_TEXT_BYTES,
    FileKind,
    decode_text,
    detect_kind,
)
from balancedue.intake.fields import says_not_a_bill
from balancedue.intake.layout import lines_from_plain_text
from balancedue.intake.models import (
    CatalogMatch,
    DocumentText,
    FieldValue,
    Notice,
    PageText,
    SourceKind,
)
from balancedue.intake.values import mask_ids
from balancedue.rules import RuleSet

if TYPE_CHECKING:
    from PIL import Image

log = logging.getLogger(__name__)

MAX_OCR_PAGES = 8
"""Pages read by OCR from one document; a notice rarely has more, and each takes seconds."""


def read_document(source: Path | bytes, *, name: str | None = None, rules: RuleSet) -> Notice:
    """Read a notice from a file path or from the file's bytes."""
    if isinstance(source, Path):
        name = name or source.name
        data = _read_file(source, name)
    else:
        data = source
        name = name or "document"
    return read_notice_bytes(data, name, rules)


def read_text(text: str, *, name: str = "pasted text", rules: RuleSet) -> Notice:
    """Read a notice from text pasted from an e-mail or typed in."""
    _check_text_size(len(text.encode("utf-8", "surrogatepass")), name)
    return _finish(_plain_text(text, mask_ids(name)), rules)


def read_notice_bytes(data: bytes, name: str, rules: RuleSet) -> Notice:
    """Run every step on the bytes of one document."""
    name = mask_ids(name)  # a file name may hold a full id ("Smith NNN-NN-NNNN CP14.pdf", with digits)
    kind = detect_kind(data, name)
    if kind is FileKind.PDF:
        document = _pdf_text(data, name)
    elif kind is FileKind.TEXT:
        _check_text_size(len(data), name)
        document = _plain_text(decode_text(data, strict=False), name)
    else:
        document = _image_text(data, name, heif=kind is FileKind.HEIF)
    return _finish(document, rules)



def _check_text_size(size: int, name: str) -> None:
    if size > MAX_TEXT_BYTES:
        raise DocumentTooLargeError(
            name, f"the text is {size / (1024 * 1024):.1f} MB, more than the {MAX_TEXT_BYTES // (1024 * 1024)} MB "
            "a notice's text can be", "give the notice itself (PDF or photo), or only its text"
        )


def _read_file(path: Path, name: str) -> bytes:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UnreadableDocumentError(name, "is not a file")
        if size > MAX_DOCUMENT_BYTES:
            raise DocumentTooLargeError(
                name, f"the file is {size // (1024 * 1024)} MB, more than the {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB limit"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableDocumentError(name, "no such file", "check the path") from None
    except PermissionError:
        raise UnreadableDocumentError(name, "the file cannot be opened (permission denied)") from None
    except IsADirectoryError:
        raise UnreadableDocumentError(name, "is a folder, not a file") from None


def _plain_text(text: str, name: str) -> DocumentText:
    pages = []
    for number, chunk in enumerate(text.split("\f"), start=1):
        lines = lines_from_plain_text(chunk, page=number)
        if lines:
            width = float(max(len(line.text) for line in lines))
            pages.append(PageText(number, lines, width, float(len(lines)), SourceKind.TEXT))
    return DocumentText(name=name, source=SourceKind.TEXT, pages=tuple(pages))


def _ocr_page(image: Image.Image, number: int, source: SourceKind) -> tuple[PageText, list[str]]:
    from balancedue.intake import imaging, ocr  # OpenCV and the OCR models load only for pictures

    cleaned = imaging.clean_page(image)
    read = ocr.recognize_page(cleaned.image, number)
    height, width = cleaned.image.shape
    rotation = (cleaned.rotation + read.rotation) % 360
    warnings = []
    if read.box_count and read.mean_score < REVIEW_CONFIDENCE:
        warnings.append(f"page {number} is hard to read (OCR score {read.mean_score:.2f}); a sharper photo would help")
    page = PageText(number, read.lines, float(width), float(height), source, rotation=rotation, skew=cleaned.skew)
    return page, warnings


def _pdf_text(data: bytes, name: str) -> DocumentText:
    # pdfplumber and PDFium load only for PDFs
    from balancedue.intake.pdf import read_pdf, render_page

    document, contents = read_pdf(data, name)
    try:
        warnings = list(contents.warnings)
        pages: dict[int, PageText] = {}
        for number, (lines, width, height) in contents.text_pages.items():
            pages[number] = PageText(number, lines, width, height, SourceKind.TEXT_PDF)
        scanned = list(contents.scanned_pages)
        if len(scanned) > MAX_OCR_PAGES:
            warnings.append(f"only {MAX_OCR_PAGES} of the {len(scanned)} scanned pages were read")
            scanned = scanned[:MAX_OCR_PAGES]
        for number in scanned:
            page, more = _ocr_page(render_page(document, number), number, SourceKind.SCANNED_PDF)
            pages[number] = page
            warnings.extend(more)
    finally:
        document.close()
    source = SourceKind.SCANNED_PDF if scanned and not contents.text_pages else SourceKind.TEXT_PDF
    if scanned and contents.text_pages:
        warnings.append(f"pages {', '.join(map(str, scanned))} have no text layer and were read by OCR")
    return DocumentText(name=name, source=source, pages=tuple(pages[n] for n in sorted(pages)), warnings=tuple(warnings))


def _image_text(data: bytes, name: str, heif: bool) -> DocumentText:
    from balancedue.intake import imaging

    pages = []
    warnings: list[str] = []
    frames = islice(imaging.load_images(data, name, heif=heif), MAX_OCR_PAGES)  # one page picture at a time
    for number, frame in enumerate(frames, start=1):
        page, more = _ocr_page(frame, number, SourceKind.IMAGE)
        del frame
        pages.append(page)
        warnings.extend(more)
    return DocumentText(name=name, source=SourceKind.IMAGE, pages=tuple(pages), warnings=tuple(warnings))


def _finish(document: DocumentText, rules: RuleSet) -> Notice:
    parser, why = choose_parser(document, rules.notices)
    if parser is None:
        raise NotAnIrsNoticeError(document.name, why)
    is_ocr = document.source in (SourceKind.IMAGE, SourceKind.SCANNED_PDF) or any(
        page.source is not SourceKind.TEXT_PDF and page.source is not SourceKind.TEXT for page in document.pages
    )
    found = parser.parse(document, rules.notices, is_ocr)
    values, periods, check_warnings = check_fields(found.values, found.tax_periods, rules.notices, rules.contacts)
    code = values["notice_code"]
    entry = rules.notices.find(str(code.value)) if code.found else None
    catalog = (
        CatalogMatch(entry.code.value, entry.title, entry.stage.value, entry.is_bill) if entry is not None else None
    )
    warnings = [*document.warnings, *found.warnings, *check_warnings, *_review_notes(values)]
    return Notice(
        document=document.name,
        source=document.source,
        page_count=len(document.pages),
        **values,
        tax_periods=periods,
        catalog=catalog,
        says_not_a_bill=says_not_a_bill(document.lines),
        warnings=tuple(dict.fromkeys(warnings)),
        text=document.text,
        parser=f"{parser.name}/{parser.version}",
    )


def _review_notes(values: dict[str, FieldValue]) -> list[str]:
    notes = []
    for field in values.values():
        if field.found and field.confidence < HIGH_CONFIDENCE:
            level = band(field.confidence)
            notes.append(f"{field.name}: read as {field.value} with {level} confidence; check it against the notice")
    return notes
