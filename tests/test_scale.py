"""The streaming engine at scale: the synthetic generator, the seeded violations, reading a
file in several processes, the summary counted during the pass, the progress meter.

Speed is measured by ``bench/run.py``, never asserted here; these tests check that what the
fast paths produce is right and the same whatever the number of processes.
"""

from __future__ import annotations

import csv
import gc
import hashlib
import importlib.util
import io
import json
from pathlib import Path
from types import ModuleType

import pytest
from conftest import ROOT
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import VOID, XSD

import sse_ld
from sse_ld.cli.common import add_package_options, package_options
from sse_ld.engine.parallel import _meter
from sse_ld.graphstats import SummaryBuilder
from sse_ld.ntriples import read_blocks
from sse_ld.options import Options
from sse_ld.report import Severity


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "bench" / "generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("gen") / "pkg"
    _generator().generate(6_000, out, seed=3)
    return out


def _digest_tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_generator_says_it_is_synthetic_and_is_deterministic(tmp_path: Path) -> None:
    gen = _generator()
    a = gen.generate(500, tmp_path / "a", seed=5)
    gen.generate(500, tmp_path / "b", seed=5)
    assert _digest_tree(tmp_path / "a") == _digest_tree(tmp_path / "b")
    assert a["name"].startswith("synthetic-")
    assert "SYNTHETIC" in a["title"] and "SYNTHETIC" in a["description"]
    kinds = a["sse_ld"]["synthetic"]["violations"]
    assert len(kinds) >= 11 and all(len(rows) == 3 for rows in kinds.values())
    with (tmp_path / "a" / "data" / "organisations.csv").open(encoding="utf-8") as f:
        assert sum(1 for _ in csv.reader(f)) == 501


def test_every_seeded_violation_is_reported_at_its_row_and_nothing_else(generated: Path) -> None:
    descriptor = json.loads((generated / "datapackage.json").read_text(encoding="utf-8"))
    seeded = {(v["row"], v["code"]) for rows in descriptor["sse_ld"]["synthetic"]["violations"].values() for v in rows}
    report = sse_ld.validate(generated, Options(workers=1))
    found = {(i.location.row, i.code) for i in report.issues if i.severity is Severity.ERROR}
    assert found == seeded


