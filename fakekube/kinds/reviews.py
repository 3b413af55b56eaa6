"""Create-only resources that kube-apiserver answers but never stores: reviews and bindings.

``POST`` of a SubjectAccessReview, TokenReview, SelfSubjectReview... returns the request with its
``status`` filled in; nothing is persisted, so the same body can be sent again and needs no name.
Authentication and authorization are not enabled yet, so every review says yes, as a cluster whose
authorizer allows everything would.  A Binding assigns a pod to a node, as the scheduler does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from fakekube import errors

if TYPE_CHECKING:
    from fakekube.registry.catalog import ResourceInfo
    from fakekube.registry.rest import Registry

USER = {"username": "fakekube-admin", "groups": ["system:masters", "system:authenticated"]}
ALL_RULES = {
    "resourceRules": [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
    "nonResourceRules": [{"verbs": ["*"], "nonResourceURLs": ["*"]}],
    "incomplete": False,
}

Answer = Callable[["Registry", str, dict[str, Any]], dict[str, Any]]


def _access_review(registry: Registry, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {"allowed": True, "reason": "fakekube allows every request (authorization is not enabled)"}


def _rules_review(registry: Registry, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    return dict(ALL_RULES)


def _self_review(registry: Registry, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    return {"userInfo": dict(USER)}


def _token_review(registry: Registry, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    audiences = (obj.get("spec") or {}).get("audiences")
    status: dict[str, Any] = {"authenticated": True, "user": dict(USER)}
    if audiences:
        status["audiences"] = audiences
    return status


ANSWERS: dict[str, Answer] = {
    "SubjectAccessReview": _access_review,
    "LocalSubjectAccessReview": _access_review,
    "SelfSubjectAccessReview": _access_review,
    "SelfSubjectRulesReview": _rules_review,
    "SelfSubjectReview": _self_review,
    "TokenReview": _token_review,
}


def is_virtual(res: ResourceInfo) -> bool:
    """Resources that only accept ``create`` are answered, not stored."""
    return res.verbs == frozenset({"create"})


def answer(registry: Registry, res: ResourceInfo, namespace: str, obj: dict[str, Any]) -> dict[str, Any]:
    """The response to creating ``obj`` (already decoded and schema-checked)."""
    if res.kind == "Binding":
        bind(registry, namespace, obj)
        return errors.success_status()
    respond = ANSWERS.get(res.kind)
    obj["status"] = respond(registry, namespace, obj) if respond else {}
    return obj


def bind(registry: Registry, namespace: str, binding: dict[str, Any]) -> None:
    """Assign the pod named by the binding to ``target.name``, as the scheduler's Binding does."""
    pods = registry.catalog.get("", "v1", "pods")
    name = (binding.get("metadata") or {}).get("name", "")
    target = binding.get("target") or {}
    if pods is None:
        raise errors.not_found_path()
    if target.get("kind", "Node") != "Node" or not target.get("name"):
        raise errors.invalid_object("Binding", "", name, [errors.required("target.name")])
    pod = registry.get_object(pods, namespace, name)
    node = (pod.get("spec") or {}).get("nodeName")
    if node:
        raise errors.conflict("pods/binding", "", name, f"pod {name} is already assigned to node {node!r}".replace(
            "'", '"'))
    pod["spec"]["nodeName"] = target["name"]
    # A pod's spec is immutable to updates; binding is the one way its node is set, so it writes directly.
    from fakekube.registry.rest import ordered

    registry.store.update(pods.storage_key, (namespace, name), ordered(pod),
                          expected_revision=int(pod["metadata"]["resourceVersion"]))
