"""``fakekube check`` against kubernetes-validate: documents per second, and which invalid manifests each catches.

    pip install -e '.[bench]'          # kubernetes-validate, a benchmark dependency only
    python benchmarks/check_bench.py [--documents 1000] [--runs 3] [--seed 7] [--no-cases]

Both tools get the same documents in the same run: the corpus's (``tests/check_corpus``, renamed where names
repeat), then generated variants of common kinds, a third broken in a way a schema sees or only the server does
(deterministic for a seed), in YAML files of 50. Each is timed for v1.37 and for v1.34..v1.37: fakekube in process
(``fakekube.check.command.run``: the median of ``--runs`` after a first, cold run that builds the catalogs) and as
its CLI (``fakekube check -q DIR``, start-up included); kubernetes-validate in process (its file reader, then
``kubernetes_validate.validate(doc, version, strict=True)`` per document and version) and as its CLI, once each
(it reads its schema files again for every document: a run of 1,000 is long and steady). It has schemas for
v1.25..v1.37. Documents per second count a document checked against every version once; the ratios divide CPU
seconds (this process's and its waited-for children's), which other work on a shared machine barely moves.

Then the corpus's labelled documents (``cases/NAME.yaml`` with its ``# args:`` and ``# expect: LINE: ...
SEVERITY`` header lines, kube-apiserver's answers; the first corpus files with fakekube's answers, which
tests/test_check.py pins): how many of the invalid ones each tool catches (kubernetes-validate: a
``ValidationError`` in one of the versions, or a file it cannot read; a kind it has no schema for is a warning of
its CLI), the ones only fakekube catches, and every disagreement with a label.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import re
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from fakekube.check import command, inputs, targets  # noqa: E402
from fakekube.check.findings import FAILING, Finding  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_bench_generated import generated  # noqa: E402

CORPUS = ROOT / "tests" / "check_corpus"
ONE = ["v1.37"]
FOUR = ["v1.34", "v1.35", "v1.36", "v1.37"]
PER_FILE = 50
# The options tests/test_check.py gives the first corpus files (a case of cases/ says its own).
FIRST_OPTIONS = {"immutable_update.yaml": ["--state", str(CORPUS / "state")],
                 "served_in_some.yaml": ["--kubernetes-version", "v1.33..v1.34"]}
NOT_CASES = {"state", "cases_state"}

try:
    import kubernetes_validate
    from kubernetes_validate import utils as kv_utils
except ImportError:
    sys.exit("kubernetes-validate is not installed: pip install -e '.[bench]'")


# --- the documents ----------------------------------------------------------------------------------------------

def corpus_files() -> list[Path]:
    """The manifest files of the corpus, without the objects that only serve as state."""
    found = [p for p in sorted(CORPUS.rglob("*")) if p.is_file() and p.suffix in (".yaml", ".yml", ".json")]
    return [p for p in found if not NOT_CASES & set(p.relative_to(CORPUS).parts)]


def corpus_documents() -> list[dict[str, Any]]:
    """Every readable document of the corpus, renamed where a kind, namespace and name repeat (one cluster)."""
    docs, _ = inputs.read([str(p) for p in corpus_files()])
    seen: set[tuple[Any, ...]] = set()
    bodies = []
    for i, doc in enumerate(docs):
        body = doc.body
        meta = body.get("metadata")
        if isinstance(meta, dict) and isinstance(meta.get("name"), str):
            key = (body.get("kind"), meta.get("namespace"), meta["name"])
            if key in seen:
                meta["name"] = f"{meta['name'][:50]}-c{i}"
            seen.add(key)
        bodies.append(body)
    return bodies


def write_documents(docs: Sequence[dict[str, Any]], into: Path) -> list[Path]:
    files = []
    for start in range(0, len(docs), PER_FILE):
        path = into / f"docs-{start // PER_FILE:03d}.yaml"
        path.write_text(yaml.safe_dump_all(docs[start:start + PER_FILE], sort_keys=False))
        files.append(path)
    return files


# --- timing -----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Took:
    """Wall seconds, and CPU seconds of this process and the children it waited for (what other processes on a
    shared machine barely disturb: the ratios use it)."""

    wall: float
    cpu: float


def measure(action: Callable[[], object]) -> Took:
    """Timed from a clean heap whose survivors the collector no longer walks: what one tool left behind (caches
    of fakekube's catalogs) does not slow the other's collections in this shared process."""
    def cpu() -> float:
        child = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + child.ru_utime + child.ru_stime

    gc.collect()
    gc.freeze()
    wall, used = time.perf_counter(), cpu()
    action()
    return Took(time.perf_counter() - wall, cpu() - used)


def median(took: Sequence[Took]) -> Took:
    return Took(statistics.median(t.wall for t in took), statistics.median(t.cpu for t in took))


def fakekube_in_process(files: Sequence[Path], versions: list[str], runs: int, count: int) -> tuple[Took, Took]:
    """The first (cold) and the median of ``runs`` further calls of ``command.run`` over the files."""
    names = [str(p) for p in files]

    def check() -> None:
        findings = command.run(names, versions)
        checked = {(f.subject.file, f.subject.index) for f in findings if f.version}
        assert len(checked) == count, (len(checked), count)

    cold = measure(check)
    return cold, median([measure(check) for _ in range(runs)])


def fakekube_cli(folder: Path, versions: list[str], runs: int, count: int) -> Took:
    command_line = [sys.executable, "-m", "fakekube", "check", "-q", "--kubernetes-version", ",".join(versions),
                    str(folder)]

    def check() -> None:
        done = subprocess.run(command_line, capture_output=True, text=True, check=False)
        assert done.returncode in (0, 1), done.stderr
        assert done.stdout.splitlines()[-1].startswith(f"checked {count} documents"), done.stdout[-300:]

    return median([measure(check) for _ in range(runs)])


def kv_version(version: str) -> str:
    return version.removeprefix("v")


def kv_verdict(body: dict[str, Any], version: str) -> str:
    """``ok``, ``invalid: MESSAGE``, ``no schema`` or ``failed: ERROR`` for one document in one version."""
    try:
        kubernetes_validate.validate(body, kv_version(version), strict=True)
    except kv_utils.ValidationError as exc:
        where = ".".join(str(p) for p in exc.path)
        return f"invalid: {where}: {exc.message}" if where else f"invalid: {exc.message}"
    except kv_utils.SchemaNotFoundError:
        return "no schema"
    except Exception as exc:  # what its CLI reports as "could not be validated" (a missing kind...)
        return f"failed: {type(exc).__name__}: {exc}"
    return "ok"


def kv_in_process(files: Sequence[Path], versions: list[str], count: int) -> Took:
    def check() -> None:
        n = 0
        for path in files:
            for body in kv_utils.resources_from_file(str(path)):
                n += 1
                for version in versions:
                    kv_verdict(body, version)
        assert n == count, (n, count)

    return measure(check)


def kv_cli(files: Sequence[Path], versions: list[str]) -> Took:
    executable = Path(sys.executable).with_name("kubernetes-validate")
    command_line = [str(executable), "--strict", "--quiet", "--no-warn"]
    for version in versions:
        command_line += ["-k", kv_version(version)]

    def check() -> None:
        done = subprocess.run([*command_line, *map(str, files)], capture_output=True, text=True, check=False)
        assert done.returncode in (0, 1), done.stdout[-500:] + done.stderr[-500:]

    return measure(check)


# --- the labelled cases -----------------------------------------------------------------------------------------

# A case's header (tests/check_corpus/cases/*.yaml): ``# args: OPTIONS`` and ``# expect: LINE: [vX.Y] OBJECT:
# SEVERITY: MESSAGE`` (``# expect: LINE: error: ...`` for a file that does not parse), kube-apiserver's answers.
ARGS = re.compile(r"^#\s*args:\s*(.*)$", re.M)
EXPECT = re.compile(r"^#\s*expect:\s*(\d+):\s*(?:\[v[\d.]+\]\s+.*?:\s+)?"
                    r"(ok|error|warning|removed|not-served)\b.*$", re.M)


@dataclass
class Case:
    """One document of the corpus, with its label and both tools' verdicts."""

    where: str
    what: str
    invalid: bool  # the label: kube-apiserver refuses it
    from_expect: bool  # the label is the case's own expect line (else fakekube's answer, pinned by test_check.py)
    expected: str  # the expect line saying the server refuses it
    fakekube: str  # "" when fakekube accepts it, else its first failing finding
    kv: str  # "caught: ..." or what kubernetes-validate said otherwise


def case_units() -> list[tuple[Path, list[str]]]:
    """Each case (a file, or a directory outside ``cases/``) and the options fakekube check runs it with."""
    units: list[tuple[Path, list[str]]] = []
    for path in sorted(CORPUS.iterdir()):
        if path.name in NOT_CASES:
            continue
        if path.name != "cases":
            if path.is_dir() or path.suffix in (".yaml", ".yml", ".json"):
                units.append((path, FIRST_OPTIONS.get(path.name, [])))
            continue
        for case in sorted(path.rglob("*.yaml")):
            args = case.with_suffix(".args")  # an earlier layout of the cases
            options = shlex.split(" ".join(ARGS.findall(case.read_text())))
            options += shlex.split(args.read_text()) if args.exists() else []
            units.append((case, [os.path.normpath(case.parent / o) if o.startswith(".") else o for o in options]))
    return units


def expected_failing(path: Path) -> dict[int, str]:
    """Line -> the case's first expect line for what starts there that the server refuses ("" if it accepts it)."""
    found: dict[int, str] = {}
    if path.is_file():
        for match in EXPECT.finditer(path.read_text(encoding="utf-8", errors="replace")):
            line, refused = int(match.group(1)), match.group(2) in FAILING
            found[line] = found.get(line) or (match.group(0).split(":", 2)[2].strip() if refused else "")
    return found


def run_case(path: Path, options: list[str]) -> list[Case]:
    parsed = command.parser().parse_args([*options, str(path)])
    versions = targets.parse(parsed.kubernetes_version)
    findings = command.run(parsed.paths, versions, parsed.crds, parsed.state)
    failing: dict[tuple[str, int], Finding] = {}
    for f in findings:
        if f.severity in FAILING:
            failing.setdefault((f.subject.file, f.subject.index), f)
    expected = expected_failing(path)
    docs, problems = inputs.read(parsed.paths)
    cases = []
    for problem in problems:  # a file that does not parse, or a document that is no mapping
        try:
            kv_utils.resources_from_file(problem.file)
            kv = "accepted (it reads the file)"
        except SystemExit as exc:
            kv = f"caught: {exc}"
        cases.append(Case(f"{os.path.relpath(problem.file, ROOT)}:{problem.line}", "-", True,
                          problem.line in expected, expected.get(problem.line, ""), f"error: {problem.message}", kv))
    for doc in docs:
        finding = failing.get((doc.file, doc.index))
        verdicts = [kv_verdict(doc.body, v) for v in versions]
        refused = [v for v in verdicts if v.startswith(("invalid", "failed"))]
        kv = f"caught: {refused[0]}" if refused else ("no schema" if "no schema" in verdicts else "accepted")
        meta = doc.body.get("metadata")
        what = f"{doc.body.get('kind', '-')} {meta.get('name', '-') if isinstance(meta, dict) else '-'}"
        message = f"{finding.severity}: {finding.message}" if finding else ""
        label = bool(expected[doc.line]) if doc.line in expected else bool(finding)
        cases.append(Case(f"{os.path.relpath(doc.file, ROOT)}:{doc.line}", what, label, doc.line in expected,
                          expected.get(doc.line, ""), message, kv))
    return cases


def short(text: str, width: int) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[:width - 1] + "…"


def report_cases() -> None:
    cases = [case for path, options in case_units() for case in run_case(path, options)]
    invalid = [c for c in cases if c.invalid]
    valid = [c for c in cases if not c.invalid]
    ours = [c for c in invalid if c.fakekube]
    theirs = [c for c in invalid if c.kv.startswith("caught")]
    print(f"\nlabelled corpus: {len(cases)} documents ({sum(c.from_expect for c in cases)} labelled by their "
          f"expect lines, the rest by fakekube's answers that tests/test_check.py pins), {len(invalid)} invalid, "
          f"{len(valid)} valid")
    print(f"  fakekube check catches      {len(ours):4d} of {len(invalid)}")
    print(f"  kubernetes-validate catches {len(theirs):4d} of {len(invalid)} "
          f"(and has no schema for {sum(c.kv == 'no schema' for c in invalid)} more: its CLI only warns)")
    print(f"  valid documents refused: fakekube check {sum(bool(c.fakekube) for c in valid)}, "
          f"kubernetes-validate {sum(c.kv.startswith('caught') for c in valid)}")
    only = [c for c in ours if not c.kv.startswith("caught")]
    print(f"\ncaught only by fakekube check ({len(only)}):")
    print(f"  {'document':58} {'object':34} {'kubernetes-validate':19} fakekube check")
    for c in only:
        print(f"  {short(c.where, 58):58} {short(c.what, 34):34} {short(c.kv, 19):19} {short(c.fakekube, 110)}")
    for title, group in (("invalid by its label, accepted by fakekube check", [c for c in invalid if not c.fakekube]),
                         ("caught only by kubernetes-validate", [c for c in theirs if not c.fakekube]),
                         ("valid, refused by kubernetes-validate", [c for c in valid if c.kv.startswith("caught")]),
                         ("valid, refused by fakekube check", [c for c in valid if c.fakekube])):
        if group:
            print(f"\n{title} ({len(group)}):")
            for c in group:
                said = c.fakekube if title.startswith("valid, refused by fakekube") else c.expected or c.kv
                print(f"  {short(c.where, 58):58} {short(c.what, 34):34} {short(said, 120)}")


# --- main -------------------------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0] if __doc__ else None)
    p.add_argument("--documents", type=int, default=1000)
    p.add_argument("--runs", type=int, default=3, help="fakekube's runs per figure (the median)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--no-cases", action="store_true", help="leave out the labelled corpus comparison")
    args = p.parse_args(argv)
    corpus = corpus_documents()[:args.documents]
    docs = corpus + generated(random.Random(args.seed), args.documents - len(corpus))
    print(f"{len(docs)} documents: {len(corpus)} from the corpus, {len(docs) - len(corpus)} generated "
          f"(kubernetes-validate {kubernetes_validate.__version__}, python {sys.version.split()[0]})")
    rows: dict[str, list[Took]] = {}
    with tempfile.TemporaryDirectory(prefix="check-bench-") as tmp:
        files = write_documents(docs, Path(tmp))
        for versions in (ONE, FOUR):
            cold, warm = fakekube_in_process(files, versions, args.runs, len(docs))
            rows.setdefault("fakekube in process", []).append(warm)
            rows.setdefault("  (its first run: cold)", []).append(cold)
            rows.setdefault("fakekube CLI", []).append(fakekube_cli(Path(tmp), versions, args.runs, len(docs)))
            rows.setdefault("kubernetes-validate in process", []).append(kv_in_process(files, versions, len(docs)))
            rows.setdefault("kubernetes-validate CLI", []).append(kv_cli(files, versions))
    print(f"\ndocuments per second, CPU time (wall time)     {'1 version (v1.37)':>20} {'v1.34..v1.37':>28}")
    for name, took in rows.items():
        cells = [f"{len(docs) / t.cpu:9.0f} ({len(docs) / t.wall:6.0f})" for t in took]
        print(f"  {name:44} {cells[0]:>20} {cells[1]:>28}")
    for mode, theirs in (("in process", "kubernetes-validate in process"), ("CLI", "kubernetes-validate CLI")):
        ours = rows["fakekube in process" if mode == "in process" else "fakekube CLI"]
        ratios = [f"{t.cpu / o.cpu:6.1f}x ({t.wall / o.wall:5.1f}x)" for o, t in zip(ours, rows[theirs], strict=True)]
        print(f"  ratio fakekube / kubernetes-validate, {mode:10}   {ratios[0]:>20} {ratios[1]:>28}")
    if not args.no_cases:
        report_cases()


if __name__ == "__main__":
    main()
