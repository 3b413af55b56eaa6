"""``fakekube check [options] PATH...``: the command line of the check (``fakekube check -h``).

Exit codes, as CI expects them: 0 when every document passes in every version, 1 when one does not (an
error, a removed API version, a kind not served; with ``--strict`` a warning too), 2 for a usage error (an
unknown option, a path that does not exist, an unsupported Kubernetes version).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from fakekube.check import formats, inputs, targets
from fakekube.check.findings import ERROR, FAILING, WARNING, Finding, Subject
from fakekube.check.runner import Options, VersionRun
from fakekube.versions import DEFAULT_VERSION, SUPPORTED_VERSIONS

USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        """argparse's usage error, with the check's exit code (2: argparse's own, kept explicit)."""
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"fakekube check: error: {message}\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="fakekube check", description=(
        "Validate Kubernetes manifests as kube-apiserver would (kubectl apply --server-side --dry-run=server), "
        "against an in-process fake cluster of each target version."))
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="manifest files, directories (recursive: *.yaml, *.yml, *.json) or - for stdin")
    p.add_argument("--kubernetes-version", default=DEFAULT_VERSION, metavar="VERSIONS",
                   help=f"one version, several (v1.35,v1.37) or a range (v1.33..v1.37); "
                        f"supported: {', '.join(SUPPORTED_VERSIONS)} (default {DEFAULT_VERSION})")
    p.add_argument("--crds", action="append", default=[], metavar="PATH",
                   help="CustomResourceDefinitions to register first (repeatable)")
    p.add_argument("--state", action="append", default=[], metavar="PATH",
                   help="objects that already exist, created first, so that updates are checked (repeatable)")
    p.add_argument("--runtime-config", default=None, metavar="SPEC",
                   help="API versions on or off, as kube-apiserver's --runtime-config (e.g. api/alpha=true)")
    p.add_argument("--warn-unknown", action="store_true",
                   help="keys set twice are warnings (fieldValidation=Warn), not errors; unknown fields stay errors, "
                        "as a server-side apply refuses them whatever fieldValidation says")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on warnings too")
    p.add_argument("-o", "--output", choices=("text", *formats.FORMATS), default="text", help="report format")
    p.add_argument("-q", "--quiet", action="store_true", help="text output: leave out the ok lines")
    return p


def _problem_finding(problem: inputs.InputProblem) -> Finding:
    return Finding(Subject(problem.file, -1 if problem.index is None else problem.index, problem.line), "", ERROR,
                   problem.message)


def run(paths: Sequence[str], versions: Sequence[str], crds: Sequence[str] = (), state: Sequence[str] = (),
        options: Options | None = None) -> list[Finding]:
    """Every finding, in report order: unreadable input first, then each document (file, then document
    order) with its versions in release order.  Raises ``inputs.MissingInput`` for a path that is not there."""
    docs, problems = inputs.read(paths)
    crd_docs, crd_problems = inputs.read(crds)
    state_docs, state_problems = inputs.read(state)
    found = [_problem_finding(p) for p in [*problems, *crd_problems, *state_problems]]
    checked: list[Finding] = []
    for version in versions:
        cluster = VersionRun(version, options or Options())
        found.extend(cluster.preload(crd_docs))
        found.extend(cluster.preload(state_docs))
        checked.extend(cluster.check(docs))
    place = {(doc.file, doc.index): i for i, doc in enumerate(docs)}  # input order, not apply order
    order = {v: i for i, v in enumerate(versions)}
    checked.sort(key=lambda f: (place[f.subject.file, f.subject.index], order[f.version]))
    return found + checked


def failed(findings: Sequence[Finding], strict: bool) -> bool:
    return any(f.severity in FAILING or (strict and f.severity == WARNING) for f in findings)


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        versions = targets.parse(args.kubernetes_version)
        findings = run(args.paths, versions, args.crds, args.state,
                       Options(warn_unknown=args.warn_unknown, runtime_config=args.runtime_config))
    except (targets.BadVersion, inputs.MissingInput) as exc:
        print(f"fakekube check: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except ValueError as exc:  # a --runtime-config kube-apiserver would refuse
        print(f"fakekube check: error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    report = formats.text(findings, args.quiet) if args.output == "text" else formats.FORMATS[args.output](findings)
    sys.stdout.write(report)
    return 1 if failed(findings, args.strict) else 0
