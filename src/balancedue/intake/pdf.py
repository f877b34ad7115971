"""Step 2 for PDFs: open the file, read its text layer, render pages that have none.

PDFium (``pypdfium2``) opens the file and renders pages; ``pdfplumber`` reads the positioned
words of the text layer, which :mod:`balancedue.intake.layout` turns into lines.
"""

from __future__ import annotations

import io
import logging
import zlib
from dataclasses import dataclass
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from PIL import Image

from balancedue.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    EncryptedDocumentError,
    UnreadableDocumentError,
)
from balancedue.intake.layout import build_lines
from balancedue.intake.models import PageLine, Segment

log = logging.getLogger(__name__)

# pdfminer logs every token of a document at DEBUG, the taxpayer's numbers included: whoever
# configures logging (the command line, a web server), it never goes below WARNING.
logging.getLogger("pdfminer").setLevel(logging.WARNING)

MAX_PDF_PAGES = 60
"""PDFs with more pages are refused; a notice has a handful."""

MAX_TEXT_PAGES = 20
"""Pages read from the text layer; later pages of a long PDF are left out with a warning."""

MIN_TEXT_LAYER_CHARS = 25
"""A page whose text layer has fewer characters than this is treated as a scanned page."""

RENDER_DPI = 200
"""Resolution at which a page without a text layer is rendered for OCR."""

MAX_RENDER_SIDE = 2600
"""Longest side, in pixels, of a rendered page (huge page sizes are rendered smaller)."""

POINTS_PER_INCH = 72

MAX_REFERENCE_HOPS = 32
"""An object that is a reference to a reference ... more than this many times is a loop."""

MAX_PAGE_CONTENT_BYTES = 4 * 1024 * 1024
"""Drawing instructions one page may hold once decompressed (a dense notice page holds tens of
kilobytes); a small file that inflates past this would take minutes to read."""



@dataclass(frozen=True, slots=True)
class PdfPages:
    """What the PDF holds: text lines for pages with a text layer, numbers of pages without."""

    page_count: int
    text_pages: dict[int, tuple[tuple[PageLine, ...], float, float]]
    scanned_pages: tuple[int, ...]
    warnings: tuple[str, ...]


def open_pdf(data: bytes, name: str) -> pdfium.PdfDocument:
    """The PDF opened by PDFium; a clear error when it is damaged or protected by a password."""
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_raw.FPDF_ERR_PASSWORD:
            raise EncryptedDocumentError(
                name, "the PDF is protected by a password", "open it, print it to a new PDF without a password, and try again"
            ) from None
        raise UnreadableDocumentError(
            name, "the PDF is damaged and cannot be opened", "download or scan the notice again"
        ) from None


