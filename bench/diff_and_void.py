"""Benchmark: sse-ld diff and the VoID distinct-object count on synthetic dumps.

    python bench/diff_and_void.py [TRIPLES]     (default 1,000,000)

Writes two sorted N-Triples dumps of about TRIPLES triples (organisations with a name, a
type, a member count and an area; the second version relabels 1% and adds 1%) into a
temporary folder, then times ``diff_folders`` on them and a ``DistinctCounter`` over their
objects (with the default in-memory cap, so it spills at this size). Synthetic data,
illustrative only.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from sse_ld.diff import diff_folders
from sse_ld.distinct import DistinctCounter
from sse_ld.published import BuildFolder

SSE = "https://w3id.org/sse-ld/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def write(path: Path, orgs: int, version: int) -> int:
    lines = []
    for i in range(orgs + (orgs // 100 if version == 2 else 0)):
        s = f"<https://example.org/bench/organisation/{i:08d}>"
        name = f"Organisation {i}" + (" (renamed)" if version == 2 and i % 100 == 0 else "")
        lines += [
            f"{s} <{RDF_TYPE}> <{SSE}SSEOrganisation> .\n",
            f'{s} <{SKOS}prefLabel> "{name}"@es .\n',
            f"{s} <{SSE}organisationType> <https://w3id.org/sse-ld/code/organisation-type/olla-comun> .\n",
            f'{s} <{SSE}memberCount> "{i % 300}"^^<http://www.w3.org/2001/XMLSchema#integer> .\n',
            f"{s} <{SSE}locatedIn> <https://example.org/bench/area/{i % 1800:04d}> .\n",
        ]
    lines.sort()
    path.write_text("".join(lines), encoding="utf-8")
    return len(lines)


def main() -> None:
    triples = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        folders = []
        for v in (1, 2):
            folder = root / f"v{v}"
            folder.mkdir()
            n = write(folder / "bench.nt", triples // 5, v)
            folders.append(BuildFolder(folder, "bench", {"bench.nt": "0" * 64}))
            print(f"v{v}: {n} triples, {(folder / 'bench.nt').stat().st_size / 1e6:.0f} MB")
        t = time.perf_counter()
        d = diff_folders(folders[0], folders[1])
        print(f"diff: {time.perf_counter() - t:.1f} s — {dict(d.counts)}")
        t = time.perf_counter()
        with DistinctCounter() as c:
            with (folders[1].path / "bench.nt").open(encoding="utf-8") as f:
                for line in f:
                    c.add(line.split(" ", 2)[2].rsplit(" .", 1)[0])
            n = c.count()
            print(f"distinct objects: {n} in {time.perf_counter() - t:.1f} s ({c.spilled} runs spilled)")


if __name__ == "__main__":
    main()
