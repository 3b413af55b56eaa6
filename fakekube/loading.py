"""Putting manifests into a cluster through its registry, as ``kubectl apply -f`` does.

``FakeCluster.apply``/``create`` and ``fakekube serve --load`` share this.  Like kubectl, every
document is tried, in apply order (Namespaces and CRDs first), and every one that fails is
reported with its file, document and the API server's message, so a test or a CI job sees all
that is wrong in one run; the valid ones are written.  Unknown or duplicate fields are refused
under ``fieldValidation=Strict`` (kubectl's default), warned about under ``Warn``.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import orjson

from fakekube import errors
from fakekube.manifests import Document, ManifestError, Problem, Source, in_apply_order, read_documents
from fakekube.registry.context import Context
from fakekube.registry.rest import Registry
from fakekube.registry.steps import Result, key


class ManifestWarning(UserWarning):
    """A warning the API server gave for a manifest (``fieldValidation=Warn``: an unknown field...)."""


class Loader:
    """Writes manifest documents to one cluster's registry as one user, with one field validation."""

    def __init__(self, registry: Registry, ctx: Context, settle: Callable[[], object] = lambda: None):
        self.registry = registry
        self.ctx = ctx
        # Runs the cluster's controllers: a CRD is established before the documents after it are written
        # (kubectl would need a second apply; a test should not).
        self.settle = settle

    def load(self, source: Source, replace_existing: bool,
             call: Callable[[Callable[[], list[dict[str, Any]]]], list[dict[str, Any]]]) -> list[dict[str, Any]]:
        """Write every document of ``source`` (created, or replaced with ``replace_existing``); ``call``
        runs the writes where the cluster's state lives.  Raises ``ManifestError`` naming every document
        that could not be read or written, after writing the others."""
        problems: list[Problem] = []
        docs = in_apply_order(read_documents(source, problems))
        told: list[str] = []

        def run() -> list[dict[str, Any]]:
            written: list[dict[str, Any]] = []
            for doc in docs:
                try:
                    result = self._write(doc, replace_existing)
                except _DocumentError as exc:
                    problems.append(doc.problem(str(exc)))
                    continue
                written.append(orjson.loads(result.data))
                # a CRD's resources are served, and a namespace's default ServiceAccount (which the ServiceAccount
                # admission of its pods waits for) exists, once the controllers have run
                if doc.body.get("kind") in ("CustomResourceDefinition", "Namespace"):
                    self.settle()
                told.extend(f"{doc.where()}: {warning}" for warning in result.warnings)
            return written

        written = call(run)
        for warning in told:  # here, on the caller's thread (not the server's), naming the caller's line
            warnings.warn(warning, ManifestWarning, stacklevel=3)
        if problems:
            raise ManifestError(sorted(problems, key=lambda p: (p.origin, -1 if p.index is None else p.index)))
        return written

    def _write(self, doc: Document, replace_existing: bool) -> Result:
        try:
            body: dict[str, Any] = orjson.loads(orjson.dumps(doc.body))  # the registry mutates what it is given
        except orjson.JSONEncodeError as exc:  # a lone surrogate (``"\ud800"``) has no UTF-8 form
            raise _DocumentError(f"cannot be encoded as JSON: {exc}") from None
        kind = body.get("kind")
        api_version = body.get("apiVersion")
        if not isinstance(kind, str) or not isinstance(api_version, str) or not kind or not api_version:
            raise _DocumentError("apiVersion and kind are required")
        metadata = body.get("metadata", {})
        if not isinstance(metadata, dict):
            raise _DocumentError("metadata must be a mapping")
        res = self.registry.catalog.by_api_version(api_version, kind)
        if res is None:
            raise _DocumentError(f'no matches for kind "{kind}" in version "{api_version}"')
        given = metadata.get("namespace")
        # A namespace that is not a string is the registry's decode error to report, not a lookup key.
        namespace = given if isinstance(given, str) and given else ("default" if res.namespaced else "")
        name = metadata.get("name")
        try:
            if replace_existing and isinstance(name, str) and name and self.registry.store.get(
                    res.storage_key, key(res, namespace, name)) is not None:
                result = self.registry.update(self.ctx, res, namespace, name, body)
            else:
                result = self.registry.create(self.ctx, res, namespace, body)
        except errors.StatusError as exc:
            raise _DocumentError(exc.message) from exc
        return result


class _DocumentError(Exception):
    """Why one document was not written (the message a ``Problem`` carries)."""