def test_collections_are_rarer_while_sse_ld_runs_and_the_callers_settings_come_back(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Also when the pass fails: a library must leave the interpreter's collector as it was
    (its thresholds, and a generation the caller froze itself)."""
    import sse_ld.engine.segment as segment
    from sse_ld import pipeline

    seen: list[tuple[tuple[int, int, int], bool]] = []
    digest = segment.digest
    fail = False
    calls = [0]

    def probe(iri: str) -> bytes:
        calls[0] += 1
        if calls[0] % 500 == 1:  # gc.get_freeze_count() walks the frozen objects: not every row
            seen.append((gc.get_threshold(), gc.get_freeze_count() > 0))
            if fail and len(seen) == 2:
                raise RuntimeError("stop here")
        return digest(iri)

    monkeypatch.setattr(segment, "digest", probe)
    saved = gc.get_threshold()
    young = (pipeline._YOUNG_THRESHOLD, 11, 12)
    try:
        gc.set_threshold(1234, 11, 12)
        sse_ld.validate(generated, Options(workers=1))
        assert seen and set(seen) == {(young, True)}  # the pass ran with what was loaded frozen
        assert (gc.get_threshold(), gc.get_freeze_count()) == ((1234, 11, 12), 0)

        fail, seen[:], calls[0] = True, [], 0
        with pytest.raises(RuntimeError, match="stop here"):
            sse_ld.validate(generated, Options(workers=1))
        assert set(seen) == {(young, True)}
        assert (gc.get_threshold(), gc.get_freeze_count()) == ((1234, 11, 12), 0)

        fail, seen[:] = False, []
        gc.freeze()  # the caller's own frozen generation: sse-ld must neither add to it nor unfreeze it
        frozen = gc.get_freeze_count()
        sse_ld.validate(generated, Options(workers=1))
        assert set(seen) == {(young, True)} and gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)


@pytest.mark.parametrize("workers", [2, 3])
def test_reading_a_file_in_several_processes_gives_the_same_bytes(
    generated: Path, tmp_path: Path, workers: int
) -> None:
    serial = sse_ld.build(generated, tmp_path / "serial", Options(workers=1), force=True)
    parallel = sse_ld.build(generated, tmp_path / "parallel", Options(workers=workers, split_bytes=0), force=True)
    assert serial.written and parallel.written
    assert parallel.report.to_dict() == serial.report.to_dict()
    assert _digest_tree(tmp_path / "parallel") == _digest_tree(tmp_path / "serial")


def test_keys_and_subjects_repeated_across_chunks_are_found(generated: Path, tmp_path: Path) -> None:
    """The last row repeats the first row's key: the two rows are in different chunks."""
    pkg = tmp_path / "pkg"
    import shutil

    shutil.copytree(generated, pkg)
    data = pkg / "data" / "organisations.csv"
    with data.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    with data.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(rows[1])
    last_row = len(rows) + 1
    serial = sse_ld.validate(pkg, Options(workers=1))
    parallel = sse_ld.validate(pkg, Options(workers=2, split_bytes=0))
    assert parallel.to_dict() == serial.to_dict()
    at_last = {i.code for i in parallel.issues if i.location.row == last_row}
    assert "primary-key" in at_last


@pytest.mark.parametrize(("workers", "keys_in_memory"), [(2, 250_000), (3, 250_000), (3, 10)])
def test_keys_repeated_in_three_chunks_name_the_latest_earlier_row(
    generated: Path, tmp_path: Path, workers: int, keys_in_memory: int
) -> None:
    """Rows with their own identifier (so their own subject: no serial re-run) repeat the
    first row's name, which the copy makes the primary key and a ``unique`` column: one copy
    in the middle of the file, one at the end, so with three processes each chunk holds the
    key once. Joining the chunks must give the findings of one process: each repeat names
    the latest earlier row with the key."""
    import shutil

    pkg = tmp_path / "pkg"
    shutil.copytree(generated, pkg)
    descriptor = json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))
    schema = next(r for r in descriptor["resources"] if r["name"] == "organisations")["schema"]
    schema["primaryKey"] = ["name"]
    next(f for f in schema["fields"] if f["name"] == "name").setdefault("constraints", {})["unique"] = True
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, indent=2), encoding="utf-8")
    data = pkg / "data" / "organisations.csv"
    with data.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    middle = len(rows) // 2
    rows.insert(middle, ["900001", *rows[1][1:]])
    rows.append(["900002", *rows[1][1:]])
    with data.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    middle_row, last_row = middle + 1, len(rows)  # the header is row 1

    serial = sse_ld.validate(pkg, Options(workers=1))
    parallel = sse_ld.validate(pkg, Options(workers=workers, split_bytes=0, keys_in_memory=keys_in_memory))
    assert parallel.to_dict() == serial.to_dict()
    for row, before in ((middle_row, 2), (last_row, middle_row)):
        found = {i.code: i.message for i in parallel.issues if i.location.row == row}
        assert {"primary-key", "unique-error"} <= set(found), found
        assert f"row {before})" in found["primary-key"], found


