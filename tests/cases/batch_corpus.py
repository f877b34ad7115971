"""A practice's mailbag for the batch tests: fictional notices of several clients, in folders.

Every notice is drawn from a fixed seed with the notice generator of tests/fixtures/notices:
text PDFs, a few phone photos (slow to read: OCR), one damaged PDF and one copy of a notice
under a second name.  Folders ``client-*`` are named in the client map; ``unsorted/`` holds
notices whose client is found by the last four digits printed on them (clients that already
have a case), and one whose digits belong to no client.
"""

from __future__ import annotations

import io
import random
import shutil
import sys
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

MAPPED = (
    ("client-avery", "Avery Tester", "4821"),
    ("client-blake", "Blake Example", "1357"),
    ("client-casey", "Casey Sample", "2468"),
    ("client-devon", "Devon Fiction", "9753"),
    ("client-emery", "Emery Placeholder", "8642"),
    ("client-frankie", "Frankie Madeup", "3141"),
)
KNOWN_BY_DIGITS = (("Harper Quinn", "1111"), ("Indigo Lane", "2222"))
"""Clients with a case already, found by the last four digits printed on their notices."""
STRANGER_LAST4 = "7070"
YEARS = (2021, 2022, 2023)
TODAY = date(2025, 6, 10)


@dataclass(frozen=True)
class Expected:
    """What filing one file must give."""

    file: Path
    client: str | None  # None: waits for a client
    tax_year: int | None
    kind: str  # text_pdf, photo, corrupt, duplicate, stranger


def _spec(rng: random.Random, key: str, last4: str, name: str, year: int, serial: int) -> object:
    from notices.spec import Period, make_spec

    spec = make_spec(rng, key, "CP14", "Balance due", "first_bill", True, "Individuals")
    notice_date = date(year + 1, 5, 1) + timedelta(days=rng.randint(0, 40))
    amount = Decimal(rng.randint(20_000, 900_000)) / 100
    return replace(
        spec,
        taxpayer=(name.upper(), *spec.taxpayer[1:]),
        notice_date=notice_date,
        periods=[Period("1040", date(year, 12, 31), amount)],
        tax_year_printed=True,
        tax=amount,
        payments=None,
        penalty_lines=[],
        interest=Decimal("0.00"),
        amount_due=amount,
        pay_by=notice_date + timedelta(days=21),
        respond_by=None,
        last4=last4,
        taxpayer_id_printed=f"XXX-XX-{last4}",
        notice_id=f"CP14-{notice_date:%Y%m%d}-{serial:05d}",
    )


def build(folder: Path, *, total: int = 200, photos: int = 5, seed: int = 20) -> tuple[list[Expected], Path]:
    """Write ``total`` files (``photos`` of them photos, one damaged, one duplicate) and the client map."""
    import numpy as np
    import pypdfium2
    from notices import degrade
    from notices.render import render_pdf

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    expected: list[Expected] = []
    everyone = [(f, n, d) for f, n, d in MAPPED] + [("unsorted", n, d) for n, d in KNOWN_BY_DIGITS]
    good = total - 3  # one damaged file, one duplicate, one notice of a stranger
    for index in range(good):
        sub, name, last4 = everyone[index % len(everyone)]
        year = YEARS[(index // len(everyone)) % len(YEARS)]
        spec = _spec(rng, f"batch-{index}", last4, name, year, index)
        pdf = render_pdf(spec)
        target = folder / sub
        target.mkdir(exist_ok=True)
        if index < photos:
            page = pypdfium2.PdfDocument(pdf)[0].render(scale=180 / 72, grayscale=True).to_pil()
            style = degrade.random_style(np_rng)
            path = target / f"photo-{index:03d}.jpg"
            path.write_bytes(degrade.photograph(page, style, np_rng))
            expected.append(Expected(path, name, year, "photo"))
        else:
            path = target / f"notice-{index:03d}.pdf"
            path.write_bytes(pdf)
            expected.append(Expected(path, name, year, "text_pdf"))
    stranger = _spec(rng, "stranger", STRANGER_LAST4, "Nobody Known", YEARS[0], 9999)
    path = folder / "unsorted" / "stranger.pdf"
    path.write_bytes(render_pdf(stranger))
    expected.append(Expected(path, None, YEARS[0], "stranger"))
    damaged = folder / "client-avery" / "damaged.pdf"
    data = bytearray(expected[-2].file.read_bytes())
    damaged.write_bytes(b"%PDF-1.7\n" + bytes(data[len(data) // 2:]))
    expected.append(Expected(damaged, None, None, "corrupt"))
    original = next(e for e in expected if e.kind == "text_pdf")
    copy = original.file.parent / "scan-again.pdf"
    shutil.copyfile(original.file, copy)
    expected.append(Expected(copy, original.client, original.tax_year, "duplicate"))
    client_map = folder.parent / f"{folder.name}-clients.csv"
    buffer = io.StringIO()
    buffer.write("file,client\n")
    for sub, name, _ in MAPPED:
        buffer.write(f"{sub},{name}\n")
    client_map.write_text(buffer.getvalue(), encoding="utf-8")
    return expected, client_map
