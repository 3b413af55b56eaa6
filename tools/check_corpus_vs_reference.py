"""Run the ``fakekube check`` corpus (``tests/check_corpus/cases``) through ``kubectl apply --server-side
--dry-run=server`` against a real server and print where its answers differ from ``fakekube check``'s.

    python -m tools.check_corpus_vs_reference                 # against the reference kube-apiserver v1.37
    python -m tools.check_corpus_vs_reference --kubeconfig K  # against any server (e.g. ``fakekube serve``)

Why: a case's header holds the report lines ``fakekube check`` must print (``tests/test_check_corpus.py``
asserts them), and those lines are meant to be kube-apiserver's own answers.  This script is how they are
re-verified by hand (it needs the reference built: ``python -m tools.reference build``); it is not part of
the test run.  ``tests/test_check_vs_kubectl.py`` runs the same comparison against ``fakekube serve``.

A case file starts with comment lines::

    # args: --crds ../cases_state/crds/gadgets.yaml --state ../cases_state/x.yaml   (optional; paths
    #       relative to the case's directory)
    # known-difference: WHY; fakekube check says: ...   (optional: the expected lines are kube-apiserver's,
    #       fakekube check does not print them yet)
    # expect: LINE: [v1.37] KIND NAMESPACE/NAME: SEVERITY[: MESSAGE]   (one per report line; LINE counts
    #       from the top of the file, header included; a message's line breaks written \\n)

Each document is sent as ``fakekube check`` sends it: in its order (``fakekube.check.ordering``: Namespaces,
then CRDs, ..., then the rest), each first as a dry run and, when accepted, applied for real so that later
documents see it; ``--crds`` and ``--state`` are applied first, the state in a fresh namespace per case (a
document naming no namespace goes there).  kubectl's output is read back (``outcome``) and compared with
what check's findings stand for (``expected_outcome``): an Invalid error cause by cause, as kubectl prints
them, any other error by its message, a removed or unserved API version as kubectl's ``no matches for kind``.
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fakekube.check import command, ordering, targets
from fakekube.check.findings import ERROR, NOT_SERVED, OK, REMOVED, WARNING, Finding
from fakekube.check.inputs import InputDocument

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "check_corpus"
CASES = CORPUS / "cases"
VERSION = "v1.37"  # the version the reference and ``fakekube serve`` run by default
_PATH_OPTIONS = ("--crds", "--state")


@dataclass(frozen=True)
class Case:
    """One case file: its ``fakekube check`` options and the report lines expected of it."""

    path: Path
    args: tuple[str, ...] = ()
    expect: tuple[tuple[int, str], ...] = ()
    known_difference: str = ""  # why fakekube check does not print the expected lines yet (and what it says)

    @property
    def name(self) -> str:
        return self.path.stem

    def argv(self) -> list[str]:
        """The options with their paths made absolute (they are written relative to the case's directory)."""
        out: list[str] = []
        for i, arg in enumerate(self.args):
            out.append(str(self.path.parent / arg) if i and self.args[i - 1] in _PATH_OPTIONS else arg)
        return out

    def option(self, name: str) -> list[str]:
        argv = self.argv()
        return [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == name]

    def versions(self) -> list[str]:
        given = self.option("--kubernetes-version")
        return targets.parse(given[-1]) if given else [VERSION]

    def expected_lines(self, shown_as: str | None = None) -> list[str]:
        """The report lines, ``FILE:LINE: ...`` with the file as ``shown_as`` (default: the path)."""
        where = str(self.path) if shown_as is None else shown_as
        return [f"{where}:{line}: {text}" for line, text in self.expect]


def read_case(path: Path) -> Case:
    """A case from its header comments (``# args:``, ``# expect: LINE: ...``); a malformed line is an error."""
    args: tuple[str, ...] = ()
    expect: list[tuple[int, str]] = []
    known = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        if line.startswith("# args: "):
            args = tuple(shlex.split(line[len("# args: "):]))
        elif line.startswith("# expect: "):
            number, sep, text = line[len("# expect: "):].partition(": ")
            if not sep or not number.isdigit():
                raise ValueError(f"{path}: bad expect line {line!r}")
            expect.append((int(number), text))
        elif line.startswith("# known-difference: "):
            known = line[len("# known-difference: "):]
    return Case(path, args, tuple(expect), known)


def load_cases(directory: Path = CASES) -> list[Case]:
    return [read_case(p) for p in sorted(directory.glob("*.yaml"))]


@dataclass(frozen=True)
class Document:
    """One document of a case as written (kubectl gets the text itself) and what the check needs of it."""

    index: int
    text: str
    body: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.body.get("kind", ""))

    @property
    def namespace(self) -> str | None:
        meta = self.body.get("metadata")
        return meta.get("namespace") if isinstance(meta, dict) else None


