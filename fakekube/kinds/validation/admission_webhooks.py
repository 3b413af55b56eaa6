"""``admissionregistration.k8s.io/v1`` webhook configurations, as ``pkg/apis/admissionregistration/validation``.

Why here: operators and charts register Mutating- and ValidatingWebhookConfigurations; kube-apiserver
refuses one whose webhooks cannot be called safely (no side-effect class, no AdmissionReview version it
speaks, a timeout beyond 30 s, a URL or service it cannot reach, overlapping rules), and tests of those
charts must be refused alike.  Objects arrive defaulted (``kinds/admissionregistration.py``).  An update
keeps upstream's leniency for what the stored configuration already had (side effects, review versions,
duplicate names, invalid selector values, unchanged match conditions).

``matchConditions`` are compiled as ``admission_expressions`` says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.admission_expressions import match_conditions
from fakekube.kinds.validation.common import label_selector, mapping
from fakekube.name_formats import dns1035_label_errors, dns1123_subdomain_errors

ACCEPTED_REVIEW_VERSIONS = ("v1", "v1beta1")
FAILURE_POLICIES = ["Fail", "Ignore"]
MATCH_POLICIES = ["Equivalent", "Exact"]
_ALL_SIDE_EFFECTS = ["None", "NoneOnDryRun", "Some", "Unknown"]
_NO_SIDE_EFFECTS = ["None", "NoneOnDryRun"]
_OPERATIONS = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"]
_SCOPES = ["*", "Cluster", "Namespaced"]
_REINVOCATION_POLICIES = ["IfNeeded", "Never"]
# ``webhook.ValidateWebhookURL`` and ``ValidateWebhookService`` (k8s.io/apiserver), ported once for CRD
# conversion webhooks in ``kinds/crd_webhook.py``; the kind's module hands them in, as this package may not
# import that module (it sits above the pod spec helpers, which import this package).
UrlCheck = Callable[[str, str], list[FieldError]]
ServiceCheck = Callable[[str, Mapping[str, Any]], list[FieldError]]


@dataclass(frozen=True)
class _Options:
    """``validationOptions``: what an update forgives because the stored configuration already had it."""

    ignore_match_conditions: bool = False
    require_no_side_effects: bool = True
    require_recognized_review_version: bool = True
    require_unique_names: bool = True
    allow_invalid_label_values: bool = False
    url_errors: UrlCheck | None = None
    service_errors: ServiceCheck | None = None


def _fully_qualified_name(name: str, path: str) -> list[FieldError]:
    """``validation.IsFullyQualifiedName``: a DNS subdomain of at least three labels."""
    if not name:
        return [errors.required(path)]
    problems = dns1123_subdomain_errors(name)
    if problems:
        return [errors.invalid(path, name, ",".join(problems))]
    if len(name.split(".")) < 3:
        return [errors.fully_qualified_name_too_few_segments(path, name)]
    return []


def _wildcard_with_others(values: list[Any], path: str, go_type: str, what: str) -> list[FieldError]:
    if len(values) > 1 and "*" in values:
        return [errors.webhook_wildcard_with_others(path, errors.go_slice(go_type, values), what)]
    return []


def _resources(resources: list[Any], path: str) -> list[FieldError]:
    """``validateResources``: ``resource/subresource`` entries whose wildcards do not overlap."""
    out: list[FieldError] = [] if resources else [errors.required(path)]
    wildcard_subresources: set[str] = set()  # x/*
    wildcard_resources: set[str] = set()  # */x
    double_wildcard = single_wildcard = plain_resource = False
    for i, entry in enumerate(resources):
        entry = str(entry)
        if not entry:
            out.append(errors.required(f"{path}[{i}]"))
            continue
        double_wildcard = double_wildcard or entry == "*/*"
        single_wildcard = single_wildcard or entry == "*"
        resource, slash, sub = entry.partition("/")
        if not slash:
            plain_resource = entry != "*"
            continue
        if resource in wildcard_subresources:
            out.append(errors.webhook_resource_under_wildcard_subresources(f"{path}[{i}]", entry, resource))
        if sub in wildcard_resources:
            out.append(errors.webhook_subresource_under_wildcard_resource(f"{path}[{i}]", entry, sub))
        if sub == "*":
            wildcard_subresources.add(resource)
        if resource == "*":
            wildcard_resources.add(sub)
    if len(resources) > 1 and double_wildcard:
        out.append(errors.webhook_double_wildcard_with_others(path, errors.go_slice("string", resources)))
    if single_wildcard and plain_resource:
        out.append(errors.webhook_wildcard_with_others(path, errors.go_slice("string", resources),
                                                       "resources without subresources"))
    return out


def validate_rule_with_operations(rule: Mapping[str, Any], path: str) -> list[FieldError]:
    """``validateRuleWithOperations`` then ``validateRule`` (subresources allowed)."""
    operations = rule.get("operations") or []
    out: list[FieldError] = [] if operations else [errors.required(f"{path}.operations")]
    out.extend(_wildcard_with_others(operations, f"{path}.operations", "admissionregistration.OperationType",
                                     "operations"))
    out.extend(errors.not_supported(f"{path}.operations[{i}]", op, _OPERATIONS)
               for i, op in enumerate(operations) if op not in _OPERATIONS)
    groups = rule.get("apiGroups") or []
    if not groups:
        out.append(errors.required(f"{path}.apiGroups"))
    out.extend(_wildcard_with_others(groups, f"{path}.apiGroups", "string", "API groups"))
    versions = rule.get("apiVersions") or []
    if not versions:
        out.append(errors.required(f"{path}.apiVersions"))
    out.extend(_wildcard_with_others(versions, f"{path}.apiVersions", "string", "API versions"))
    out.extend(errors.required(f"{path}.apiVersions[{i}]") for i, v in enumerate(versions) if v == "")
    out.extend(_resources(rule.get("resources") or [], f"{path}.resources"))
    scope = rule.get("scope")
    if scope is not None and scope not in _SCOPES:
        out.append(errors.not_supported(f"{path}.scope", scope, _SCOPES))
    return out


def _review_versions(versions: list[Any], require_recognized: bool, path: str) -> list[FieldError]:
    """``validateAdmissionReviewVersions``: at least one, no repeats, DNS-1035 labels, one the server speaks."""
    if not versions:
        return [errors.webhook_review_versions_required(path, ACCEPTED_REVIEW_VERSIONS)]
    out: list[FieldError] = []
    seen: set[str] = set()
    for i, version in enumerate(versions):
        if version in seen:
            out.append(errors.webhook_review_version_duplicate(f"{path}[{i}]", version))
            continue
        seen.add(version)
        out.extend(errors.invalid(f"{path}[{i}]", version, m) for m in dns1035_label_errors(str(version)))
    if require_recognized and not seen.intersection(ACCEPTED_REVIEW_VERSIONS):
        out.append(errors.webhook_review_versions_unknown(path, errors.go_slice("string", versions),
                                                          ACCEPTED_REVIEW_VERSIONS))
    return out


def _client_config(config: Mapping[str, Any], opts: _Options, path: str) -> list[FieldError]:
    url, service = config.get("url"), config.get("service")
    if (url is None) == (service is None):
        return [errors.webhook_url_or_service(path)]
    if url is not None:
        return opts.url_errors(f"{path}.url", str(url)) if opts.url_errors else []
    return opts.service_errors(f"{path}.service", mapping(service)) if opts.service_errors else []


def _webhook(hook: Mapping[str, Any], mutating: bool, opts: _Options, path: str) -> list[FieldError]:
    """``validateValidatingWebhook`` / ``validateMutatingWebhook``."""
    out = _fully_qualified_name(hook.get("name") or "", f"{path}.name")
    for i, rule in enumerate(hook.get("rules") or []):
        out.extend(validate_rule_with_operations(mapping(rule), f"{path}.rules[{i}]"))
    for key, allowed in (("failurePolicy", FAILURE_POLICIES), ("matchPolicy", MATCH_POLICIES)):
        value = hook.get(key)
        if value is not None and value not in allowed:
            out.append(errors.not_supported(f"{path}.{key}", value, allowed))
    side_effects = _NO_SIDE_EFFECTS if opts.require_no_side_effects else _ALL_SIDE_EFFECTS
    effect = hook.get("sideEffects")
    if effect is None:
        out.append(errors.webhook_side_effects_required(f"{path}.sideEffects", side_effects))
    elif effect not in side_effects:
        out.append(errors.not_supported(f"{path}.sideEffects", effect, side_effects))
    timeout = hook.get("timeoutSeconds")
    if isinstance(timeout, int) and not 1 <= timeout <= 30:
        out.append(errors.webhook_timeout_out_of_range(f"{path}.timeoutSeconds", timeout))
    for key in ("namespaceSelector", "objectSelector"):
        if isinstance(hook.get(key), dict):
            out.extend(label_selector(hook[key], f"{path}.{key}", allow_invalid_values=opts.allow_invalid_label_values))
    reinvocation = hook.get("reinvocationPolicy")
    if mutating and reinvocation is not None and reinvocation not in _REINVOCATION_POLICIES:
        out.append(errors.not_supported(f"{path}.reinvocationPolicy", reinvocation, _REINVOCATION_POLICIES))
    out.extend(_client_config(mapping(hook.get("clientConfig")), opts, f"{path}.clientConfig"))
    if not opts.ignore_match_conditions:
        out.extend(match_conditions(hook.get("matchConditions") or [], False, f"{path}.matchConditions"))
    return out


def _hooks(obj: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    return [mapping(h) for h in (obj or {}).get("webhooks") or []]


def _update_options(hooks: list[dict[str, Any]], old_hooks: list[dict[str, Any]]) -> _Options:
    """What ``Validate*WebhookConfigurationUpdate`` derives from the stored webhooks."""
    names = [h.get("name") or "" for h in old_hooks]
    selectors = [h[k] for h in old_hooks for k in ("namespaceSelector", "objectSelector") if isinstance(h.get(k), dict)]
    same_conditions = len(hooks) == len(old_hooks) and all(
        (h.get("matchConditions") or []) == (o.get("matchConditions") or [])
        for h, o in zip(hooks, old_hooks, strict=True))
    return _Options(
        ignore_match_conditions=same_conditions,
        require_no_side_effects=all(h.get("sideEffects") in _NO_SIDE_EFFECTS for h in old_hooks),
        require_recognized_review_version=all(
            not h.get("admissionReviewVersions") or set(h["admissionReviewVersions"]) & set(ACCEPTED_REVIEW_VERSIONS)
            for h in old_hooks),
        require_unique_names=len(set(names)) == len(names),
        allow_invalid_label_values=any(label_selector(s, "") for s in selectors),
    )


def _configuration(obj: Mapping[str, Any], old: Mapping[str, Any] | None, mutating: bool, url_errors: UrlCheck,
                   service_errors: ServiceCheck) -> list[FieldError]:
    hooks = _hooks(obj)
    opts = _Options() if old is None else _update_options(hooks, _hooks(old))
    opts = replace(opts, url_errors=url_errors, service_errors=service_errors)
    out: list[FieldError] = []
    names: set[str] = set()
    for i, hook in enumerate(hooks):
        path = f"webhooks[{i}]"
        out.extend(_webhook(hook, mutating, opts, path))
        out.extend(_review_versions(hook.get("admissionReviewVersions") or [], opts.require_recognized_review_version,
                                    f"{path}.admissionReviewVersions"))
        name = hook.get("name") or ""
        if opts.require_unique_names and name:
            if name in names:
                out.append(errors.duplicate(f"{path}.name", name))
            names.add(name)
    return out


def validate_validating_webhook_configuration(obj: Mapping[str, Any], old: Mapping[str, Any] | None, *,
                                              url_errors: UrlCheck, service_errors: ServiceCheck) -> list[FieldError]:
    """``ValidateValidatingWebhookConfiguration`` / ``...Update``."""
    return _configuration(obj, old, False, url_errors, service_errors)


def validate_mutating_webhook_configuration(obj: Mapping[str, Any], old: Mapping[str, Any] | None, *,
                                            url_errors: UrlCheck, service_errors: ServiceCheck) -> list[FieldError]:
    """``ValidateMutatingWebhookConfiguration`` / ``...Update``."""
    return _configuration(obj, old, True, url_errors, service_errors)
