"""What the hardening costs: the preflight of data files, frictionless with the pinned
dialect, and the hashed, verified writes of the output folder.

Run from the repository root::

    python bench/hardening.py [ROWS]

It writes a synthetic package of ROWS rows (default 1,000,000; three columns) into a
temporary folder and times, best of three: the preflight alone (``open_package``: strict
decoding, NUL/noncharacter and line-length checks), sse_ld's CSV reader over the same file,
and writing 200 MB through :class:`~sse_ld.publish.OutputFolder` (hashed while written,
flushed, read back and verified) against a plain ``open().write()``. Numbers depend on the
machine; they are measured here, never asserted in the tests.
"""

from __future__ import annotations

import csv
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from sse_ld.csvio import read_records
from sse_ld.package import open_package
from sse_ld.publish import OutputFolder

REPEAT = 3
CHUNK = "x" * 1023 + "\n"


def best(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory(prefix="sse-ld-bench-") as tmp:
        pkg = Path(tmp) / "pkg"
        (pkg / "data").mkdir(parents=True)
        data = pkg / "data" / "rows.csv"
        with data.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["id", "name", "members"])
            w.writerows((i, f"Organización número {i}", i % 500) for i in range(rows))
        (pkg / "datapackage.json").write_text(
            '{"name": "bench", "resources": [{"name": "rows", "path": "data/rows.csv", "schema": {"fields": ['
            '{"name": "id", "type": "integer"}, {"name": "name", "type": "string"},'
            ' {"name": "members", "type": "integer"}]}}]}'
        )
        size = data.stat().st_size / 1e6
        package = open_package(pkg)
        preflight = best(lambda: open_package(pkg))
        reading = best(lambda: sum(1 for _ in read_records(package.resources[0])))
        print(f"{rows:,} rows, {size:.0f} MB")
        print(f"  preflight (open_package):  {preflight:6.2f} s  {size / preflight:7.0f} MB/s")
        print(f"  sse_ld CSV reader:         {reading:6.2f} s  {rows / reading:9,.0f} rows/s")

        megabytes = 200

        def plain() -> None:
            with (Path(tmp) / "plain.txt").open("w", encoding="utf-8") as f:
                for _ in range(megabytes * 1024):
                    f.write(CHUNK)

        def published() -> None:
            with OutputFolder(Path(tmp) / "out") as out:
                with out.open("big.txt") as f:
                    for _ in range(megabytes * 1024):
                        f.write(CHUNK)
                out.commit()

        t_plain, t_pub = best(plain), best(published)
        print(f"  write {megabytes} MB, plain:      {t_plain:6.2f} s")
        print(f"  write {megabytes} MB, published:  {t_pub:6.2f} s  (hashed, fsynced, read back, verified, swapped)")


if __name__ == "__main__":
    main()
