"""Reading one large file with several processes.

The file is cut into byte ranges on record boundaries (:mod:`sse_ld.chunks`). This process
reads the first range, writing straight into the dumps; each other range is read by a
forked child, which writes its dump fragments and its :class:`SegmentState` into a scratch
folder. The fragments are appended in file order and the states merged in file order, so
the output does not depend on the number of processes. Forking shares the compiled mapping,
shapes, vocabulary and key sets of earlier resources without copying them.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import shutil
import signal
import struct
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import InternalError, OutputError, SseLdError, temporary_write_error
from ..mapping import ResourcePlan
from ..package import Resource
from ..tablecheck import TableInfo
from .segment import SegmentState, run_segment
from .sink import PartFiles

if TYPE_CHECKING:
    from .core import Engine

__all__ = ["run_resource"]


class _Counter:
    """Rows read so far by every process, in shared memory (for the progress line)."""

    def __init__(self, slots: int) -> None:
        self.slots = slots
        self.mem = mmap.mmap(-1, 8 * slots)

    def add(self, slot: int, n: int) -> None:
        offset = 8 * slot
        (value,) = struct.unpack_from("q", self.mem, offset)
        struct.pack_into("q", self.mem, offset, value + n)

    def total(self) -> int:
        return sum(struct.unpack_from("q", self.mem, 8 * i)[0] for i in range(self.slots))


def run_resource(
    engine: Engine,
    res: Resource,
    res_index: int,
    info: TableInfo,
    plan: tuple[int, ResourcePlan] | None,
    lookup_keys: list[tuple[str, ...]],
) -> list[SegmentState]:
    """Process ``res``, in parallel when it is large enough; return its segments' states in order."""
    chunks = engine.chunks_for(res, info)
    total_bytes = res.file.stat().st_size
    counter = _Counter(len(chunks) if chunks else 1)
    stop = threading.Event()
    reporter = _start_progress(engine, res, counter, total_bytes, stop)
    try:
        if chunks is None:
            return [
                run_segment(
                    engine, res, res_index, info, plan, lookup_keys, None, engine.sink, lambda n: counter.add(0, n)
                )
            ]
        scratch = Path(tempfile.mkdtemp(prefix="sse-ld-chunks-", dir=engine.scratch))
        children: list[_Worker] = []
        try:
            for k, chunk in enumerate(chunks[1:], start=1):
                pid = os.fork()
                if pid == 0:  # pragma: no cover - the child's coverage is not collected
                    _child(engine, res, res_index, info, plan, lookup_keys, chunk, scratch / str(k), counter, k)
                children.append(_Worker(pid, scratch / str(k)))
            states = [
                run_segment(
                    engine, res, res_index, info, plan, lookup_keys, chunks[0], engine.sink, lambda n: counter.add(0, n)
                )
            ]
            sink = engine.sink
            for child in children:
                if sink is None:
                    states.append(_collect(child))
                    continue
                parts = PartFiles(child.folder)
                sink.follow(parts, child.finished)
                states.append(_collect(child))
                parts.nodes = states[-1].nodes
                sink.append(parts, states[-1].summary)
            return states
        finally:
            # On a failure in this process (a write error, Ctrl-C, a bug), the workers' chunks
            # are of no use: end them now rather than let them read to the end, unreaped.
            for child in children:
                child.stop()
            shutil.rmtree(scratch, ignore_errors=True)
    finally:
        stop.set()
        if reporter is not None:
            reporter.join()


