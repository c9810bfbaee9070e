"""The scale benchmark: sse-ld build against the naive stack and a raw N-Triples writer.

    python bench/run.py --rows 100000 [--workers 2] [--naive-max 100000] [--naive-timeout 3600] [--keep DIR]

Generates a synthetic package (``bench/generate.py``, with its seeded violations), then, in
the same run and on the same files, times three programs, each in its own process:

* ``sse-ld build --force``: every table check, the mapping, every SHACL shape, the three
  dumps, provenance, gzip, VoID, catalog, checksums;
* the naive stack (``bench/naive.py``): frictionless validate, ``rdflib.Graph.add`` per
  triple, pyshacl on the whole graph, rdflib's three serialisers; skipped above
  ``--naive-max`` rows, and stopped after ``--naive-timeout`` seconds (reported as not
  finished, with the stages it completed);
* the raw writer (``bench/raw.py``): csv module and f-strings, N-Triples only, no checks.

Each run prints one JSON line: seconds (wall), rows/s, peak RSS of the largest process and
of the whole process tree (sampled from /proc every 50 ms), CPU seconds. A last line gives
the ratios between them and whether every seeded violation was reported, exactly once per
seeded row. Figures are this machine's; ``bench/RESULTS.md`` records them with the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from generate import generate  # noqa: E402


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))  # fields[1]: parent pid
        rss[int(entry)] = int(fields[21]) * page  # fields[21]: resident pages
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo.extend(children.get(p, []))
    return total


def timed(name: str, argv: list[str], rows: int, timeout: float | None = None, **extra: Any) -> dict[str, Any]:
    """Run ``argv``; its wall time, CPU time and peak memory as one result. A run that
    outlives ``timeout`` seconds is killed and reported as not finished (``"exit": null``)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak_tree = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_tree
        while not done.wait(0.05):
            peak_tree = max(peak_tree, _tree_rss(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    finished = True
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        finished = False
    seconds = time.monotonic() - start
    done.set()
    sampler.join()
    usage = _children_usage()
    return {
        "run": name,
        "rows": rows,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows / seconds) if seconds else None,
        "peak_rss_mb": round(usage["maxrss_kb"] / 1024),
        "peak_tree_rss_mb": round(peak_tree / 2**20),
        "cpu_s": round(usage["cpu_s"], 2),
        "exit": proc.returncode if finished else None,
        **({} if finished else {"killed_after_s": timeout}),
        **extra,
        "_stdout": out.decode("utf-8", "replace"),
        "_stderr": err.decode("utf-8", "replace"),
    }


_last_usage = {"cpu_s": 0.0}


def _children_usage() -> dict[str, float]:
    """CPU seconds of the children waited since the previous call, and the largest RSS of any."""
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = r.ru_utime + r.ru_stime
    used = cpu - _last_usage["cpu_s"]
    _last_usage["cpu_s"] = cpu
    # ru_maxrss of RUSAGE_CHILDREN is the largest of any child so far: runs go from the
    # smallest footprint (raw) to the largest, so it is the current run's own peak.
    return {"cpu_s": used, "maxrss_kb": float(r.ru_maxrss)}


def seeded_check(package: Path, report: dict[str, Any]) -> dict[str, Any]:
    """Whether the build reported every seeded violation, at its row, and nothing else."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    seeded = {(v["row"], v["code"]) for kind in descriptor["sse_ld"]["synthetic"]["violations"].values() for v in kind}
    found = {
        (i["location"].get("row"), i["code"])
        for i in report["issues"]
        if i["severity"] == "error" and i["location"].get("resource") == "organisations"
    }
    return {
        "seeded": len(seeded),
        "missed": sorted(seeded - found)[:5],
        "unexpected": sorted(found - seeded)[:5],
        "all_found": seeded <= found,
        "nothing_else": found <= seeded,
    }


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(mem / 2**30, 1),
        "python": platform.python_version(),
        "system": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, required=True, help="organisation rows to generate")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="sse-ld build --workers")
    parser.add_argument("--naive-max", type=int, default=100_000, help="largest size the naive stack runs at")
    parser.add_argument(
        "--naive-timeout", type=float, default=3600.0, help="seconds after which the naive stack is stopped"
    )
    parser.add_argument("--keep", type=Path, help="keep the package and outputs in this folder")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="sse-ld-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    package = work / f"synthetic-{args.rows}"
    try:
        if package.exists():
            shutil.rmtree(package)
        t = time.monotonic()
        generate(args.rows, package, seed=args.seed)
        print(
            json.dumps(
                {"machine": machine(), "generated_rows": args.rows, "generate_s": round(time.monotonic() - t, 1)}
            )
        )

        results: dict[str, dict[str, Any]] = {}
        exe = sys.executable
        results["raw"] = timed(
            "raw N-Triples writer", [exe, "bench/raw.py", str(package), str(work / "raw")], args.rows
        )
        sse = [exe, "-m", "sse_ld", "build", str(package), "--out", str(work / "sse-ld"), "--force", "--quiet"]
        results["sse-ld"] = timed(
            "sse-ld build",
            [*sse, "--workers", str(args.workers), "--format", "json"],
            args.rows,
            workers=args.workers,
        )
        if args.rows <= args.naive_max:
            results["naive"] = timed(
                "naive stack",
                [exe, "bench/naive.py", str(package), str(work / "naive")],
                args.rows,
                timeout=args.naive_timeout,
            )
            stages = [json.loads(x) for x in results["naive"]["_stderr"].splitlines() if x.startswith('{"stage"')]
            results["naive"]["stages"] = {x["stage"]: x["seconds"] for x in stages}
        for r in results.values():
            shown = {k: v for k, v in r.items() if not k.startswith("_")}
            print(json.dumps(shown))
            if r["run"] != "sse-ld build" and r["exit"] not in (0, None):
                print(r["_stderr"][-2000:], file=sys.stderr)

        sse_run = results["sse-ld"]
        try:
            report = json.loads(sse_run["_stdout"])
            check = seeded_check(package, report)
        except (ValueError, KeyError) as exc:
            print(sse_run["_stderr"][-2000:], file=sys.stderr)
            check = {"error": f"no JSON report from sse-ld build: {exc}"}
        written = sorted(p.name for p in (work / "sse-ld").iterdir()) if (work / "sse-ld").is_dir() else []
        summary: dict[str, Any] = {"seeded_violations": check, "outputs": written}
        s = sse_run["seconds"]
        summary["sse-ld_rows_per_s"] = sse_run["rows_per_s"]
        summary["sse-ld_over_raw"] = round(s / results["raw"]["seconds"], 2)
        if "naive" in results and results["naive"]["exit"] == 0:
            summary["naive_over_sse-ld"] = round(results["naive"]["seconds"] / s, 1)
        print(json.dumps({"ratios": summary}))
        ok = sse_run["exit"] in (0, 1) and check.get("all_found") and check.get("nothing_else")
        return 0 if ok else 1
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
