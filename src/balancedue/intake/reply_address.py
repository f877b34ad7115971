"""The IRS address to write to, read from the address blocks printed on a notice.

A notice may print several IRS addresses: the issuing center under the letterhead, a block
introduced as the address for letters, and the lockbox of the payment coupon.  Only the
correspondence address is where letters go; :func:`reply_address` picks it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from balancedue.intake.candidates import OCR_SINGLE_SOURCE_CAP, missing
from balancedue.intake.layout import cells
from balancedue.intake.models import FieldValue, PageLine

_ZIP_LINE = re.compile(r"\b[A-Z]{2}\s*,?\s*\d{5}(?:-\d{4})?\s*$", re.IGNORECASE)
_IRS_NAME = re.compile(r"^internal\s*revenue\s*service\b", re.IGNORECASE)
_LETTERHEAD = re.compile(r"department\s*of\s*the\s*treasury", re.IGNORECASE)
_CITY_ZIP_PREFIX = re.compile(r"^([A-Za-z][A-Za-z .'-]*,?\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?)\s+\S")
_STATE_ZIP = re.compile(r"\b([A-Z]{2})(\d{5}(?:-\d{4})?)\b")
MAX_ADDRESS_LINES = 6


_PAYMENT_CUE = re.compile(r"\bsend\s+(?:your\s+)?payments?\s+to\b|\bpayment\s+address\b", re.IGNORECASE)
PAYMENT_CUE_LINES = 3  # not law: how many lines above an address block may say it is the payment address
# What a payment coupon (the tear-off stub with the window-envelope addresses) prints around
# its unlabelled IRS address: payment instructions, the amount to enclose, a tear-off line, the
# optical scan line.
_COUPON_CUE = re.compile(
    r"\bpayable\s+to\b|\bamount\s+(?:you\s+owe|due|enclosed|owed)\b|\benclose[ds]?\b"
    r"|\bdetach\b|\bcut\s+(?:here|along)\b|\btear\s+(?:here|off|along)\b"
    r"|\breturn\s+(?:this|the)\s+(?:bottom\s+)?(?:part|portion|stub|voucher|coupon|slip)\b"
    r"|\bpayment\s+(?:coupon|voucher|stub|slip)\b|^\s*payment\s*$|\bwith\s+your\s+payment\b",
    re.IGNORECASE,
)
_SCAN_LINE = re.compile(r"^\s*\d{2,}(?:\s+\d{2,}){3,}\s*$")
# What introduces the address for letters: it wins over every other block.
_REPLY_CUE = re.compile(
    r"\bwrite\s+(?:to\s+)?us\b|\bsend\s+(?:us\s+)?(?:your\s+)?(?:letter|response|reply|correspondence|documents?|statement|information)\b"
    r"|\bmail\s+(?:us\s+)?(?:your\s+)?(?:letter|response|reply|documents?)\b|\bcorrespondence\s+address\b"
    r"|\bcontact\s+us\s+(?:by|in)\s+(?:mail|writing)\b|\bour\s+address\b|\bin\s+writing\s+to\b"
    r"|\b(?:mail|send)\s+(?:us\s+)?(?:your\s+)?(?:hearing\s+|appeal\s+)?request\b|\b(?:mail|send)\s+(?:us\s+)?form\s*(?:12153|9423)\b",
    re.IGNORECASE,
)
COUPON_CUE_BEFORE = 8  # not law: lines above an unlabelled IRS address searched for coupon wording
COUPON_CUE_AFTER = 4  # not law: lines below it searched for coupon wording
REPLY_CUE_LINES = 4  # not law: lines above an address block that may say letters go there


def _is_coupon(lines: Sequence[PageLine], first: int, last: int, x0: float) -> bool:
    """True when the IRS address block on lines ``first``..``last`` sits in a payment coupon.

    A coupon is recognised by what surrounds its address, never by the address itself: payment
    wording or the scan line within a few lines (same page), or the taxpayer's own address printed
    beside it (the two window-envelope addresses of the stub) or just above it."""
    page = lines[first].page
    window = [
        line for line in lines[max(0, first - COUPON_CUE_BEFORE) : last + 1 + COUPON_CUE_AFTER]
        if line.page == page
    ]
    if any(_COUPON_CUE.search(line.text) or _SCAN_LINE.match(line.text) for line in window):
        return True
    for line in lines[first : last + 1]:  # another address ending on the block's lines, in another column
        own = _cell_near(line, x0)
        if any(_ZIP_LINE.search(cell.text) for cell in cells(line) if own is None or cell.text != own[0]):
            return True
    above = [line for line in lines[max(0, first - 2) : first] if line.page == page and line.text.strip()]
    return bool(above) and bool(_ZIP_LINE.search(above[-1].text)) and not _LETTERHEAD.search(above[-1].text)


def reply_address(lines: Sequence[PageLine], ocr: bool, *, parser: str) -> FieldValue:
    """The IRS address to write to: the correspondence address printed on the notice.

    A block introduced as the address for letters ("write to us at") wins.  A block introduced as
    the payment address ("Send your payment to:") or printed in the payment coupon (the tear-off
    stub: payment wording, the scan line or the taxpayer's own address beside it) is the lockbox
    that processes checks, not where letters go: another IRS address block is used when the
    notice prints one, else the issuing center at the top of the notice (after "Department of the
    Treasury"), and the coupon address only when the notice prints no other."""
    replies: list[tuple[list[str], float, PageLine]] = []
    blocks: list[tuple[list[str], float, PageLine]] = []
    letterheads: list[tuple[list[str], float, PageLine]] = []
    payments: list[tuple[list[str], float, PageLine]] = []
    for index, line in enumerate(lines):
        for cell in cells(line):
            if not _IRS_NAME.match(cell.text):
                continue
            x0 = _cell_x(line, cell.start, cell.end)
            previous = _cell_near(lines[index - 1], x0) if index > 0 and lines[index - 1].page == line.page else None
            letterhead = bool(previous and _LETTERHEAD.search(previous[0]))
            above = [item.text for item in lines[max(0, index - PAYMENT_CUE_LINES):index] if item.page == line.page]
            payment = any(_PAYMENT_CUE.search(text) for text in above)
            reply = any(
                _REPLY_CUE.search(item.text)
                for item in lines[max(0, index - REPLY_CUE_LINES):index]
                if item.page == line.page
            )
            parts = [cell.text]
            confidence = line.evidence(cell.start, cell.end)[0]
            for offset, following in enumerate(lines[index + 1 : index + 1 + MAX_ADDRESS_LINES], start=1):
                if following.page != line.page:
                    break
                near = _cell_near(following, x0)
                if near is None:
                    break
                text = near[0]
                flattened = _CITY_ZIP_PREFIX.match(text) if letterhead and not _ZIP_LINE.search(text) else None
                if flattened:  # a letterhead copied into one line with the header beside it
                    text = flattened.group(1)
                    name = _IRS_NAME.match(parts[0])
                    parts[0] = name.group(0) if name else parts[0]
                parts.append(text)
                confidence = min(confidence, near[1])
                if _ZIP_LINE.search(text):
                    found = (parts, confidence, line)
                    if reply and not payment:
                        replies.append(found)
                    elif letterhead:
                        letterheads.append(found)
                    elif payment or _is_coupon(lines, index, index + offset, x0):
                        payments.append(found)
                    else:
                        blocks.append(found)
                    break
    blocks = replies or blocks or letterheads[:1] or payments
    if not blocks:
        return missing("reply_address", "no IRS address block (Internal Revenue Service, city, ZIP) was found", parser)
    parts, confidence, line = blocks[-1]
    read = confidence
    if ocr:
        confidence = min(confidence, OCR_SINGLE_SOURCE_CAP)
    cleaned = [_IRS_NAME.sub("INTERNAL REVENUE SERVICE", parts[0]), *parts[1:]]
    cleaned = [_STATE_ZIP.sub(r"\1 \2", part) for part in cleaned]  # OCR may drop the space before the ZIP
    address = ", ".join(" ".join(part.split()) for part in cleaned)
    return FieldValue(
        name="reply_address",
        value=address.upper(),
        confidence=round(confidence, 4),
        source_text=" / ".join(parts),
        page=line.page,
        bbox=line.bbox,
        parser=parser,
        text_confidence=round(read, 4),
    )


def _cell_x(line: PageLine, start: int, end: int) -> float:
    _, bbox = line.evidence(start, end)
    return bbox[0] if bbox else float(start)


def _cell_near(line: PageLine, x0: float) -> tuple[str, float] | None:
    """The cell of ``line`` that starts near ``x0`` (same column), with its confidence."""
    height = max(1, line.bbox[3] - line.bbox[1])
    for cell in cells(line):
        cx = _cell_x(line, cell.start, cell.end)
        if abs(cx - x0) <= height * 3 / 2 + 2:
            return cell.text, line.evidence(cell.start, cell.end)[0]
    return None
