"""The order documents are sent in: Namespaces, then CustomResourceDefinitions, then ValidatingAdmissionPolicies
and their bindings, then the rest, each group in input order.

Namespaces and CRDs go first as ``FakeCluster.apply`` and ``fakekube serve --load`` send them
(``fakekube.manifests``), so that a Pod listed before its Namespace, or a custom resource before its CRD, is
checked as a whole apply that creates them would go, not refused for the file's order.  Admission policies
come next, before the objects they judge: a cluster that holds the input's policies refuses what they deny
whatever order the files were applied in, and that is what a check of the input should report.  They come
after the CRDs because a policy may take a custom resource as its ``paramKind`` (its params are then sent
with the rest, as ordinary objects, before the documents the policy judges only if they precede them).
"""

from __future__ import annotations

from fakekube.check.inputs import InputDocument
from fakekube.manifests import FIRST_KINDS

# kinds sent right after ``FIRST_KINDS``, in this order
POLICY_KINDS = ("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding")
_ORDER = (*FIRST_KINDS, *POLICY_KINDS)


def rank(doc: InputDocument) -> int:
    """0 for a Namespace, 1 for a CRD, 2 for a ValidatingAdmissionPolicy, 3 for a binding, 4 for anything else."""
    kind = doc.body.get("kind")
    return _ORDER.index(kind) if kind in _ORDER else len(_ORDER)


def in_apply_order(docs: list[InputDocument]) -> list[InputDocument]:
    """``docs`` sorted by ``rank`` (a stable sort: input order within each rank)."""
    return sorted(docs, key=rank)
