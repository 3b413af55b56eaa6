"""What ``fakekube check`` found for one document in one Kubernetes version: the unit every report format prints.

One record per (document, version, finding) keeps the formats simple (each is a loop over findings) and
lets a CI job grep or diff the report: the same input gives the same findings in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OK = "ok"
ERROR = "error"
WARNING = "warning"
# The API version is one the Kubernetes deprecation guide lists as removed at or before the target release.
REMOVED = "removed"
# The target release's catalog does not serve this apiVersion/kind (an alpha API left off, a newer API...).
NOT_SERVED = "not-served"
SEVERITIES = (OK, ERROR, WARNING, REMOVED, NOT_SERVED)
FAILING = (ERROR, REMOVED, NOT_SERVED)  # what makes the check fail (warnings too with ``--strict``)


@dataclass(frozen=True)
class Subject:
    """The document a finding is about: where it is, and what object it describes."""

    file: str  # path as given, or "-" for stdin
    index: int  # 0-based position among the documents of its file (a List's items count one each)
    line: int  # 1-based line where the document (or List item) starts; 0 when unknown (a whole-file problem)
    api_version: str = ""
    kind: str = ""
    namespace: str = ""
    name: str = ""

    def object_name(self) -> str:
        """``Kind namespace/name`` (``Kind name`` for cluster-scoped objects), or ``-`` when it is no object."""
        if not self.kind:
            return "-"
        name = self.name or "<unnamed>"
        return f"{self.kind} {self.namespace}/{name}" if self.namespace else f"{self.kind} {name}"


@dataclass(frozen=True)
class Finding:
    """One answer: ``severity`` (OK, ERROR...), the server's ``message``, and for an error the Status causes
    (``{"reason", "message", "field"}``, as kube-apiserver sends them in ``details.causes``)."""

    subject: Subject
    version: str  # "v1.NN", or "" for a problem of the input itself (a YAML syntax error)
    severity: str
    message: str = ""
    causes: tuple[dict[str, str], ...] = field(default=())
    code: int = 0  # the HTTP status code of the server's answer to an error (0: found before any request)
    reason: str = ""  # the Status reason (Invalid, BadRequest, NotFound...)
