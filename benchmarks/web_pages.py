"""Server CPU per request of the dashboard and a case page, in process, through the whole stack.

Run by ``test_bench_web_load.test_bench_web_pages_in_process`` in a process of its own, with a
throw-away data folder (``BALANCEDUE_DATA_DIR``) holding one case opened from the sample CP14.
The app is set up as ``balancedue serve`` sets it up; each request goes through Django's WSGI
handler and every middleware (session, authentication, CSRF, CSP, ...) with the session cookie
of a logged-in user, without HTTP or waitress.  CPU time (``time.process_time``) per request:
the least and the median of 7 batches.  Prints one JSON object.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from typing import Any

REQUESTS = int(os.environ.get("BALANCEDUE_PAGE_REQUESTS", "700"))
BATCHES = 7
PAGES = {"dashboard": "/", "case page": "/cases/1"}


def main() -> None:
    from balancedue.cases.bootstrap import ensure_database
    from balancedue.cli.serve_cmd import _prepare

    context = _prepare("127.0.0.1", False, "2025-06-10")
    ensure_database()
    from balancedue.web import access, login_token

    access.install(context)
    from balancedue.web.wsgi import application

    context.rules  # noqa: B018 - loaded before the first request, as serve does

    def get(path: str, cookie: str = "") -> tuple[int, list[tuple[str, str]], bytes]:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8765", "HTTP_HOST": "127.0.0.1:8765", "HTTP_COOKIE": cookie, "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""), "wsgi.errors": sys.stderr, "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1", "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
        }
        started: list[tuple[str, list[tuple[str, str]]]] = []
        body = b"".join(application(environ, lambda status, headers, exc_info=None: started.append((status, headers))))
        return int(started[0][0].split()[0]), started[0][1], body

    status, headers, _ = get(f"/login/{login_token.issue()}")
    assert status == 302, status
    cookie = "; ".join(value.split(";", 1)[0] for name, value in headers if name.lower() == "set-cookie")
    figures: dict[str, Any] = {}
    for name, path in PAGES.items():
        for _ in range(20):  # the first shows work the page out; the rest are what a person meets
            status, _, body = get(path, cookie)
            assert status == 200, (path, status)
        per_batch = max(1, REQUESTS // BATCHES)
        batches = []
        for _ in range(BATCHES):
            start = time.process_time()
            for _ in range(per_batch):
                get(path, cookie)
            batches.append((time.process_time() - start) / per_batch * 1000)
        figures[name] = {"min_ms": min(batches), "median_ms": statistics.median(batches), "requests": per_batch * BATCHES,
                         "bytes": len(body)}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
