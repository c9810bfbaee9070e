"""A no-network guard for the test suite: any outgoing connection or name lookup other
than to the loopback interface is blocked and recorded.

It is a Python audit hook (PEP 578) on ``socket.connect``, ``socket.getaddrinfo`` and
friends, installed by ``tests/conftest.py`` for the whole session, and in every Python
process the tests start (:func:`guard_children`: ``tests/guardsite/sitecustomize.py`` on
``PYTHONPATH``; :func:`guarded_argv` does it explicitly). An audit hook cannot be removed,
and it runs before the operating system is asked, so a blocked connection never leaves the
machine. conftest fails the test that tried (even if the code under test caught the
error; child processes report through a log file), and the session if anything slipped
through.

Limits: native code that opens sockets without going through Python's ``socket`` module
(e.g. a Rust or C library's own HTTP client) is not seen; the tests that run ``rapper``
pass it its no-network option.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from pathlib import Path

__all__ = ["BLOCKED", "NetworkBlocked", "guard_children", "guarded_argv", "install", "is_local"]

#: Every blocked attempt: (event, address), in order.
BLOCKED: list[tuple[str, str]] = []
_INSTALLED = False
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""})


class NetworkBlocked(ConnectionRefusedError):
    """Raised (inside the code under test) instead of an outgoing connection."""


def is_local(host: object) -> bool:
    """True for loopback addresses and names, Unix-socket paths and "any address" binds."""
    if host is None or isinstance(host, (bytes, bytearray)):
        return True
    if not isinstance(host, str):
        return False
    if host.lower() in _LOCAL_NAMES:
        return True
    try:
        addr = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        try:  # numeric forms the resolver reads without DNS: '2130706433', '0177.1', '127.1'
            addr = ipaddress.ip_address(socket.inet_aton(host))
        except OSError:
            return False
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    return addr.is_loopback or addr.is_unspecified


def _host_of(address: object) -> object:
    if isinstance(address, tuple) and address:
        return address[0]
    return address  # a Unix socket path (str or bytes) or something unknown


# Host names a process may reach: set only for the Python processes a test marked
# ``@pytest.mark.network(host, ..., reason=...)`` starts (see conftest.py).
_ALLOWED = frozenset(h for h in os.environ.get("SSE_LD_NETGUARD_ALLOW", "").split(",") if h)
_resolved_allowed = False


def _hook(event: str, args: tuple[object, ...]) -> None:
    global _resolved_allowed
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        sock, address = args[0], args[1]
        family = getattr(sock, "family", None)
        if family == getattr(socket, "AF_UNIX", object()):
            return
        host = _host_of(address)
    elif event in ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"):
        host = args[0]
        if isinstance(host, bytes):
            host = host.decode("ascii", "replace")
    else:
        return
    if host in _ALLOWED:
        _resolved_allowed = True
        return
    if _resolved_allowed and event == "socket.connect":
        return  # to an address an allowed name resolved to (the hook does not see which)
    if not is_local(host):
        BLOCKED.append((event, repr(host)))
        log = os.environ.get("SSE_LD_NETGUARD_LOG")
        if log:  # so that the test that started this process learns of it
            with open(log, "a", encoding="utf-8") as f:
                f.write(f"{os.getpid()} {event} {host!r}\n")
        raise NetworkBlocked(f"the test suite's no-network guard blocked {event} to {host!r}")


def install() -> None:
    """Install the guard in this process (idempotent)."""
    global _INSTALLED
    if not _INSTALLED:
        sys.addaudithook(_hook)
        _INSTALLED = True


def guarded_argv(*args: str) -> list[str]:
    """A ``python`` command line that installs the guard, then runs ``args`` as
    ``python ARGS`` would (``-m module ...`` or ``script.py ...``)."""
    here = str(Path(__file__).resolve().parent)
    boot = (
        f"import runpy, sys; sys.path.insert(0, {here!r}); import netguard; netguard.install(); "
        "args = sys.argv[1:]; "
        "sys.argv = args[1:] if args[0] == '-m' else args; "
        "runpy.run_module(args[1], run_name='__main__', alter_sys=True) if args[0] == '-m' "
        "else runpy.run_path(args[0], run_name='__main__')"
    )
    return [sys.executable, "-c", boot, *args]


def guard_children(log: Path) -> None:
    """Make every Python process started from now on install the guard too (through
    ``tests/guardsite/sitecustomize.py`` on ``PYTHONPATH``), recording blocks in ``log``."""
    site = str(Path(__file__).resolve().parent / "guardsite")
    paths = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p and p != site]
    os.environ["PYTHONPATH"] = os.pathsep.join([site, *paths])
    os.environ["SSE_LD_NETGUARD"] = "1"
    os.environ["SSE_LD_NETGUARD_LOG"] = str(log)