@pytest.mark.parametrize("workers", [1, 2, 3])
def test_keys_and_subjects_spilled_to_disk_give_the_same_findings_and_bytes(
    generated: Path, tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With 37 keys and subjects per table in memory, the rest goes to sorted runs on disk
    (about 160 runs per table for 6,000 rows): the report and every output file are those of
    a build that keeps everything in memory, with one process or several. The last row
    repeats the first, whose key and subject are long on disk by then: it is reported, and
    its triples left out, as when everything is in memory."""
    import shutil

    from sse_ld import keyruns

    pkg = tmp_path / "pkg"
    shutil.copytree(generated, pkg)
    data = pkg / "data" / "organisations.csv"
    with data.open(encoding="utf-8", newline="") as f:
        first = list(csv.reader(f))[1]
    with data.open("a", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(first)

    spills: list[bool] = []
    real = keyruns.Runs.spill

    def counted(self: keyruns.Runs, entries: list[tuple[bytes, int, object]], with_values: bool) -> None:
        spills.append(with_values)  # seen in this process only: workers count their own
        real(self, entries, with_values)

    monkeypatch.setattr(keyruns.Runs, "spill", counted)
    memory = sse_ld.build(pkg, tmp_path / "memory", Options(workers=1), force=True)
    assert spills == []
    spilled = sse_ld.build(
        pkg, tmp_path / "spilled", Options(workers=workers, split_bytes=0, keys_in_memory=37), force=True
    )
    assert True in spills and False in spills  # primary keys (with their values) and subjects
    assert spilled.report.to_dict() == memory.report.to_dict()
    assert _digest_tree(tmp_path / "spilled") == _digest_tree(tmp_path / "memory")
    last = sum(1 for _ in data.open(encoding="utf-8"))
    assert {"primary-key"} <= {i.code for i in spilled.report.issues if i.location.row == last}


def test_a_failure_in_this_process_ends_and_reaps_the_workers(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real disk-full error is not at hand here, so this process's first write of a dump
    fails (the workers write their own part files, untouched): the build stops with the
    error, and no worker is left running or unreaped once it returns."""
    import os

    from sse_ld import publish
    from sse_ld.errors import OutputError

    forked: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        pid = real_fork()
        if pid:
            forked.append(pid)
        return pid

    def full(self: publish._HashingWriter, data: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fork", fork)
    monkeypatch.setattr(publish._HashingWriter, "write", full)
    with pytest.raises(OutputError, match="No space left on device"):
        sse_ld.build(generated, tmp_path / "out", Options(workers=3, split_bytes=0), force=True)
    assert len(forked) == 2
    for pid in forked:
        with pytest.raises(ChildProcessError):  # already reaped: neither running nor a zombie
            os.waitpid(pid, os.WNOHANG)
    assert not (tmp_path / "out").exists()


def test_a_worker_that_cannot_write_its_parts_is_an_output_error(
    generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full temporary folder in a worker (its part files fail to open, as with ENOSPC) stops
    the build with an output error (exit code 2 from the command line), not an internal
    error; nothing is published."""
    from sse_ld.engine import sink
    from sse_ld.errors import OutputError

    def full(self: sink.PartFiles, *args: object, **kwargs: object) -> object:
        raise OSError(28, "No space left on device", str(self.folder))

    monkeypatch.setattr(sink.PartFiles, "open_sink", full)  # only workers open part files
    with pytest.raises(OutputError) as caught:
        sse_ld.build(generated, tmp_path / "out", Options(workers=2, split_bytes=0), force=True)
    text = str(caught.value)
    assert "could not write a worker's part of the output to the temporary folder: No space left on device" in text
    assert caught.value.exit_code == 2 and "free some disk space" in text
    assert not (tmp_path / "out").exists()


def test_the_summary_counted_in_the_pass_is_that_of_the_dump(generated: Path, tmp_path: Path) -> None:
    """VoID's counts come from the blocks as the workers wrote them; counting the N-Triples
    dump read back must give the same numbers."""
    result = sse_ld.build(generated, tmp_path / "out", Options(workers=2, split_bytes=0), force=True)
    name = result.report.to_dict()["package"]
    void = Graph().parse(tmp_path / "out" / "void.ttl")
    dataset = next(void.subjects(VOID.dataDump, None))
    builder = SummaryBuilder("https://example.org/synthetic/", {})
    for subject, pairs in read_blocks(next((tmp_path / "out").glob("*.nt"))):
        builder.add(subject, pairs)
    expected = builder.result()
    builder.close()

    def count(p: URIRef) -> int:
        value = void.value(dataset, p)
        assert isinstance(value, Literal), (name, p)
        return int(value)

    assert count(VOID.triples) == expected.triples
    assert count(VOID.distinctSubjects) == expected.subjects
    assert count(VOID.distinctObjects) == expected.distinct_objects
    assert count(VOID.entities) == expected.entities
    assert count(VOID.classes) == len(expected.classes)
    for part in void.objects(dataset, VOID.classPartition):
        cls = str(void.value(part, VOID["class"]))
        assert void.value(part, VOID.entities) == Literal(expected.classes[cls], datatype=XSD.integer)


def test_the_progress_meter_shows_rows_rate_and_time_left() -> None:
    line = _meter("data/organisations.csv", 50_000, 100_000, 2.0)
    assert line.startswith("data/organisations.csv [############............]")
    assert "50%" in line and "50,000 rows" in line and "25,000 rows/s" in line and "ETA 2 s" in line


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _options(argv: list[str], err: io.StringIO) -> Options:
    import argparse

    from sse_ld.cli.common import IO

    parser = argparse.ArgumentParser()
    add_package_options(parser)
    return package_options(parser.parse_args(["pkg", *argv]), IO(io.StringIO(), err))


def test_the_status_line_is_rewritten_in_place_on_a_terminal() -> None:
    err = _Terminal()
    options = _options([], err)
    options.status("10 rows")
    options.status("20 rows")
    options.say("done")
    assert err.getvalue() == "\r\x1b[Ksse-ld: 10 rows\r\x1b[Ksse-ld: 20 rows\r\x1b[Ksse-ld: done\n"


@pytest.mark.parametrize(("argv", "stream"), [([], io.StringIO), (["--quiet"], _Terminal)])
def test_no_progress_when_not_a_terminal_or_quiet(argv: list[str], stream: type[io.StringIO]) -> None:
    err = stream()
    options = _options(argv, err)
    options.status("10 rows")
    options.say("done")
    assert err.getvalue() == ""
