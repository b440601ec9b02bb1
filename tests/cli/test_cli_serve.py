"""``serve``: the TUI in a browser, on this computer unless --host says otherwise."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner

from supplier_register.cli import main
from supplier_register.cli.serve import is_local, where_to_serve
from supplier_register.services.register import release_read_only
from supplier_register.services.settings import ServeSettings
from supplier_register.tui.serve import RegisterServer, app_command

URL = re.compile(r"""(?:https?|wss?)://[^\s"'<>)]*""", re.IGNORECASE)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read().decode("utf-8", errors="replace")


def test_serve_answers_on_localhost_with_a_page_that_loads_nothing_from_outside(
    loaded_path: Path, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "SUPPLIER_REGISTER_CONFIG_FILE": str(tmp_path / "none.toml"),
    }
    command = [sys.executable, "-m", "supplier_register", "--db", str(loaded_path)]
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port), "--read-only"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = None
        deadline = time.monotonic() + 60  # generous: a busy machine starts Python slowly
        while page is None and time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                status, page = _get(f"http://127.0.0.1:{port}/")
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        assert page is not None, "serve did not answer on localhost"
        assert status == 200
        assert "<title>Supplier register (read-only)</title>" in page
        assert 'id="terminal"' in page
        assert URL.findall(page) == []  # no address of any host: everything is relative
        assert "googleapis" not in page
        for static in re.findall(r'(?:src|href)="([^"]+)"', page) + re.findall(
            r'url\("([^"]+)"\)', page
        ):
            assert not static.startswith(("/", "//")), static
            status, _ = _get(f"http://127.0.0.1:{port}/{static}")
            assert status == 200, static
        # The TUI itself, read-only, in a browser's session; stopped with the browser connected.
        screen, closed = asyncio.run(_session(port, "READ-ONLY", process.terminate))
        assert "READ-ONLY" in screen
        assert closed  # the server ended the session
    finally:
        process.terminate()
        try:
            out, err = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
    assert f"http://127.0.0.1:{port}" in out
    assert "Ctrl+C" in out
    assert "Traceback" not in err, err


async def _session(port: int, wanted: str, then: Callable[[], None]) -> tuple[str, bool]:
    """What a browser's session shows until ``wanted`` appears, when ``then`` is called; and
    whether the server closed the session afterwards (each wait a generous minute)."""
    seen = ""
    async with (
        aiohttp.ClientSession() as client,
        client.ws_connect(f"http://127.0.0.1:{port}/ws?width=120&height=40") as websocket,
    ):
        called = False
        while True:
            try:
                message = await asyncio.wait_for(websocket.receive(), 60)
            except TimeoutError:
                return seen, False
            if message.type is aiohttp.WSMsgType.BINARY:
                seen += message.data.decode("utf-8", errors="replace")
            elif message.type is aiohttp.WSMsgType.TEXT:
                seen += message.data
            else:
                return seen, called
            if wanted in seen and not called:
                then()
                called = True


def test_the_host_from_the_config_file_must_be_local(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[serve]\nhost = "0.0.0.0"\nport = 8123\n', encoding="utf-8")
    result = CliRunner().invoke(
        main,
        ["--db", str(tmp_path / "r.db"), "serve"],
        env={"SUPPLIER_REGISTER_CONFIG_FILE": str(config)},
    )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ") and '[serve] host = "0.0.0.0"' in lines[0]
    assert "--host" in lines[0]
    assert not (tmp_path / "r.db").exists()  # refused before anything was opened


def test_where_to_serve() -> None:
    none = ServeSettings(Path("config.toml"))
    assert where_to_serve(None, None, none) == ("127.0.0.1", 8000)
    assert where_to_serve(None, None, ServeSettings(Path("c"), "localhost", 9000)) == (
        "localhost",
        9000,
    )
    assert where_to_serve("0.0.0.0", 8001, ServeSettings(Path("c"), "::1", 9000)) == (
        "0.0.0.0",
        8001,
    )
    assert is_local("127.0.0.2") and is_local("::1") and is_local("localhost")
    assert not is_local("0.0.0.0") and not is_local("192.168.1.10") and not is_local("::")


def test_an_explicit_other_host_is_warned_about_and_given_to_the_server(
    loaded_path: Path, tmp_path: Path
) -> None:
    """--host 0.0.0.0 warns that there is no authentication; here the port is taken, so the
    command stops there (with one line) and nothing is served to the network."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main,
            ["--db", str(loaded_path), "serve", "--host", "0.0.0.0", "--port", str(port)],
            env={"SUPPLIER_REGISTER_CONFIG_FILE": str(tmp_path / "none.toml")},
        )
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("warning: serving on 0.0.0.0:") and "no authentication" in lines[0]
    assert "SSH tunnel" in lines[0] and "reverse proxy with authentication" in lines[0]
    assert f"(ssh -L {port}:127.0.0.1:{port} you@this-host)" in lines[0], "the port served"
    assert lines[1].startswith(f"error: --port: port {port} on 0.0.0.0 is already in use")
    server = RegisterServer(
        app_command(loaded_path, read_only=True), "0.0.0.0", port, read_only=True
    )
    assert (server.host, server.port) == ("0.0.0.0", port)
    assert server.command.endswith("--read-only")


def test_port_in_use_on_localhost_is_one_line(loaded_path: Path, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            main,
            ["--db", str(loaded_path), "serve", "--port", str(port)],
            env={"SUPPLIER_REGISTER_CONFIG_FILE": str(tmp_path / "none.toml")},
        )
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: --port: port {port} on 127.0.0.1 is already in use by another program; "
        "nothing was started. Choose another with --port"
    ]


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_a_bad_port_is_one_line_naming_the_option(loaded_path: Path, port: str) -> None:
    result = CliRunner().invoke(main, ["--db", str(loaded_path), "serve", "--port", port])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --port: ")


def test_the_command_runs_this_program_on_the_same_register(tmp_path: Path) -> None:
    path = tmp_path / "a register's file.db"
    command = app_command(path, read_only=False)
    assert command.split()[0] == sys.executable
    assert "'" in command and "--read-only" not in command  # quoted for the shell
    release_read_only(path)


def test_demo_serves_one_copy_removed_when_serve_stops(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "SUPPLIER_REGISTER_CONFIG_FILE": str(tmp_path / "none.toml"),
        "SUPPLIER_REGISTER_DB": str(tmp_path / "own.db"),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "supplier_register", "--demo", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()  # printed before it serves
        match = re.search(r"Serving the register (\S+demo\.db) \(the demo copy", first)
        assert match, first
        demo = Path(match.group(1))
        assert demo.is_file()
    finally:
        process.terminate()
        try:
            process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
    assert not demo.parent.exists()
    assert not (tmp_path / "own.db").exists()  # the user's own register is never touched
