"""``balancedue serve``: the web app under waitress, on this computer.

Single-user mode (the default) answers on the loopback address only and prints a one-time login
link.  Practice mode (``--practice``) uses accounts: staff add users and grant them clients in
the Django admin (``/admin/``); ``--add-staff NAME`` creates an account and exits.  Such an
account sees only the clients granted to it; ``--superuser`` makes it an administrator, who sees
every client and manages users and grants.
"""

from __future__ import annotations

import atexit
import errno
import html
import ipaddress
import os
import shutil
import socket
import tempfile
import threading
import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from balancedue.cli.common import fail, handle_errors, parse_date
from balancedue.context import AppContext, build_context

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def default_threads() -> int:
    """Worker threads for this machine: pages are mostly Python work under one interpreter lock,
    so threads beyond a couple per core only queue for it; a few more cover waits on the disk."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cores = os.cpu_count() or 1
    return max(4, min(8, 2 * cores))


def lan_address() -> str:
    """This computer's address on the local network (the one its default route leaves from).

    A UDP socket is only "connected" to pick the outgoing interface; nothing is sent.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # not law: TEST-NET-1, never routed anywhere real
            address = str(probe.getsockname()[0])
        except OSError:
            address = ""
    if not address or ipaddress.ip_address(address).is_loopback:
        raise fail("no local network address was found; connect to a network, or leave out --lan", 2)
    return address


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def _prepare(host: str, practice: bool, today: str | None) -> AppContext:
    """The application context of the web app, with the settings of this command line."""
    hosts = {"127.0.0.1", "localhost", "[::1]", _url_host(host)}
    overrides = {"allowed_hosts": ",".join(sorted(hosts))}
    if practice:
        overrides["practice"] = "1"
    if today:
        overrides["today"] = parse_date(today, "--today").isoformat()
    return build_context(overrides=overrides)


def _add_staff(username: str, superuser: bool) -> None:
    from balancedue.web import accounts

    accounts.check_new_name(username)
    password = typer.prompt(f"Password for {username}", hide_input=True, confirmation_prompt=True)
    accounts.add_staff(username, password, superuser=superuser)
    if superuser:
        typer.echo(f"Administrator {username!r} created: sees every client and manages users and grants at /admin/.")
    else:
        typer.echo(
            f"Staff account {username!r} created: sees only the clients granted to it "
            "(an administrator grants them at /admin/)."
        )
    typer.echo("Start the server with: balancedue serve --practice")
    typer.echo(f"Staff account {username!r} created. Start the server with: balancedue serve --practice")


REDIRECT_PAGE_SECONDS = 60
"""How long the local page that forwards the browser to the login link is kept."""


def redirect_page(link: str) -> Path:
    """A page, readable by this user alone, that forwards the browser to ``link``.

    The browser is started with this file's name, never with the link: another local user can
    read a program's command line (``/proc``), not a file in a private 0700 folder.
    """
    folder = Path(tempfile.mkdtemp(prefix="balancedue-open-"))  # 0700, a fresh name
    page = folder / "login.html"
    quoted = html.escape(link, quote=True)
    text = (
        '<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer">'
        f'<meta http-equiv="refresh" content="0;url={quoted}"><title>balancedue</title>'
        f'<p><a href="{quoted}">Open balancedue</a></p>'
    )
    descriptor = os.open(page, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
        stream.write(text)
    return page


def _remove_page(page: Path) -> None:
    shutil.rmtree(page.parent, ignore_errors=True)


def _open_privately(link: str) -> None:
    page = redirect_page(link)
    atexit.register(_remove_page, page)
    threading.Timer(1.0, webbrowser.open, args=(page.as_uri(),)).start()
    remover = threading.Timer(REDIRECT_PAGE_SECONDS, _remove_page, args=(page,))
    remover.daemon = True
    remover.start()


def _announce(base: str, *, practice: bool, lan: bool) -> str:
    """Print where the app is served and how to log in; returns the link to open."""
    from balancedue.web import login_token

    if practice:
        link = f"{base}/"
        typer.echo(f"balancedue (practice mode) on {link} - staff manage users and grants at {base}/admin/")
    else:
        link = f"{base}/login/{login_token.issue()}"
        typer.echo("balancedue is running for you alone on this computer. Open this link to log in (it works once):")
        typer.echo(f"  {link}")
        if lan:
            import segno

            typer.echo("On your phone (same network), scan this code to open the link:")
            segno.make(link, error="l").terminal(compact=True)
    typer.echo("Press Ctrl+C to stop.", err=True)
    return link


@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback only unless --practice).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8765,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the web browser.")] = False,
    practice: Annotated[bool, typer.Option("--practice", help="Practice mode: accounts and client grants.")] = False,
    add_staff: Annotated[
        str | None,
        typer.Option(
            "--add-staff", metavar="NAME",
            help="Create an account (practice mode) that sees only the clients granted to it, and exit.",
        ),
    ] = None,
    superuser: Annotated[
        bool, typer.Option("--superuser", help="With --add-staff: an administrator, who sees every client.")
    ] = False,
    threads: Annotated[
        int | None, typer.Option(min=1, max=64, help="Worker threads of the server (default: two per core, 4 to 8).")
    ] = None,
    lan: Annotated[
        bool,
        typer.Option(
            "--lan",
            help="Single-user mode on your local network, so a phone on the same Wi-Fi can use its camera: "
            "the one-time login link is printed as a QR code and is still required.",
        ),
    ] = False,
    today: Annotated[str | None, typer.Option(help="Work as if today were this date (YYYY-MM-DD).")] = None,
) -> None:
    """Run the web app: upload a notice, see its deadlines and options, write letters, log calls."""
    if lan:
        if practice:
            raise fail("--lan is for single-user mode; practice mode listens where --host says", 2)
        host = lan_address()
    elif not practice and add_staff is None and not is_loopback(host):
        raise fail(
            f"--host {host} would open the single-user app to the network; use 127.0.0.1, "
            "or --practice for accounts with passwords",
            2,
        )
    if superuser and add_staff is None:
        raise fail("--superuser goes with --add-staff NAME", 2)
    context = _prepare(host, practice or add_staff is not None, today)
    from balancedue.cases.bootstrap import ensure_database

    ensure_database()
    if add_staff is not None:
        _add_staff(add_staff, superuser)
        return
    import waitress

    from balancedue.web import access, login_token, views  # noqa: F401 - every page's imports, before the threads start

    access.install(context)
    from balancedue.web.wsgi import application

    context.rules  # noqa: B018 - loaded once, before many threads ask for them at the same moment
    from balancedue.web import uploads

    uploads.remove_leftovers()  # uploads of an earlier run can no longer be reviewed

    try:
        server = waitress.create_server(
            application, host=host.strip("[]"), port=port, threads=threads or default_threads(), ident="balancedue",
            # Refused by the server itself, before any login is checked or the body is kept on disk.
            max_request_body_size=uploads.max_request_body(),
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise fail(f"port {port} is already in use on {host}; choose another with --port (for example --port {port + 1})", 2) from None
        raise fail(f"cannot listen on {host} port {port}: {exc.strerror or exc}; choose another with --host or --port", 2) from None
    uploads.start_reader()  # once the port is ours: the reading process loads the rules before the first upload
    link = _announce(f"http://{_url_host(host)}:{port}", practice=practice, lan=lan)
    if open_browser:
        _open_privately(link)
    try:
        server.run()
    finally:
        uploads.stop_reader()  # the reading process ends with the server