def _child(
    engine: Engine,
    res: Resource,
    res_index: int,
    info: TableInfo,
    plan: tuple[int, ResourcePlan] | None,
    lookup_keys: list[tuple[str, ...]],
    chunk: object,
    folder: Path,
    counter: _Counter,
    slot: int,
) -> None:
    """Run one chunk in a forked process; never returns."""
    code = 0
    try:
        folder.mkdir(parents=True)
        sink = None
        handles: list[IO[str]] = []
        if engine.sink is not None:
            parts = PartFiles(folder)
            summary = engine.sink.summary.fresh() if engine.sink.summary is not None else None
            sink, handles = parts.open_sink(engine.sink.ser, engine.sink.source_base, summary)
        state = run_segment(
            engine,
            res,
            res_index,
            info,
            plan,
            lookup_keys,
            chunk,  # type: ignore[arg-type]
            sink,
            lambda n: counter.add(slot, n),
        )
        for h in handles:
            h.close()
        state.nodes = sink.nodes - 1 if sink is not None else 0
        if sink is not None and sink.summary is not None:
            state.summary = sink.summary.export()
        payload = pickle.dumps(("ok", state), protocol=pickle.HIGHEST_PROTOCOL)
    except SseLdError as exc:
        payload = pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
        code = 1
    except OSError as exc:  # reading the data raises InputError: this is the scratch folder
        error = temporary_write_error(exc, "a worker's part of the output to the temporary folder")
        payload = pickle.dumps(("error", error), protocol=pickle.HIGHEST_PROTOCOL)
        code = _SCRATCH_FAILED
    except BaseException:
        payload = pickle.dumps(("bug", traceback.format_exc()), protocol=pickle.HIGHEST_PROTOCOL)
        code = 2
    try:
        (folder / "state.pickle").write_bytes(payload)
    finally:
        os._exit(code)


class _Worker:
    """A forked worker process and the folder it writes to; reaped once."""

    def __init__(self, pid: int, folder: Path) -> None:
        self.pid = pid
        self.folder = folder
        self.status: int | None = None

    def finished(self) -> bool:
        """Whether the process has ended (without waiting for it)."""
        if self.status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
        return self.status is not None

    def stop(self) -> None:
        """End the process if it is still running, and reap it."""
        if self.status is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.wait()

    def wait(self) -> int:
        """Wait for the process to end; its exit status."""
        if self.status is None:
            _pid, self.status = os.waitpid(self.pid, 0)
        return self.status


#: A worker's exit code when it could not write to its scratch folder: on a full disk its
#: result, which says why, may be missing too.
_SCRATCH_FAILED = 5


def _collect(child: _Worker) -> SegmentState:
    status = child.wait()
    path = child.folder / "state.pickle"
    if not path.exists():
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _SCRATCH_FAILED:
            raise OutputError(
                "a worker process could not write to the temporary folder, not even why",
                hint="check that the temporary folder (TMPDIR) has free space; nothing was published",
            )
        raise InternalError(f"a worker process stopped without a result (status {status})")
    with path.open("rb") as f:  # read as it is unpickled: the whole payload is never held at once
        kind, value = pickle.load(f)
    if kind == "ok":
        assert isinstance(value, SegmentState)
        return value
    if kind == "error":
        raise value
    raise InternalError(f"a worker process failed:\n{value}")


def _start_progress(
    engine: Engine, res: Resource, counter: _Counter, total_bytes: int, stop: threading.Event
) -> threading.Thread | None:
    """A thread showing a live status line twice a second: a bar, rows, rows/s and the time
    left (the row count estimated from the size of the first megabyte's rows); a summary
    line when the file is done."""
    options = engine.options
    if options.progress is None or total_bytes < (8 << 20):
        return None
    start = time.monotonic()
    with res.file.open("rb") as f:
        sample = f.read(1 << 20)
    expected = total_bytes / (len(sample) / max(sample.count(b"\n"), 1))

    def loop() -> None:
        while not stop.wait(0.5):
            rows = counter.total()
            elapsed = time.monotonic() - start
            if rows:
                options.status(_meter(res.path, rows, expected, elapsed))
        elapsed = time.monotonic() - start
        rows = counter.total()
        options.say(f"{res.path}: {rows:,} rows in {elapsed:,.1f} s ({rows / max(elapsed, 1e-9):,.0f} rows/s)")

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return thread


def _meter(name: str, rows: int, expected: float, elapsed: float, width: int = 24) -> str:
    """``name [#####.....]  45%  412,000 rows  27,500 rows/s  ETA 21 s``."""
    done = min(rows / expected, 0.99) if expected > 0 else 0.0
    filled = int(done * width)
    rate = rows / elapsed if elapsed > 0 else 0.0
    eta = f"ETA {max(expected - rows, 0) / rate:,.0f} s" if rate else "ETA ?"
    return f"{name} [{'#' * filled}{'.' * (width - filled)}] {done:4.0%}  {rows:,} rows  {rate:,.0f} rows/s  {eta}"
