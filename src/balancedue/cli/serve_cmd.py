"""``balancedue serve``: the web app under waitress, on this computer.

Single-user mode (the default) answers on the loopback address only and prints a one-time login
link.  Practice mode (``--practice``) uses accounts: staff add users and grant them clients in
the Django admin (``/admin/``); ``--add-staff NAME`` creates a staff account and exits.
"""

from __future__ import annotations

import errno
import ipaddress
import socket
import threading
import webbrowser
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


def _add_staff(username: str) -> None:
    from balancedue.web import accounts

    accounts.check_new_name(username)
    password = typer.prompt(f"Password for {username}", hide_input=True, confirmation_prompt=True)
    accounts.add_staff(username, password)
    typer.echo(f"Staff account {username!r} created. Start the server with: balancedue serve --practice")


@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback only unless --practice).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8765,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the web browser.")] = False,
    practice: Annotated[bool, typer.Option("--practice", help="Practice mode: accounts and client grants.")] = False,
    add_staff: Annotated[
        str | None, typer.Option("--add-staff", metavar="NAME", help="Create a staff account (practice mode) and exit.")
    ] = None,
    threads: Annotated[int, typer.Option(min=1, max=64, help="Worker threads of the server.")] = 8,
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
    context = _prepare(host, practice or add_staff is not None, today)
    from balancedue.cases.bootstrap import ensure_database

    ensure_database()
    if add_staff is not None:
        _add_staff(add_staff)
        return
    import waitress

    from balancedue.web import access, login_token, views  # noqa: F401 - every page's imports, before the threads start

    access.install(context)
    from balancedue.web.wsgi import application

    context.rules  # noqa: B018 - loaded once, before many threads ask for them at the same moment
    from balancedue.web import uploads

    uploads.start_reader()

    try:
        server = waitress.create_server(
            application, host=host.strip("[]"), port=port, threads=threads, ident="balancedue"
        )
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise fail(f"port {port} is already in use on {host}; choose another with --port (for example --port {port + 1})", 2) from None
        raise fail(f"cannot listen on {host} port {port}: {exc.strerror or exc}; choose another with --host or --port", 2) from None
    base = f"http://{_url_host(host)}:{port}"
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
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(link,)).start()
    server.run()
