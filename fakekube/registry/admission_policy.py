"""The ValidatingAdmissionPolicy admission plugin (``admission/plugin/policy/validating``): the policies and
bindings stored in the cluster judge every write that reaches validating admission, dry runs included.

For each policy with bindings whose ``matchConstraints`` match the write, each binding whose
``matchResources`` (if any) also match is evaluated with each of its params
(``admission_policy_params``); a failed validation goes where the binding's ``validationActions`` say:
``Deny`` refuses the write with the first denial's text (``errors.policy_denied``), ``Warn`` adds a warning
(``admission_policy_warnings``), ``Audit`` is ignored (no audit log here).  A policy or binding that cannot
be used (its ``paramKind`` unknown, its params missing under ``Deny``) refuses the write under
``failurePolicy: Fail`` and is skipped under ``Ignore``.

Writes to the policies and bindings themselves (validating and mutating, ``admissionregistration.k8s.io``) are
never judged, so that a policy refusing everything can still be unbound and deleted; nor are the access and
token reviews, which are not stored (upstream's ``admissionConfigResources`` and ``exclusion.Excluded``,
matched on the request's group and resource).  Webhook configurations are judged like anything else.

Everything is read from the store at each write: kube-apiserver follows the same objects through informers,
so it acts on them a moment after they are written, fakekube at once.  Policies and bindings are taken in
name order (kube's informer order is a map's).  Not done: the type checking that writes a policy's
``status.typeChecking``, ``auditAnnotations``, the ``authorizer`` library (an expression reading it fails,
``admission_policy_evaluation``) and CEL cost budgets.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import orjson

from fakekube import errors
from fakekube.registry.admission_attributes import CREATE, DELETE, Attributes
from fakekube.registry.admission_policy_matching import request_name, resources_match
from fakekube.registry.admission_policy_params import ConfigurationError, ParamSource, collect_params, param_source
from fakekube.registry.admission_policy_warnings import add_warning
from fakekube.registry.catalog import Catalog
from fakekube.registry.encoding import to_version
from fakekube.registry.resources import ResourceInfo
from fakekube.storage import Store

POLICIES_TABLE = "admissionregistration.k8s.io/validatingadmissionpolicies"
BINDINGS_TABLE = "admissionregistration.k8s.io/validatingadmissionpolicybindings"
NAMESPACES_TABLE = "namespaces"

# (group, resource) of the writes no policy stored in the cluster judges: the admission policies' own
# configuration (kube's ``admissionConfigResources``: judged only by policies loaded from manifests, which
# fakekube has not) and the reviews, which are answered, not stored (``exclusion.Excluded``).
EXEMPT = frozenset({
    ("admissionregistration.k8s.io", "validatingadmissionpolicies"),
    ("admissionregistration.k8s.io", "validatingadmissionpolicybindings"),
    ("admissionregistration.k8s.io", "mutatingadmissionpolicies"),
    ("admissionregistration.k8s.io", "mutatingadmissionpolicybindings"),
    ("authentication.k8s.io", "selfsubjectreviews"),
    ("authentication.k8s.io", "tokenreviews"),
    ("authorization.k8s.io", "localsubjectaccessreviews"),
    ("authorization.k8s.io", "selfsubjectaccessreviews"),
    ("authorization.k8s.io", "selfsubjectrulesreviews"),
    ("authorization.k8s.io", "subjectaccessreviews"),
})

if TYPE_CHECKING:  # the evaluation (and the CEL engine under it) is imported by the first write a policy judges
    from fakekube.registry import admission_policy_evaluation as evaluation

# (policy name, binding name or None, decision) of each denial, the first of which is the answer
Denial = tuple[str, str | None, "evaluation.Decision"]


def _bindings_by_policy(store: Store) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for _, data in store.iter_table(BINDINGS_TABLE):
        binding = orjson.loads(data)
        policy = (binding.get("spec") or {}).get("policyName")
        if isinstance(policy, str) and policy:
            found.setdefault(policy, []).append(binding)
    for bindings in found.values():
        bindings.sort(key=lambda b: str(b["metadata"].get("name", "")))
    return found


def _gvk(res: ResourceInfo) -> dict[str, str]:
    return {"group": res.group, "version": res.version, "kind": res.kind}


def _gvr(res: ResourceInfo) -> dict[str, str]:
    return {"group": res.group, "version": res.version, "resource": res.plural}


_OPTIONS_KINDS = {"CREATE": "CreateOptions", "UPDATE": "UpdateOptions", "DELETE": "DeleteOptions"}


def request_of(attrs: Attributes, matched: ResourceInfo) -> dict[str, Any]:
    """``request``: the AdmissionRequest kube builds for CEL (no ``object``/``oldObject`` in it); ``kind`` and
    ``resource`` are the matched ones, ``requestKind``/``requestResource`` the request's own."""
    user = attrs.context.user
    user_info: dict[str, Any] = {"username": user.username}
    if user.uid:
        user_info["uid"] = user.uid
    if user.groups:
        user_info["groups"] = list(user.groups)
    if user.extra:
        user_info["extra"] = {key: list(values) for key, values in user.extra}
    request: dict[str, Any] = {"uid": "", "kind": _gvk(matched), "resource": _gvr(matched)}
    if attrs.subresource:
        request["subResource"] = attrs.subresource
    request["requestKind"] = _gvk(attrs.resource)
    request["requestResource"] = _gvr(attrs.resource)
    if attrs.subresource:
        request["requestSubResource"] = attrs.subresource
    name = request_name(attrs)
    if name:
        request["name"] = name
    namespace = request_namespace(attrs)
    if namespace:
        request["namespace"] = namespace
    request["operation"] = attrs.operation
    request["userInfo"] = user_info
    request["dryRun"] = attrs.context.dry_run
    options: dict[str, Any] = {"kind": _OPTIONS_KINDS.get(attrs.operation, ""), "apiVersion": "meta.k8s.io/v1"}
    if attrs.context.dry_run:
        options["dryRun"] = ["All"]
    if attrs.context.field_manager and attrs.operation != DELETE:
        options["fieldManager"] = attrs.context.field_manager
    request["options"] = options
    return request


