"""Run ``sse-ld`` in a child process with one fault injected at a precise point.

Used by tests/test_faults.py (started through ``netguard.guarded_argv``)::

    python fault_child.py FAULT SIGNAL_DIR sse-ld-arguments...

Faults that pause create ``SIGNAL_DIR/ready`` at the fault point and wait for
``SIGNAL_DIR/go`` (or to be killed):

* ``pause-mid-write``: the dumps are half-written: the first row is in each (flushed to disk);
* ``pause-before-swap``: every file and SHA256SUMS are written, the swap is next;
* ``kill-between-renames``: the portable two-rename swap is used, and the process sends
  itself SIGKILL right after the first rename (the previous output moved aside);
* ``file-size-limit=N``: the kernel refuses any write past N bytes in a file (RLIMIT_FSIZE),
  a real write error, as a full disk gives;
* ``none``: no fault.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path
from typing import Any


def _pause(signal_dir: Path) -> None:
    (signal_dir / "ready").touch()
    while not (signal_dir / "go").exists():
        time.sleep(0.05)


def _inject(fault: str, signal_dir: Path) -> None:
    import sse_ld.publish as publish

    if fault == "pause-mid-write":
        from sse_ld.engine.sink import Sink

        real_write = Sink.write
        paused = []

        def write_then_pause(self: Sink, blocks: Any) -> None:
            real_write(self, blocks)
            if not paused:  # the first rows are in every dump (and on disk): pause there
                paused.append(True)
                for stream in self.streams.values():
                    stream.flush()
                _pause(signal_dir)

        Sink.write = write_then_pause  # type: ignore[method-assign]
    elif fault == "pause-before-swap":
        real_exchange = publish._exchange

        def pause_then_exchange(a: Path, b: Path) -> bool:
            _pause(signal_dir)
            return real_exchange(a, b)

        publish._exchange = pause_then_exchange
    elif fault == "kill-between-renames":
        publish._exchange = lambda a, b: False
        real_rename = os.rename

        def rename_then_die(src: Any, dst: Any) -> None:
            real_rename(src, dst)
            if ".old-" in str(dst):
                os.kill(os.getpid(), signal.SIGKILL)

        os.rename = rename_then_die  # type: ignore[assignment]
    elif fault.startswith("file-size-limit="):
        import resource

        limit = int(fault.split("=", 1)[1])
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG from write(), not a signal
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    elif fault != "none":
        raise SystemExit(f"unknown fault {fault!r}")


def main() -> None:
    fault, signal_dir, *argv = sys.argv[1:]
    # Ctrl-C reaches a command run from a terminal as KeyboardInterrupt. A process started
    # from a background job of a non-interactive shell inherits SIGINT ignored, and Python
    # then keeps it ignored: the tests that send SIGINT would wait for nothing. Restore the
    # terminal's case, whatever started the test run.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    _inject(fault, Path(signal_dir))
    from sse_ld.cli import main as sse_ld_main

    raise SystemExit(sse_ld_main(argv))


if __name__ == "__main__":
    main()
