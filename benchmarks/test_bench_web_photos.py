"""Server memory after photo uploads: 20 photos of a notice uploaded to a running `balancedue serve`.

The server reads uploads in a separate reading process (``BALANCEDUE_READ_IN_WORKER``, on by
default), so its own memory should stay near where it started; the figure to meet is under
300 MB after 20 photos.  Prints the server's resident memory before and after, the reading
process's, and the time per upload.  Loopback only; reported, never asserted.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import re
import secrets
import statistics
import time
from pathlib import Path
from typing import Any

from benchmarks.test_bench_web_load import ROOT, _login, _rss_kib, _start

UPLOADS = 20


def _photo(path: Path) -> bytes:
    """A photo-like JPEG of the sample notice: its page at 150 dpi, slightly turned."""
    import pypdfium2
    from PIL import Image

    document = pypdfium2.PdfDocument(str(ROOT / "examples" / "sample-cp14.pdf"))
    image = document[0].render(scale=150 / 72).to_pil().convert("RGB")
    document.close()
    image = image.rotate(0.8, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=(236, 233, 226))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


def _upload(port: int, cookie: str, photo: bytes) -> float:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("GET", "/cases/new", headers={"Cookie": cookie})
    page = connection.getresponse().read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token, "no CSRF token on the upload page"
    boundary = secrets.token_hex(16)
    body = (
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{token.group(1)}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"notice\"; filename=\"photo.jpg\"\r\n"
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode() + photo + f"\r\n--{boundary}--\r\n".encode()
    start = time.perf_counter()
    connection.request("POST", "/cases/new", body=body, headers={
        "Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Origin": f"http://127.0.0.1:{port}", "Referer": f"http://127.0.0.1:{port}/cases/new"})
    response = connection.getresponse()
    text = response.read().decode(errors="replace")
    elapsed = time.perf_counter() - start
    connection.close()
    assert response.status == 200, (response.status, text[:500])
    assert "Check what was read" in text, text[:500]
    return elapsed


def _children_rss_kib(pid: int) -> int:
    total = 0
    for child in Path(f"/proc/{pid}/task").glob("*/children"):
        for child_pid in child.read_text().split():
            with contextlib.suppress(OSError, RuntimeError):
                total += _rss_kib(int(child_pid))
    return total


def test_bench_server_memory_after_photo_uploads(benchmark: Any, tmp_path: Path) -> None:
    photo = _photo(tmp_path / "photo.jpg")
    process, port, token = _start(tmp_path / "data")
    figures: dict[str, Any] = {}
    try:
        cookie = _login(port, token)
        time.sleep(2)  # the reading process starts with the server
        figures["rss_start_mib"] = _rss_kib(process.pid) / 1024

        def run() -> None:
            times = [_upload(port, cookie, photo) for _ in range(UPLOADS)]
            figures["median_upload_s"] = statistics.median(times)
            figures["rss_end_mib"] = _rss_kib(process.pid) / 1024
            figures["reader_rss_mib"] = _children_rss_kib(process.pid) / 1024

        benchmark.pedantic(run, rounds=1, iterations=1)
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(
        f"\nweb photo uploads: {UPLOADS} photos, median {figures['median_upload_s']:.2f} s each; server RSS "
        f"{figures['rss_start_mib']:.0f} MiB -> {figures['rss_end_mib']:.0f} MiB (target < 300 MB); "
        f"reading process {figures['reader_rss_mib']:.0f} MiB"
    )
    benchmark.extra_info.update(figures)
