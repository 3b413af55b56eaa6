"""The order documents are sent in: Namespaces, then CustomResourceDefinitions, then the rest, each group in
input order -- the order ``FakeCluster.apply`` and ``fakekube serve --load`` use (``fakekube.manifests``), so
that a Pod listed before its Namespace, or a custom resource before its CRD, is checked as a whole apply
that creates them would go, not refused for the file's order."""

from __future__ import annotations

from fakekube.check.inputs import InputDocument
from fakekube.manifests import FIRST_KINDS


def rank(doc: InputDocument) -> int:
    """0 for a Namespace, 1 for a CRD, 2 for anything else."""
    kind = doc.body.get("kind")
    return FIRST_KINDS.index(kind) if kind in FIRST_KINDS else len(FIRST_KINDS)


def in_apply_order(docs: list[InputDocument]) -> list[InputDocument]:
    """``docs`` sorted by ``rank`` (a stable sort: input order within each rank)."""
    return sorted(docs, key=rank)
