"""Bounded calls: their outcomes, and which worker processes serve them."""

import os
import time

import pytest

from legalbase.core import limits
from legalbase.core.errors import Invalid
from legalbase.corpus.files import PDF, extract_text

MEMORY = 512 * 2**20


def bounded(function, *args, timeout=10.0, memory=MEMORY):
    return limits.run_bounded(function, *args, timeout=timeout, memory=memory)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_worker_serves_call_after_call_while_they_end_cleanly():
    first = bounded(os.getpid)
    assert first != os.getpid()
    with pytest.raises(Invalid):  # a refusal is a clean end too
        bounded(extract_text, b"%PDF-1.7 rusak", PDF)
    assert bounded(os.getpid) == first


@pytest.mark.parametrize(
    "function, args, memory, reason",
    [
        (time.sleep, (30,), MEMORY, "time"),
        (bytearray, (1024 * 2**20,), MEMORY, "memory"),
        (int, ("bukan angka",), MEMORY, "error"),
    ],
    ids=["time", "memory", "error"],
)
def test_a_failed_call_ends_its_worker_and_the_next_call_has_another(
    function, args, memory, reason
):
    worker = bounded(os.getpid)
    started = time.perf_counter()
    with pytest.raises(limits.BoundedCallFailed) as failed:
        bounded(function, *args, timeout=1.0, memory=memory)
    assert failed.value.reason == reason
    assert time.perf_counter() - started < 1.0 + 2
    assert not alive(worker)
    assert bounded(os.getpid) not in (worker, os.getpid())


def test_a_domain_error_crosses_with_its_details():
    with pytest.raises(Invalid) as refused:
        bounded(extract_text, b"%PDF-1.7 rusak", PDF)
    assert refused.value.message.startswith("Berkas PDF tidak dapat dibaca")
    assert refused.value.status == 422
