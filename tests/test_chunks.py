"""Cutting a CSV file into byte ranges for several processes.

Every cut must fall on a record boundary (a newline outside quotes), the ranges must cover
the file without overlap, each must know the record and line it starts at, and the first
range must have the share of the file asked for (the parent process reads a smaller one:
``sse_ld.engine.core.PARENT_SHARE``).
"""

from __future__ import annotations

import csv
import io
import itertools
import random
from pathlib import Path

import pytest

from sse_ld.chunks import plan_chunks


def _write(path: Path, rows: int, seed: int) -> list[list[str]]:
    rng = random.Random(seed)
    records = [["id", "name", "note"]]
    for i in range(rows):
        note = rng.choice(["", "plain", 'with "quotes"', "two\nlines", 'both "a"\nand b', "comma, inside"])
        records.append([str(i), f"organisation {i} " + "x" * rng.randint(0, 40), note])
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(records)
    return records


@pytest.mark.parametrize("first", [1.0, 0.92, 0.5])
@pytest.mark.parametrize("parts", [2, 3, 4])
def test_chunks_cut_on_records_and_give_the_first_its_share(tmp_path: Path, parts: int, first: float) -> None:
    path = tmp_path / "t.csv"
    records = _write(path, 5000, parts)
    data = path.read_bytes()
    chunks = plan_chunks(path, parts, min_bytes=0, first=first)
    assert len(chunks) == parts
    assert chunks[0].start == 0 and chunks[-1].end == len(data)
    assert all(a.end == b.start for a, b in itertools.pairwise(chunks))
    read: list[list[str]] = []
    for chunk in chunks:
        text = data[chunk.start : chunk.end].decode("utf-8")
        assert chunk.base_row == len(read)  # records before the chunk (the header is record 1)
        assert chunk.base_line == data[: chunk.start].count(b"\n")
        read += list(csv.reader(io.StringIO(text, newline="")))
    assert read == records
    widest = max(len(line) for line in data.split(b"\n")) * 3  # a record spans at most three lines here
    assert abs(chunks[0].end - len(data) * first / (first + parts - 1)) <= widest