def documents(path: Path) -> list[Document]:
    """The documents of a file split on ``---`` lines (how the corpus writes them), in the order
    ``fakekube check`` sends them (``fakekube.check.ordering``)."""
    chunks: list[str] = []
    current: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        if line.rstrip() == "---":
            chunks.append("".join(current))
            current = []
        else:
            current.append(line)
    chunks.append("".join(current))
    docs = [Document(i, text, yaml.safe_load(text)) for i, text in enumerate(c for c in chunks if c.strip())]
    return sorted(docs, key=lambda d: ordering.rank(InputDocument(str(path), d.index, 0, d.body)))


@dataclass(frozen=True)
class Outcome:
    """What kubectl reported: success with its warnings, or the error it printed (its prefix taken off)."""

    ok: bool
    error: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def outcome(done: subprocess.CompletedProcess[str]) -> Outcome:
    """kubectl's output read back: ``Warning:`` lines; an Invalid error as its causes (``The Pod "p" is
    invalid: CAUSE`` or one ``* CAUSE`` line each); ``Error from server (Reason): MESSAGE`` as the message;
    a kind the server does not serve as ``no matches for kind ...``."""
    lines = done.stderr.splitlines()
    warnings = tuple(line[len("Warning: "):] for line in lines if line.startswith("Warning: "))
    rest = [line for line in lines if not line.startswith("Warning: ")]
    if done.returncode == 0:
        return Outcome(True, warnings=warnings)
    if rest and rest[0].startswith("The ") and " is invalid: " in rest[0]:
        first = rest[0].split(" is invalid: ", 1)[1]
        if first.strip():
            return Outcome(False, ("\n".join([first, *rest[1:]]),), warnings)
        causes: list[str] = []
        for line in rest[1:]:  # one "* CAUSE" per cause; a cause's own line breaks continue it
            if line.startswith("* ") or not causes:
                causes.append(line.removeprefix("* "))
            else:
                causes[-1] += "\n" + line
        return Outcome(False, tuple(causes), warnings)
    text = "\n".join(rest)
    for prefix in ("Error from server: ", "error: "):
        if text.startswith(prefix):
            text = text[len(prefix):]
    if text.startswith("Error from server (") and "): " in text:
        text = text.split("): ", 1)[1]
    if "no matches for kind" in text:
        text = "no matches for kind" + text.split("no matches for kind", 1)[1].split("\n", 1)[0]
    return Outcome(False, (text,), warnings)


def expected_outcome(found: Sequence[Finding]) -> Outcome:
    """The kubectl outcome ``fakekube check``'s findings for one document stand for."""
    errors = [f for f in found if f.severity != OK and f.severity != WARNING]
    warnings = tuple(f.message for f in found if f.severity == WARNING)
    if not errors:
        return Outcome(True, warnings=warnings)
    f = errors[0]
    if f.severity in (REMOVED, NOT_SERVED):
        return Outcome(False, (f'no matches for kind "{f.subject.kind}" in version "{f.subject.api_version}"',),
                       warnings)
    if f.severity == ERROR and f.reason == "Invalid" and f.causes:
        seen: list[str] = []
        for cause in f.causes:  # kubectl prints FIELD: MESSAGE per cause, leaving out repeats
            text = f"{cause.get('field', '')}: {cause.get('message', '')}"
            if text not in seen:
                seen.append(text)
        return Outcome(False, tuple(seen), warnings)
    return Outcome(False, (f.message,), warnings)


@dataclass
class Kubectl:
    """kubectl against one server, with its own discovery cache."""

    kubeconfig: Path
    cache: Path

    def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        argv = ["kubectl", "--kubeconfig", str(self.kubeconfig), "--cache-dir", str(self.cache), *args]
        return subprocess.run(argv, input=stdin, capture_output=True, text=True, timeout=60, check=False)

    def must(self, *args: str, stdin: str | None = None) -> None:
        done = self(*args, stdin=stdin)
        if done.returncode != 0:
            raise RuntimeError(f"kubectl {' '.join(args)}: {done.stderr.strip()}")

    def apply(self, text: str, namespace: str | None, dry_run: bool) -> subprocess.CompletedProcess[str]:
        args = ["apply", "--server-side", "-f", "-"]
        if dry_run:
            args.append("--dry-run=server")
        if namespace is not None:
            args += ["-n", namespace]
        return self(*args, stdin=text)

    def establish(self, text: str) -> None:
        """Wait until the CRDs in ``text`` serve their resources."""
        for body in yaml.safe_load_all(text):
            if isinstance(body, dict) and body.get("kind") == "CustomResourceDefinition":
                self.must("wait", "--for", "condition=established", "--timeout", "30s",
                          f"crd/{body['metadata']['name']}")