def read_pdf(data: bytes, name: str) -> tuple[pdfium.PdfDocument, PdfPages]:
    """Open the PDF and read the text layer of each page that has one."""
    document = open_pdf(data, name)
    page_count = len(document)
    if page_count == 0:
        raise EmptyDocumentError(name, "the PDF has no pages")
    if page_count > MAX_PDF_PAGES:
        raise DocumentTooLargeError(
            name, f"the PDF has {page_count} pages, more than the {MAX_PDF_PAGES} a notice could have", "keep only the notice's pages"
        )
    warnings: list[str] = []
    read_count = min(page_count, MAX_TEXT_PAGES)
    if page_count > read_count:
        warnings.append(f"only the first {read_count} of {page_count} pages were read")
    text_pages: dict[int, tuple[tuple[PageLine, ...], float, float]] = {}
    scanned: list[int] = []
    try:
        plumber = pdfplumber.open(io.BytesIO(data))
        if has_reference_loop(plumber.doc):  # checked before ``with``: closing would follow the loop too
            raise UnreadableDocumentError(
                name, "the PDF is damaged (an object refers to itself)", "download or scan the notice again"
            )
        with plumber:
            for index in range(min(read_count, len(plumber.pages))):
                page = plumber.pages[index]
                if content_bytes(page.page_obj) > MAX_PAGE_CONTENT_BYTES:
                    raise DocumentTooLargeError(
                        name,
                        f"page {index + 1} holds more than {MAX_PAGE_CONTENT_BYTES // (1024 * 1024)} MB of drawing "
                        "instructions, far more than any notice",
                        "print the notice to a new PDF and try again",
                    )
                words = page.extract_words(x_tolerance=3 / 2, y_tolerance=2, keep_blank_chars=False)
                chars = sum(len(w["text"]) for w in words)
                if chars < MIN_TEXT_LAYER_CHARS:
                    scanned.append(index + 1)
                    continue
                segments = [
                    Segment(
                        text=w["text"],
                        bbox=(float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"])),
                        confidence=1,
                        page=index + 1,
                    )
                    for w in words
                ]
                text_pages[index + 1] = (build_lines(segments), float(page.width), float(page.height))
    except PDFPasswordIncorrect:
        raise EncryptedDocumentError(name, "the PDF is protected by a password") from None
    except (DocumentTooLargeError, UnreadableDocumentError, MemoryError):
        document.close()
        raise
    except Exception as exc:  # pdfminer and pdfplumber raise many kinds on damaged files; PDFium reads on
        log.debug("text layer could not be read: %s", type(exc).__name__)
        if not scanned and not text_pages:
            scanned = list(range(1, read_count + 1))
            warnings.append("the PDF's text layer could not be read; its pages were read by OCR")
    return document, PdfPages(page_count, text_pages, tuple(scanned), tuple(warnings))


def has_reference_loop(document: Any) -> bool:
    """Whether an object of a pdfminer document is a chain of references that never ends.

    pdfminer follows such chains forever; PDFium does not, so the PDF opens and then hangs.
    """
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                value = document.getobj(objid)
                hops = 0
                while isinstance(value, PDFObjRef):
                    hops += 1
                    if hops > MAX_REFERENCE_HOPS:
                        return True
                    value = value.resolve()
            except Exception:  # a damaged object: pdfminer reports it when the page is read
                continue
    return False


def content_bytes(page: Any) -> int:
    """Size, decompressed, of a pdfminer page's content streams and the forms they draw.

    Counting stops a little past :data:`MAX_PAGE_CONTENT_BYTES`, so a compression bomb is never
    inflated in full.
    """
    total = 0
    seen: set[int] = set()
    pending: list[Any] = [*page.contents, *_forms(page.resources)]
    while pending and total <= MAX_PAGE_CONTENT_BYTES:
        stream = resolve1(pending.pop())
        if not isinstance(stream, PDFStream) or id(stream) in seen:
            continue
        seen.add(id(stream))
        total += _inflated_size(stream, MAX_PAGE_CONTENT_BYTES + 1 - total)
        pending.extend(_forms(stream.get("Resources")))
    return total


def _forms(resources: Any) -> list[Any]:
    resources = resolve1(resources)
    if not isinstance(resources, dict):
        return []
    xobjects = resolve1(resources.get("XObject"))
    if not isinstance(xobjects, dict):
        return []
    forms = []
    for ref in xobjects.values():
        xobject = resolve1(ref)
        if isinstance(xobject, PDFStream) and getattr(resolve1(xobject.get("Subtype")), "name", None) == "Form":
            forms.append(xobject)
    return forms


def _inflated_size(stream: PDFStream, budget: int) -> int:
    raw = stream.rawdata if stream.rawdata is not None else stream.data or b""
    filters = [getattr(f, "name", f) for f, _ in stream.get_filters()]
    if not filters:
        return len(raw)
    if filters in (["FlateDecode"], ["Fl"]):
        inflater = zlib.decompressobj()
        try:
            return len(inflater.decompress(raw, max(budget, 1)))
        except zlib.error:
            return len(raw)  # encrypted or damaged: pdfminer decides
    return len(stream.get_data())  # other filter chains are rare in notices: decoded to be measured


def render_page(document: pdfium.PdfDocument, number: int) -> Image.Image:
    """Page ``number`` (1-based) as a grayscale picture for OCR."""
    page = document[number - 1]
    width, height = page.get_size()
    scale = RENDER_DPI / POINTS_PER_INCH
    longest = max(width, height) * scale
    if longest > MAX_RENDER_SIDE:
        scale *= MAX_RENDER_SIDE / longest
    bitmap = page.render(scale=scale, grayscale=True)
    image: Image.Image = bitmap.to_pil().convert("L")
    return image
