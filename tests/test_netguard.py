"""The no-network guard itself: it must block (and record) what it claims to, in this
process and in the Python subprocesses the tests start, and let loopback through."""

from __future__ import annotations

import http.server
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import netguard
import pytest


@pytest.fixture
def forget_blocked() -> Iterator[None]:
    """These tests provoke blocks on purpose; forget them so the suite-wide check passes."""
    before = len(netguard.BLOCKED)
    log = Path(os.environ["SSE_LD_NETGUARD_LOG"])
    size = log.stat().st_size
    yield
    del netguard.BLOCKED[before:]
    with log.open("r+", encoding="utf-8") as f:
        f.truncate(size)


def test_connect_to_a_public_address_is_blocked_before_leaving(forget_blocked: None) -> None:
    with socket.socket() as s, pytest.raises(netguard.NetworkBlocked):
        s.connect(("192.0.2.1", 80))  # TEST-NET-1: would time out if it were really tried
    assert netguard.BLOCKED[-1] == ("socket.connect", "'192.0.2.1'")


def test_name_lookups_are_blocked(forget_blocked: None) -> None:
    with pytest.raises(netguard.NetworkBlocked):
        socket.getaddrinfo("example.org", 443)
    with pytest.raises(netguard.NetworkBlocked):
        socket.gethostbyname("example.org")


def test_udp_is_blocked(forget_blocked: None) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s, pytest.raises(netguard.NetworkBlocked):
        s.sendto(b"x", ("198.51.100.1", 53))


def test_high_level_clients_are_blocked_too(forget_blocked: None) -> None:
    with pytest.raises(OSError):
        urllib.request.urlopen("http://192.0.2.1/", timeout=1)
    assert netguard.BLOCKED


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "2130706433", "0.0.0.0", "::ffff:127.0.0.1"])
def test_loopback_counts_as_local(host: str) -> None:
    assert netguard.is_local(host)


@pytest.mark.parametrize("host", ["192.0.2.1", "10.0.0.1", "169.254.169.254", "example.org", "fe80::1"])
def test_everything_else_does_not(host: str) -> None:
    assert not netguard.is_local(host)


def test_a_loopback_server_the_test_starts_is_reachable() -> None:
    class Hello(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    srv = http.server.HTTPServer(("127.0.0.1", 0), Hello)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{srv.server_address[1]}/", timeout=5) as r:
            assert r.read() == b"ok"
    finally:
        srv.shutdown()
        srv.server_close()


def test_subprocesses_started_through_guarded_argv_are_guarded(tmp_path: Path, forget_blocked: None) -> None:
    script = tmp_path / "probe.py"
    script.write_text(
        "import socket, sys\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=1)\n"
        "    print('connected')\n"
        "except ConnectionRefusedError as e:\n"
        "    print('blocked:', e, sys.argv[1:])\n"
    )
    out = subprocess.run(netguard.guarded_argv(str(script), "an-argument"), capture_output=True, text=True, timeout=60)
    assert "blocked: the test suite's no-network guard" in out.stdout, out.stdout + out.stderr
    assert "['an-argument']" in out.stdout


def test_guarded_argv_runs_sse_ld_as_a_module(tmp_path: Path) -> None:
    out = subprocess.run(netguard.guarded_argv("-m", "sse_ld", "--version"), capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and out.stdout.startswith("sse-ld "), out.stdout + out.stderr


def test_any_python_subprocess_is_guarded_and_reports_to_the_test(forget_blocked: None) -> None:
    """Started without guarded_argv (as library code under test would start a worker)."""
    code = (
        "import socket\n"
        "try:\n"
        "    socket.getaddrinfo('example.org', 80)\n"
        "except OSError as e:\n"
        "    print(type(e).__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "NetworkBlocked", out.stdout + out.stderr
    assert "socket.getaddrinfo 'example.org'" in Path(os.environ["SSE_LD_NETGUARD_LOG"]).read_text()
