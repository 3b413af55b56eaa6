"""Sending documents to an in-process ``FakeCluster`` of each target version, as ``kubectl apply
--server-side --dry-run=server`` sends them, and turning each answer into findings.

The registry is called directly (no HTTP): its answers are the server's own -- the Status message and
causes of an error, and the warnings the response would carry in ``Warning`` headers (the deprecation
warning of an API version first, as kube-apiserver's filter adds it before the handler runs).

A dry run writes nothing, yet a Namespace or a CRD early in the input must exist for the documents after it
(kubectl users apply them together).  So a document the dry run accepted is then applied for real by the
same field manager: later documents see the cluster a real ``kubectl apply`` of the input would leave, and
the controllers run after each Namespace (its default ServiceAccount) and CRD (its resources served).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

import orjson

from fakekube import errors
from fakekube.check import removals
from fakekube.check.findings import ERROR, NOT_SERVED, OK, REMOVED, WARNING, Finding, Subject
from fakekube.check.inputs import InputDocument
from fakekube.check.ordering import in_apply_order
from fakekube.cluster import FakeCluster
from fakekube.manifests import FIRST_KINDS
from fakekube.registry.context import Context
from fakekube.schema.validation import STRICT, WARN
from fakekube.versions import minor_of

KUBECTL_MANAGER = "kubectl"  # kubectl apply --server-side's default --field-manager
KUBECTL_AGENT = "kubectl/v1.37.0 (linux/amd64) kubernetes/fakekube"


@dataclass(frozen=True)
class Options:
    """How the documents are sent."""

    warn_unknown: bool = False  # fieldValidation=Warn rather than kubectl's default Strict
    runtime_config: str | None = None  # kube-apiserver's --runtime-config


def subject_of(doc: InputDocument, namespaced: bool | None = None) -> Subject:
    """What a report says of ``doc``: where it is, and its kind, namespace and name as far as they are strings
    (a namespaced object without a namespace is in ``default``, kubectl's namespace without a context)."""
    body = doc.body
    meta = body.get("metadata") if isinstance(body.get("metadata"), dict) else {}
    assert isinstance(meta, dict)

    def text(value: Any) -> str:
        return value if isinstance(value, str) else ""

    namespace = text(meta.get("namespace"))
    if namespaced:
        namespace = namespace or "default"
    elif namespaced is False:
        namespace = ""
    return Subject(doc.file, doc.index, doc.line, text(body.get("apiVersion")), text(body.get("kind")),
                   namespace, text(meta.get("name")))


class VersionRun:
    """One Kubernetes version's cluster, with what must exist before the input: CRDs, then the state."""

    def __init__(self, version: str, options: Options):
        self.version = version
        self.cluster = FakeCluster(version, runtime_config=options.runtime_config)
        validation = WARN if options.warn_unknown else STRICT
        self.real = Context(field_manager=KUBECTL_MANAGER, field_validation=validation, user_agent=KUBECTL_AGENT)
        self.dry = replace(self.real, dry_run=True)

    def preload(self, docs: Iterable[InputDocument]) -> list[Finding]:
        """Write ``docs`` for real (``--crds``, ``--state``), as ``kubectl apply`` by the same field manager
        had (so that the input's apply owns their fields: an immutable field change is refused as such,
        not as a conflict); only the ones that fail are reported."""
        found: list[Finding] = []
        for doc in in_apply_order(list(doc for doc in docs)):
            finding = self._send(doc, self.real)
            if finding[0].severity != OK and finding[0].severity != WARNING:
                found.extend(finding)
        return found

    def check(self, docs: Iterable[InputDocument]) -> list[Finding]:
        """The findings of every document, sent in apply order."""
        found: list[Finding] = []
        for doc in in_apply_order(list(docs)):
            answer = self._send(doc, self.dry)
            found.extend(answer)
            if all(f.severity in (OK, WARNING) for f in answer):
                self._send(doc, self.real)
        return found

    def _send(self, doc: InputDocument, ctx: Context) -> list[Finding]:
        """One server-side apply of ``doc``: an OK (with its warnings) or an error, as findings."""
        subject = subject_of(doc)
        kind, api_version = doc.body.get("kind"), doc.body.get("apiVersion")
        if not isinstance(kind, str) or not isinstance(api_version, str) or not kind or not api_version:
            return [Finding(subject, self.version, ERROR, "apiVersion and kind are required")]
        res = self.cluster.catalog.by_api_version(api_version, kind)
        if res is None:
            removal = removals.removed_in(api_version, kind, minor_of(self.version))
            if removal is not None:
                return [Finding(subject, self.version, REMOVED, removals.message(api_version, kind, removal))]
            return [Finding(subject, self.version, NOT_SERVED,
                            f'no matches for kind "{kind}" in version "{api_version}"')]
        subject = subject_of(doc, res.namespaced)
        if not subject.name:
            return [Finding(subject, self.version, ERROR, "resource name may not be empty")]
        try:
            body = orjson.loads(orjson.dumps(doc.body))  # the registry mutates what it is given
        except orjson.JSONEncodeError as exc:
            return [Finding(subject, self.version, ERROR, f"cannot be encoded as JSON: {exc}")]
        if res.namespaced and isinstance(body.get("metadata"), dict):
            body["metadata"].setdefault("namespace", subject.namespace)  # kubectl sends the namespace it uses
        try:
            strictness = errors.apply_yaml_duplicate_keys(list(doc.duplicates)) if doc.duplicates else ""
            result = self.cluster.registry.apply(ctx, res, subject.namespace, subject.name, body,
                                                 strictness=strictness)
        except errors.StatusError as exc:
            return [Finding(subject, self.version, ERROR, exc.message, tuple(exc.causes), exc.code, exc.reason)]
        if not ctx.dry_run and kind in FIRST_KINDS:
            self.cluster.settle()
        told = [res.deprecation_warning] if res.deprecation_warning else []
        told.extend(w for w in result.warnings if w not in told)
        if not told:
            return [Finding(subject, self.version, OK)]
        return [Finding(subject, self.version, WARNING, warning) for warning in told]
