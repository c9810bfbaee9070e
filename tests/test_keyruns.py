"""Key tables that spill to sorted runs on disk give the answers of tables kept in memory.

The end-to-end check (a generated package built with a budget of a few dozen keys gives the
same report and the same bytes) is in ``test_scale.py``; here, the tables themselves are run
against the same tables without a budget, on random sequences of keys with many repeats.
"""

from __future__ import annotations

import datetime
import pickle
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sse_ld.errors import OutputError
from sse_ld.keyruns import BloomFilter, DigestTable, RunStore, key_digest, mixed_hash
from sse_ld.tablecheck import KeyIndex

_SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_KEYS = st.one_of(
    st.text(max_size=3),
    st.integers(-5, 5),
    st.tuples(st.text(max_size=2), st.integers(0, 3)),
    st.dates(datetime.date(2020, 1, 1), datetime.date(2020, 1, 9)),
)


@_SETTINGS
@given(keys=st.lists(_KEYS, max_size=300), budget=st.integers(1, 12))
def test_a_key_index_that_spills_answers_as_one_kept_in_memory(tmp_path: Path, keys: list[Any], budget: int) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))  # hypothesis runs many examples in one tmp_path
    spilling, memory = KeyIndex(RunStore(folder, budget)), KeyIndex()
    for row, key in enumerate(keys, start=2):
        assert spilling.add(key, row, row + 100) == memory.add(key, row, row + 100)
    # What a worker hands to the parent: the tables pickled, the runs by their paths.
    spilling = pickle.loads(pickle.dumps(spilling))
    assert dict(spilling.items()) == dict(memory.items())
    assert len(list(spilling.items())) == len(memory.last)  # each key once
    assert spilling.first == memory.first
    for key in [*keys, "absent", 99, ("absent", 0)]:
        assert spilling.get(key) == memory.get(key)
        assert (key in spilling) == (key in memory)


@_SETTINGS
@given(digests=st.lists(st.binary(min_size=16, max_size=16), unique=True, max_size=300), budget=st.integers(1, 12))
def test_a_subject_table_that_spills_finds_every_digest_and_only_those(
    tmp_path: Path, digests: list[bytes], budget: int
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    table = DigestTable(RunStore(folder, budget))
    for n, d in enumerate(digests):
        assert table.get(d) is None
        table.mem[d] = n
        table.spill_if_full()
    assert len(table.mem) < budget
    table = pickle.loads(pickle.dumps(table))
    assert [table.get(d) for d in digests] == list(range(len(digests)))
    assert sorted(table) == sorted(digests) and len(table) == len(digests)
    assert table.get(b"\xff" * 16) is None or b"\xff" * 16 in digests


def test_the_bloom_filter_has_no_false_negatives_and_few_false_positives() -> None:
    for keys in ([f"org-{n}" for n in range(40_000)], list(range(40_000))):  # texts; sequential numbers
        bloom = BloomFilter(20_000)
        for k in keys[:20_000]:
            bloom.add(mixed_hash(k))
        assert all(mixed_hash(k) in bloom for k in keys[:20_000])
        false = sum(mixed_hash(k) in bloom for k in keys[20_000:])
        assert false < 200  # 16 bits per key, four probes: about 0.3 % expected, 1 % allowed


def test_keys_equal_for_python_have_equal_digests_and_no_others() -> None:
    assert key_digest("a") == key_digest("a") != key_digest("b")
    assert key_digest("1") != key_digest(1)  # a text and a number are different keys
    assert key_digest(("a", 1)) != key_digest(("a1",)) != key_digest("a1")
    assert key_digest(("ab", "c")) != key_digest(("a", "bc"))
    assert key_digest((None, "a")) != key_digest(("", "a"))
    assert key_digest(datetime.date(2021, 3, 1)) != key_digest("2021-03-01")
    # Values whose equality their spelling does not follow stay in memory.
    assert key_digest(Decimal("1.0")) is None and key_digest(("a", Decimal("1"))) is None
    assert key_digest(True) is None and key_digest(1.0) is None


def test_keys_no_digest_stands_for_stay_in_memory(tmp_path: Path) -> None:
    index = KeyIndex(RunStore(tmp_path, 2))
    for row, key in enumerate([Decimal("1.0"), Decimal("2"), Decimal("1.00"), Decimal("3")], start=2):
        index.add(key, row, row)
    assert len(index.last) == 3 and index.get(Decimal("1")) == (4 << 32 | 4)
    assert list(tmp_path.iterdir()) == []


def test_a_run_that_cannot_be_written_is_an_output_error_naming_the_file(tmp_path: Path) -> None:
    """A full or vanished temporary folder stops the pass with a message (exit code 2 from the
    command line), not a traceback."""
    index = KeyIndex(RunStore(tmp_path / "gone", 2))
    index.add("a", 2, 2)
    with pytest.raises(OutputError, match=r"could not write keys to the temporary folder: .*gone.*keys-") as caught:
        index.add("b", 3, 3)
    assert caught.value.hint is not None and "exists and can be written" in caught.value.hint


def test_distinct_values_that_cannot_be_spilled_are_an_output_error(tmp_path: Path) -> None:
    """The same for the distinct-object counter of VoID (``sse_ld/distinct.py``)."""
    from sse_ld.distinct import DistinctCounter

    counter: DistinctCounter[str] = DistinctCounter(max_in_memory=2, tmpdir=tmp_path / "gone")
    counter.add("a")
    with pytest.raises(OutputError, match=r"could not write distinct values to the temporary folder: .*gone") as caught:
        counter.add("b")
    assert caught.value.hint is not None and "exists and can be written" in caught.value.hint