def namespace_for(case: Case) -> str:
    return ("case-" + case.name.replace("_", "-"))[:63].rstrip("-")


def prepare(kubectl: Kubectl, cases: Sequence[Case]) -> None:
    """What every case needs first: its namespace with a ``default`` ServiceAccount (kube-apiserver's
    ServiceAccount admission wants one for a Pod; the reference runs no controller that makes it), and the
    CRDs of ``--crds`` options, established."""
    spaces = ["default", *(namespace_for(c) for c in cases)]
    items = [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": n}} for n in spaces[1:]]
    kubectl.must("apply", "--server-side", "-f", "-", stdin=yaml.safe_dump({"apiVersion": "v1", "kind": "List",
                                                                            "items": items}))
    accounts = [{"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": n}}
                for n in spaces]
    kubectl.must("apply", "--server-side", "-f", "-", stdin=yaml.safe_dump({"apiVersion": "v1", "kind": "List",
                                                                            "items": accounts}))
    for crds in sorted({p for c in cases for p in c.option("--crds")}):
        text = Path(crds).read_text(encoding="utf-8")
        kubectl.must("apply", "--server-side", "-f", "-", stdin=text)
        kubectl.establish(text)


def check_findings(case: Case) -> dict[int, list[Finding]]:
    """``fakekube check``'s findings for ``case`` in VERSION, by document index."""
    by_index: dict[int, list[Finding]] = {}
    for f in command.run([str(case.path)], [VERSION], case.option("--crds"), case.option("--state")):
        by_index.setdefault(f.subject.index, []).append(f)
    return by_index


def compare_case(kubectl: Kubectl, case: Case, by_index: dict[int, list[Finding]]) -> list[str]:
    """Where kubectl's answers for ``case`` differ from ``fakekube check``'s findings ``by_index``."""
    namespace = namespace_for(case)
    for state in case.option("--state"):
        kubectl.must("apply", "--server-side", "-n", namespace, "-f", state)
    differences = []
    for doc in documents(case.path):
        target = None if doc.namespace else namespace
        got = outcome(kubectl.apply(doc.text, target, dry_run=True))
        want = expected_outcome(by_index.get(doc.index, []))
        if got != want:
            differences.append(f"{case.path.name} document {doc.index + 1} ({doc.kind}):\n"
                               f"  kubectl:        {_show(got)}\n  fakekube check: {_show(want)}")
        if got.ok:
            done = kubectl.apply(doc.text, target, dry_run=False)
            if done.returncode == 0 and doc.kind == "CustomResourceDefinition":
                kubectl.establish(doc.text)
    return differences


def _show(o: Outcome) -> str:
    said = "ok" if o.ok else "error: " + " | ".join(o.error)
    return said + "".join(f" [warning: {w}]" for w in o.warnings)


def compare_all(kubeconfig: Path, cases: Sequence[Case], workers: int = 4) -> Iterator[tuple[Case, list[str]]]:
    """Each case with its differences (VERSION's findings only: a case whose versions leave it out is skipped).
    ``fakekube check`` runs first, in this thread; then the kubectl calls, ``workers`` cases at a time (each
    case has its own namespace, and cluster-scoped names in the corpus are unique)."""
    cases = [c for c in cases if VERSION in c.versions()]
    findings = [check_findings(c) for c in cases]
    with tempfile.TemporaryDirectory(prefix="kubectl-cache-") as cache:
        kubectl = Kubectl(kubeconfig, Path(cache))
        prepare(kubectl, cases)
        with ThreadPoolExecutor(workers) as pool:
            yield from zip(cases, pool.map(lambda c, f: compare_case(kubectl, c, f), cases, findings), strict=True)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tools.check_corpus_vs_reference", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--kubeconfig", type=Path, help="a running server's kubeconfig (default: start the reference)")
    p.add_argument("cases", nargs="*", help="case names (default: all)")
    args = p.parse_args(argv)
    cases = [c for c in load_cases() if not args.cases or c.name in args.cases]
    if args.kubeconfig is not None:
        return _report(compare_all(args.kubeconfig, cases))
    from tools.reference.launch import Reference  # only here: a run against --kubeconfig needs no Go build
    with Reference() as ref:
        return _report(compare_all(Path(ref.kubeconfig_path), cases))


def _report(results: Iterator[tuple[Case, list[str]]]) -> int:
    """Print each difference; exit status 1 when a case not marked ``# known-difference`` has one."""
    total = differing = known = 0
    for case, differences in results:
        total += 1
        if differences and case.known_difference:
            known += 1
            print(f"(known difference: {case.known_difference.split(';')[0]})")
        elif differences:
            differing += 1
        for d in differences:
            print(d, flush=True)
    print(f"{total} cases: {differing} with new differences, {known} known differences")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
