"""Texts of object lifecycle: deletion warnings, the garbage collector's events, namespace termination
conditions (worded as kube-apiserver and kube-controller-manager word them)."""

from __future__ import annotations

__all__ = [
    "JOB_ORPHANS_PODS",
    "NAMESPACE_CONDITION_OK",
    "content_remaining",
    "finalizers_remaining",
    "owner_ref_invalid_namespace",
]

# A Job deleted through batch/v1 without a policy keeps its pods (the kind's default orphans them).
JOB_ORPHANS_PODS = ("child pods are preserved by default when jobs are deleted; set propagationPolicy=Background "
                    "to remove them or set propagationPolicy=Orphan to suppress this warning")

# The conditions the namespace controller keeps on a terminating namespace, when all is well: (reason, message).
NAMESPACE_CONDITION_OK = {
    "NamespaceDeletionDiscoveryFailure": ("ResourcesDiscovered", "All resources successfully discovered"),
    "NamespaceDeletionGroupVersionParsingFailure": ("ParsedGroupVersions", "All legacy kube types successfully parsed"),
    "NamespaceDeletionContentFailure": ("ContentDeleted",
                                        "All content successfully deleted, may be waiting on finalization"),
    "NamespaceContentRemaining": ("ContentRemoved", "All content successfully removed"),
    "NamespaceFinalizersRemaining": ("ContentHasNoFinalizers", "All content-preserving finalizers finished"),
}


def content_remaining(counts: dict[str, int]) -> str:
    """``NamespaceContentRemaining`` while objects stay: each resource (``pods.``, ``widgets.example.com``)
    with its count, sorted."""
    parts = [f"{resource} has {count} resource instances" for resource, count in sorted(counts.items())]
    return "Some resources are remaining: " + ", ".join(parts)


def finalizers_remaining(counts: dict[str, int]) -> str:
    """``NamespaceFinalizersRemaining`` while objects hold finalizers: each finalizer with how many objects
    hold it, sorted."""
    parts = [f"{finalizer} in {count} resource instances" for finalizer, count in sorted(counts.items())]
    return "Some content in the namespace has finalizers remaining: " + ", ".join(parts)


def owner_ref_invalid_namespace(api_version: str, kind: str, name: str, uid: str, namespace: str) -> str:
    """The garbage collector's ``OwnerRefInvalidNamespace`` event: a dependent names an owner that does not
    exist in its own namespace (the owner lives in another one)."""
    return (f"ownerRef [{api_version}/{kind}, namespace: {namespace}, name: {name}, uid: {uid}] "
            f'does not exist in namespace "{namespace}"')
