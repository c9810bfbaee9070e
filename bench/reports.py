"""How fast a package with 10,000 findings is validated and reported.

Run from the repository root::

    python bench/reports.py [PACKAGE]

It validates ``tests/cases/invalid/table-10000-errors`` (2,500 rows, four errors each) a few
times, and renders the report in every format and language, printing the best time of each
step and the size of the output. Numbers depend on the machine; they are measured here, never
asserted in the tests.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from sse_ld import Options, validate
from sse_ld.reporters import REPORTERS

ROOT = Path(__file__).resolve().parent.parent
REPEAT = 3


def best(fn: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(REPEAT):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    package = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "tests" / "cases" / "invalid" / "table-10000-errors")
    validate(package)  # warm up: imports, the bundled vocabulary
    for lang in ("en", "es"):
        seconds, report = best(lambda lang=lang: validate(package, Options(lang=lang)))
        print(f"validate ({lang}): {seconds:6.2f} s for {len(report.issues)} findings")  # type: ignore[attr-defined]
        for fmt, render in REPORTERS.items():
            seconds, text = best(lambda render=render, report=report, lang=lang: render(report, lang=lang))
            out = str(text)
            print(f"  {fmt:<6} {seconds * 1000:8.1f} ms  {len(out.splitlines()):6d} lines  {len(out) / 1024:8.1f} KiB")


if __name__ == "__main__":
    main()
