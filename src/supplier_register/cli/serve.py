"""``serve``: the terminal interface in a browser (textual-serve), for board members.

Bound to this computer (127.0.0.1) unless ``--host`` names another address explicitly; then a
warning says there is no authentication.  A host from the configuration file's ``[serve]``
table may only be local.  ``--read-only`` opens the register so that no screen can write.
"""

from __future__ import annotations

import errno
import importlib
import ipaddress
import signal
import socket

import click

from supplier_register.cli.root import TEXT, State, WholeNumber, pass_state, warn_location
from supplier_register.domain.errors import RegisterError
from supplier_register.services.register import ensure_register
from supplier_register.services.settings import ServeSettings, serve_settings

LOCAL_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PORT = WholeNumber(1, 65535)


def is_local(host: str) -> bool:
    """Whether ``host`` is this computer only (a loopback address, or ``localhost``)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def no_authentication_warning(host: str, port: int, *, read_only: bool) -> str:
    """What the user must know before the register is reachable from other computers."""
    can = "read the register" if read_only else "read and change the register"
    return (
        f"serving on {host}:{port}, reachable from other computers, with no authentication: "
        f"anyone who can reach it can {can}. Prefer an SSH tunnel to 127.0.0.1 "
        f"(ssh -L {port}:127.0.0.1:{port} you@this-host), or put it behind a reverse proxy "
        "with authentication"
    )


def where_to_serve(
    host_option: str | None, port_option: int | None, settings: ServeSettings
) -> tuple[str, int]:
    """The host and port to listen on: the options, else ``[serve]``, else 127.0.0.1:8000.

    A host other than this computer's must be given with ``--host``: one from the
    configuration file is refused (a line naming the setting), so a copied file can never
    open the register to the network by itself.
    """
    if host_option is not None:
        host = host_option.strip()
        if not host:
            raise RegisterError("--host: give a host name or address, such as 127.0.0.1")
    else:
        host = settings.host or LOCAL_HOST
        if not is_local(host):
            raise RegisterError(
                f'{settings.path} [serve] host = "{host}" is not this computer; a register is '
                "served to other computers only with an explicit --host. Nothing was started"
            )
    return host, port_option or settings.port or DEFAULT_PORT


def check_port(host: str, port: int) -> None:
    """Refuse, in one line, an address this computer cannot listen on or a port in use."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise RegisterError(
            f"--host: {host} is not a host name or address this computer knows ({exc.strerror})"
        ) from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise RegisterError(
                    f"--port: port {port} on {host} is already in use by another program; "
                    "nothing was started. Choose another with --port"
                ) from None
            raise RegisterError(
                f"--host: cannot listen on {host} port {port} ({exc.strerror}); nothing was started"
            ) from None


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def browse_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}"


@click.command()
@click.option(
    "--host",
    type=TEXT,
    default=None,
    help="Address to listen on (default: 127.0.0.1, this computer only). Any other address "
    "must be given here and has no authentication: use an SSH tunnel or a reverse proxy.",
)
@click.option(
    "--port",
    type=PORT,
    default=None,
    help=f"Port to listen on (default: [serve] port in the configuration file, else {DEFAULT_PORT}).",
)
@click.option(
    "--read-only",
    "read_only",
    is_flag=True,
    help="Open the register so that no screen can change it (for board meetings).",
)
@pass_state
def serve(state: State, host: str | None, port: int | None, read_only: bool) -> None:
    """Open the register in a web browser (the same screens), for board members.

    Listens on 127.0.0.1 (this computer only) unless --host says otherwise; each browser
    that connects gets its own session on the same register.  Stop it with Ctrl+C.
    """
    host, port = where_to_serve(host, port, serve_settings())
    read_only = read_only or state.read_only
    state.read_only = read_only
    # Stopped (SIGTERM) before the server takes the signals over: end as Ctrl+C does, so the
    # --demo copy is still removed.  The handler before is back when the command ends.
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        _serve(state, host, port, read_only)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _serve(state: State, host: str, port: int, read_only: bool) -> None:
    path = state.db_path
    warn_location(path)
    ensure_register(path)  # create/migrate (or, read-only, check) now: one line, not a crash
    if not is_local(host):
        click.echo(
            f"warning: {no_authentication_warning(host, port, read_only=read_only)}", err=True
        )
    check_port(host, port)
    mode = " read-only" if read_only else ""
    demo = " (the demo copy, removed when this stops)" if state.demo else ""
    click.echo(f"Serving the register {path}{demo}{mode} at {browse_url(host, port)}")
    click.echo("Open that address in a browser. Press Ctrl+C to stop.")
    importlib.import_module("supplier_register.tui.serve").serve(
        path, host, port, read_only=read_only
    )