def _is_namespace(attrs: Attributes) -> bool:
    return not attrs.resource.group and attrs.resource.plural == "namespaces"


def request_namespace(attrs: Attributes) -> str:
    """The request's namespace as admission has it: a Namespace's own write is in the namespace it names
    (kube's request info reads ``/namespaces/x`` so, and its create handler sets a Namespace's name as the
    namespace: none when the name is generated); a cluster-scoped write has none."""
    if attrs.namespace or not _is_namespace(attrs):
        return attrs.namespace
    if attrs.operation == CREATE:
        meta = (attrs.obj or {}).get("metadata") or {}
        generated = attrs.name == meta.get("generateName") and attrs.name != meta.get("name")
        return "" if generated else str(meta.get("name") or "")
    return attrs.name


def namespace_object(store: Store, attrs: Attributes) -> dict[str, Any] | None:
    """``namespaceObject``: the request's namespace (metadata, spec, status; none for a cluster-scoped write
    or a Namespace itself)."""
    if not attrs.namespace or _is_namespace(attrs):
        return None
    data = store.get(NAMESPACES_TABLE, ("", attrs.namespace))
    if data is None:
        return None
    stored = orjson.loads(data)
    keep = ("name", "generateName", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
            "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "finalizers")
    meta = {k: v for k, v in (stored.get("metadata") or {}).items() if k in keep}
    return {"metadata": meta, "spec": stored.get("spec") or {}, "status": stored.get("status") or {}}


def _as_matched(obj: dict[str, Any] | None, matched: ResourceInfo, res: ResourceInfo) -> dict[str, Any] | None:
    """The object at the matched version (an equivalent resource's), as kube converts it for the policy."""
    if obj is None or matched is res:
        return obj
    return to_version(matched, obj)


def _forbidden_name(attrs: Attributes) -> str:
    """``admission.NewForbidden``'s name: the object's name (a delete's: the stored object's), else its
    ``generateName``, else ``Unknown``."""
    for obj in (attrs.obj, attrs.old):
        meta = (obj or {}).get("metadata") or {}
        if meta.get("name") or meta.get("generateName"):
            return str(meta.get("name") or meta.get("generateName"))
    return "Unknown"


def _config_error(denials: list[Denial], spec: Mapping[str, Any], policy: str, binding: str | None,
                  message: str) -> None:
    from fakekube.registry import admission_policy_evaluation as evaluation

    if spec.get("failurePolicy", "Fail") != "Ignore":
        denials.append((policy, binding, evaluation.Decision(evaluation.DENY, message)))


def _judge(store: Store, catalog: Catalog, attrs: Attributes, policy: dict[str, Any],
           bindings: list[dict[str, Any]], denials: list[Denial]) -> None:
    """One policy with its bindings: its denials appended to ``denials``, its warnings recorded."""
    from fakekube.registry import admission_policy_evaluation as evaluation

    name, spec = str(policy["metadata"]["name"]), policy.get("spec") or {}
    constraints = spec.get("matchConstraints")
    if not isinstance(constraints, dict):
        return  # "policy contained no match constraints": the policy never matches
    matched = resources_match(store, catalog, attrs, constraints)
    if matched is None:
        return
    source: ParamSource | None = None
    if isinstance(spec.get("paramKind"), dict):
        try:
            source = param_source(catalog, spec["paramKind"])
        except ConfigurationError as exc:
            _config_error(denials, spec, name, None, str(exc))
            return
    inputs: dict[str, Any] = {
        "object": _as_matched(attrs.obj, matched, attrs.resource),
        "oldObject": _as_matched(attrs.old, matched, attrs.resource),
        "request": request_of(attrs, matched),
        "namespaceObject": namespace_object(store, attrs),
    }
    for binding in bindings:
        binding_name, binding_spec = str(binding["metadata"]["name"]), binding.get("spec") or {}
        match = binding_spec.get("matchResources")
        if isinstance(match, dict) and resources_match(store, catalog, attrs, match) is None:
            continue
        try:
            params = collect_params(store, source, binding_spec, request_namespace(attrs))
        except ConfigurationError as exc:
            _config_error(denials, spec, name, binding_name, str(exc))
            continue
        actions = binding_spec.get("validationActions") or []
        for param in params:
            for decision in evaluation.validate(spec, {**inputs, "params": param}):
                if decision.action != evaluation.DENY:
                    continue
                if "Deny" in actions:
                    denials.append((name, binding_name, decision))
                if "Warn" in actions:
                    add_warning(errors.policy_warning(name, binding_name, decision.message))


def validate(store: Store, catalog: Catalog, attrs: Attributes) -> None:
    """The plugin: raises the first denial as kube-apiserver words it, after recording every warning."""
    if not store.count(POLICIES_TABLE) or not store.count(BINDINGS_TABLE):
        return
    if (attrs.resource.group, attrs.resource.plural) in EXEMPT:
        return
    by_policy = _bindings_by_policy(store)
    denials: list[Denial] = []
    for _, data in store.iter_table(POLICIES_TABLE):
        policy = orjson.loads(data)
        bindings = by_policy.get(str(policy["metadata"].get("name", "")))
        if bindings:
            _judge(store, catalog, attrs, policy, bindings, denials)
    if denials:
        policy_name, binding_name, decision = denials[0]
        res = attrs.resource
        raise errors.policy_denied(res.plural, res.group, _forbidden_name(attrs), policy_name, binding_name,
                                   decision.message, decision.reason)
