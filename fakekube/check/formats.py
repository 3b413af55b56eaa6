"""The report formats of ``fakekube check``: text (the default), json, junit, github, sarif.

Each takes the findings in report order and returns the whole report as a string, so the formats stay pure
functions a test can compare byte for byte.

Text, one line per finding, then a summary line::

    FILE:LINE: [vX.Y] KIND NAMESPACE/NAME: SEVERITY: MESSAGE
    FILE:LINE: [vX.Y] KIND NAMESPACE/NAME: ok

(``KIND NAME`` for a cluster-scoped object; ``FILE:LINE: error: MESSAGE`` for a file that cannot be read;
a message's line breaks are written ``\\n``, so that every finding stays one line.)
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any
from xml.etree import ElementTree as ET

from fakekube.check.findings import ERROR, FAILING, NOT_SERVED, OK, REMOVED, WARNING, Finding

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_RULES = {
    ERROR: "The API server refuses the document.",
    WARNING: "The API server accepts the document with a warning.",
    REMOVED: "The API version of the document was removed in the target Kubernetes version.",
    NOT_SERVED: "The target Kubernetes version does not serve the kind in this API version.",
}


def _one_line(text: str) -> str:
    return text.replace("\n", "\\n")


def _where(finding: Finding) -> str:
    s = finding.subject
    return f"{s.file}:{s.line}" if s.line else s.file


def summary(findings: Sequence[Finding]) -> str:
    """``checked 4 documents against v1.36, v1.37: 6 ok, 1 error, 1 warning``."""
    counts = Counter(f.severity for f in findings)
    docs = {(f.subject.file, f.subject.index) for f in findings if f.version}
    versions = sorted({f.version for f in findings if f.version}, key=lambda v: int(v.rpartition(".")[2]))
    parts = [f"{counts[OK]} ok"]
    for severity, one, many in ((ERROR, "error", "errors"), (WARNING, "warning", "warnings"),
                                (REMOVED, "removed", "removed"), (NOT_SERVED, "not served", "not served")):
        if counts[severity]:
            parts.append(f"{counts[severity]} {one if counts[severity] == 1 else many}")
    noun = "document" if len(docs) == 1 else "documents"
    against = f" against {', '.join(versions)}" if versions else ""
    return f"checked {len(docs)} {noun}{against}: {', '.join(parts)}"


def text(findings: Sequence[Finding], quiet: bool = False) -> str:
    """One line per finding (``quiet``: no ``ok`` lines), then the summary."""
    lines = []
    for f in findings:
        if quiet and f.severity == OK:
            continue
        if not f.version:
            lines.append(f"{_where(f)}: {f.severity}: {_one_line(f.message)}")
            continue
        head = f"{_where(f)}: [{f.version}] {f.subject.object_name()}: {f.severity}"
        lines.append(f"{head}: {_one_line(f.message)}" if f.message else head)
    lines.append(summary(findings))
    return "\n".join(lines) + "\n"


def as_dict(finding: Finding) -> dict[str, Any]:
    s = finding.subject
    out: dict[str, Any] = {"file": s.file, "line": s.line, "document": s.index, "version": finding.version,
                           "severity": finding.severity, "apiVersion": s.api_version, "kind": s.kind,
                           "namespace": s.namespace, "name": s.name, "message": finding.message}
    if finding.code:
        out.update(code=finding.code, reason=finding.reason, causes=list(finding.causes))
    return out


def json_report(findings: Sequence[Finding]) -> str:
    """``{"findings": [...], "summary": "..."}``: every finding with its document's place and object, and for
    an error the Status code, reason and causes (with their field paths) exactly as the server gave them."""
    return json.dumps({"findings": [as_dict(f) for f in findings], "summary": summary(findings)}, indent=2) + "\n"


def junit(findings: Sequence[Finding]) -> str:
    """A ``testsuite`` per Kubernetes version (and ``input`` for unreadable files), a ``testcase`` per
    document; errors, removals and kinds not served are failures, warnings the test case's system-out."""
    root = ET.Element("testsuites", name="fakekube check")
    suites: dict[str, ET.Element] = {}
    cases: dict[tuple[str, str, int], ET.Element] = {}
    for f in findings:
        name = f.version or "input"
        suite = suites.get(name)
        if suite is None:
            suite = suites[name] = ET.SubElement(root, "testsuite", name=name)
        case_key = (name, f.subject.file, f.subject.index)
        case = cases.get(case_key)
        if case is None:
            case = cases[case_key] = ET.SubElement(
                suite, "testcase", classname=f.subject.file,
                name=f"{f.subject.object_name()} (document {f.subject.index + 1}, line {f.subject.line})")
        if f.severity in FAILING:
            ET.SubElement(case, "failure", type=f.severity, message=f.message).text = f.message
        elif f.severity == WARNING:
            out = case.find("system-out")
            if out is None:
                out = ET.SubElement(case, "system-out")
                out.text = ""
            out.text = (out.text or "") + f"warning: {f.message}\n"
    for suite in suites.values():
        cases_in = suite.findall("testcase")
        suite.set("tests", str(len(cases_in)))
        suite.set("failures", str(sum(1 for c in cases_in if c.find("failure") is not None)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(findings: Sequence[Finding]) -> str:
    """GitHub Actions workflow commands (``::error file=F,line=L,title=T::MESSAGE``), which annotate the pull
    request's changed lines; warnings are ``::warning``; ok findings print nothing; the summary last."""
    lines = []
    for f in findings:
        if f.severity == OK:
            continue
        command = "warning" if f.severity == WARNING else "error"
        title = f"[{f.version}] {f.subject.object_name()}: {f.severity}" if f.version else f.severity
        place = f"file={_escape_property(f.subject.file)}"
        if f.subject.line:
            place += f",line={f.subject.line}"
        lines.append(f"::{command} {place},title={_escape_property(title)}::{_escape_data(f.message)}")
    lines.append(summary(findings))
    return "\n".join(lines) + "\n"


def sarif(findings: Sequence[Finding]) -> str:
    """SARIF 2.1.0 (GitHub code scanning's upload format): a rule per severity, a result per finding that
    is not ok, located at the document's first line."""
    results = []
    for f in findings:
        if f.severity == OK:
            continue
        label = f"[{f.version}] {f.subject.object_name()}: " if f.version else ""
        location: dict[str, Any] = {"artifactLocation": {"uri": f.subject.file}}
        if f.subject.line:
            location["region"] = {"startLine": f.subject.line}
        results.append({"ruleId": f.severity, "level": "warning" if f.severity == WARNING else "error",
                        "message": {"text": label + f.message},
                        "locations": [{"physicalLocation": location}]})
    rules = [{"id": rule, "shortDescription": {"text": text}} for rule, text in _RULES.items()]
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
           "runs": [{"tool": {"driver": {"name": "fakekube check", "rules": rules}},
                     "results": results}]}
    return json.dumps(log, indent=2) + "\n"


FORMATS: dict[str, Callable[[Sequence[Finding]], str]] = {
    "json": json_report, "junit": junit, "github": github, "sarif": sarif}
