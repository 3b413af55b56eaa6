"""``fakekube check`` against ``kubectl apply --server-side --dry-run=server`` on ``fakekube serve``: for every
document of the corpus (``tests/check_corpus/cases``), kubectl's outcome (success and its warnings, or the
server's error as kubectl prints it, its prefix taken off) agrees with check's finding for that document.

One ``fakekube serve`` (the CLI, a subprocess, ready when its ``--ready-file`` appears) serves every case; each
case has its own namespace, where its ``--state`` is applied first; the ``--crds`` are applied once, before all.
The comparison itself is ``tools/check_corpus_vs_reference.py``'s, which runs it against kube-apiserver by hand.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tools.check_corpus_vs_reference import compare_all, load_cases

FAKEKUBE = [sys.executable, "-m", "fakekube"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Path]:
    """``fakekube serve --kubeconfig K --ready-file R``; yields K once R holds the server's URL."""
    kubeconfig, ready = tmp_path / "kubeconfig", tmp_path / "ready"
    server = subprocess.Popen([*FAKEKUBE, "serve", "--kubeconfig", str(kubeconfig), "--ready-file", str(ready)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() or not ready.read_text().startswith("http"):
            assert server.poll() is None, server.stderr.read().decode() if server.stderr else ""
            assert time.monotonic() < deadline, "fakekube serve was not ready in 30 s"
            time.sleep(0.05)
        yield kubeconfig
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        assert server.wait(timeout=20) == 0
        assert not ready.exists()  # removed on a clean stop


@pytest.mark.timeout(180)
def test_check_agrees_with_kubectl_dry_run_on_fakekube_serve(served: Path) -> None:
    cases = load_cases()
    results = list(compare_all(served, cases))
    assert len(results) == len(cases) >= 100
    differences = [d for _, found in results for d in found]
    assert differences == []
