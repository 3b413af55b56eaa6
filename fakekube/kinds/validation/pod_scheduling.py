"""Where a pod may run: node selector, affinity, tolerations, topology spread constraints, scheduling and
readiness gates (``validateAffinity``, ``ValidateNodeSelector``, ``ValidateTolerations``,
``validateTopologySpreadConstraints``, ``validateSchedulingGates``, ``validateReadinessGates``).

Why: these are copied between charts and hand-edited, and their mistakes (an ``In`` without values, a
pod affinity term without ``topologyKey``, a toleration with a value and ``Exists``) are refused by
kube-apiserver with the texts below.  Label keys and values use ``common``'s shared helpers.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.kinds.validation.common import label_map_errors, label_name, label_selector, qualified_name
from fakekube.kinds.validation.pod_values import enum_error, missing, schema_reports
from fakekube.name_formats import dns1123_label_errors, dns1123_subdomain_errors, label_value_errors

# The node selector operators the decoder's enum accepts (it reports the others itself).
_NODE_OPERATORS = frozenset({"In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"})


def node_selector_requirement(req: dict[str, Any], path: str, *, allow_invalid_values: bool) -> list[FieldError]:
    """``ValidateNodeSelectorRequirement``: values as the operator wants them, a label key, label values."""
    out: list[FieldError] = []
    operator, values = req.get("operator", ""), req.get("values") or []
    if operator in ("In", "NotIn"):
        if not values:
            out.append(errors.required(f"{path}.values", msg.IN_NOT_IN_VALUES))
    elif operator in ("Exists", "DoesNotExist"):
        if values:
            out.append(errors.forbidden(f"{path}.values", msg.EXISTS_VALUES))
    elif operator in ("Gt", "Lt"):
        if len(values) != 1:
            out.append(errors.required(f"{path}.values", msg.GT_LT_VALUES))
    elif not schema_reports():
        out.append(errors.invalid(f"{path}.operator", operator, msg.NOT_AN_OPERATOR))
    if not missing(req, "key"):
        out.extend(label_name(req.get("key", ""), f"{path}.key"))
    if not allow_invalid_values:
        for i, value in enumerate(values):
            if isinstance(value, str):
                out.extend(errors.invalid(f"{path}.values[{i}]", value, m) for m in label_value_errors(value))
    return out


def _node_field_requirement(req: dict[str, Any], path: str) -> list[FieldError]:
    """``ValidateNodeFieldSelectorRequirement``: ``metadata.name`` ``In``/``NotIn`` exactly one node name."""
    out: list[FieldError] = []
    operator, values = req.get("operator", ""), req.get("values") or []
    if operator in ("In", "NotIn"):
        if len(values) != 1:
            out.append(errors.required(f"{path}.values", msg.FIELD_SELECTOR_VALUES))
    elif operator in _NODE_OPERATORS or not schema_reports():
        out.append(errors.invalid(f"{path}.operator", operator, msg.NOT_AN_OPERATOR))
    key = None if missing(req, "key") else req.get("key", "")
    if key != "metadata.name":
        if key is not None:
            out.append(errors.invalid(f"{path}.key", key, msg.NOT_A_FIELD_KEY))
    else:
        for i, value in enumerate(values):
            out.extend(errors.invalid(f"{path}.values[{i}]", value, m) for m in dns1123_subdomain_errors(str(value)))
    return out


def node_selector_term(term: Any, path: str, *, allow_invalid_values: bool) -> list[FieldError]:
    """``ValidateNodeSelectorTerm``."""
    if not isinstance(term, dict):
        return []
    out: list[FieldError] = []
    for j, req in enumerate(term.get("matchExpressions") or []):
        if isinstance(req, dict):
            out.extend(node_selector_requirement(req, f"{path}.matchExpressions[{j}]",
                                                 allow_invalid_values=allow_invalid_values))
    for j, req in enumerate(term.get("matchFields") or []):
        if isinstance(req, dict):
            out.extend(_node_field_requirement(req, f"{path}.matchFields[{j}]"))
    return out


def node_selector(selector: dict[str, Any], path: str) -> list[FieldError]:
    """``ValidateNodeSelector``: at least one term (an absent list the decoder reported)."""
    if missing(selector, "nodeSelectorTerms"):
        return []
    terms = selector.get("nodeSelectorTerms")
    if not terms:
        return [errors.required(f"{path}.nodeSelectorTerms", msg.NODE_SELECTOR_TERMS)]
    out: list[FieldError] = []
    for i, term in enumerate(terms or []):
        out.extend(node_selector_term(term, f"{path}.nodeSelectorTerms[{i}]", allow_invalid_values=False))
    return out


def _weight(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, int) and not 1 <= value <= 100:
        return [errors.invalid(path, value, msg.WEIGHT_RANGE)]
    return []


def _node_affinity(affinity: dict[str, Any], path: str) -> list[FieldError]:
    out: list[FieldError] = []
    required = affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, dict):
        out.extend(node_selector(required, f"{path}.requiredDuringSchedulingIgnoredDuringExecution"))
    for i, term in enumerate(affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
        if not isinstance(term, dict):
            continue
        here = f"{path}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
        if not missing(term, "weight"):
            out.extend(_weight(term.get("weight", 0), f"{here}.weight"))
        out.extend(node_selector_term(term.get("preference"), f"{here}.preference", allow_invalid_values=True))
    return out


def _label_keys(keys: Any, selector: Any, path: str) -> list[FieldError]:
    """``validateLabelKeys``: label names, and only beside a label selector."""
    if not keys:
        return []
    if not isinstance(selector, dict):
        return [errors.forbidden(path, msg.NEEDS_LABEL_SELECTOR)]
    out: list[FieldError] = []
    for i, key in enumerate(keys):
        out.extend(label_name(key, f"{path}[{i}]"))
    return out


def _match_label_keys(term: dict[str, Any], path: str) -> list[FieldError]:
    """``validateMatchLabelKeysAndMismatchLabelKeys`` (the selector already holds the keys merged on create)."""
    match, mismatch, selector = term.get("matchLabelKeys") or [], term.get("mismatchLabelKeys") or [], \
        term.get("labelSelector")
    out = _label_keys(match, selector, f"{path}.matchLabelKeys")
    out.extend(_label_keys(mismatch, selector, f"{path}.mismatchLabelKeys"))
    if isinstance(selector, dict):
        index = {key: i for i, key in enumerate(match)}
        keys = set(selector.get("matchLabels") or {})
        for expression in selector.get("matchExpressions") or []:
            key = expression.get("key") if isinstance(expression, dict) else None
            if key in index and key in keys:
                out.append(errors.invalid(f"{path}[{index[key]}]", key, msg.IN_SELECTOR_TOO))
            keys.add(key)
    mismatched = set(mismatch)
    out.extend(errors.invalid(f"{path}.matchLabelKeys[{i}]", key, msg.IN_MISMATCH_TOO)
               for i, key in enumerate(match) if key in mismatched)
    return out


def pod_affinity_term(term: Any, path: str) -> list[FieldError]:
    """``validatePodAffinityTerm``: selectors, namespace names, label keys and a topology key."""
    if not isinstance(term, dict):
        return []
    out = label_selector(term.get("labelSelector"), f"{path}.labelSelector")
    out.extend(label_selector(term.get("namespaceSelector"), f"{path}.namespaceSelector"))
    for name in term.get("namespaces") or []:
        out.extend(errors.invalid(f"{path}.namespace", name, m) for m in dns1123_label_errors(str(name)))
    out.extend(_match_label_keys(term, path))
    if not missing(term, "topologyKey"):
        key = term.get("topologyKey", "")
        if key == "":
            out.append(errors.required(f"{path}.topologyKey", msg.CAN_NOT_BE_EMPTY))
        out.extend(label_name(key, f"{path}.topologyKey"))
    return out


def _pod_affinity(affinity: dict[str, Any], path: str) -> list[FieldError]:
    """``validatePodAffinity`` / ``validatePodAntiAffinity``: required terms, then weighted terms."""
    out: list[FieldError] = []
    for i, term in enumerate(affinity.get("requiredDuringSchedulingIgnoredDuringExecution") or []):
        out.extend(pod_affinity_term(term, f"{path}.requiredDuringSchedulingIgnoredDuringExecution[{i}]"))
    for i, weighted in enumerate(affinity.get("preferredDuringSchedulingIgnoredDuringExecution") or []):
        if not isinstance(weighted, dict):
            continue
        here = f"{path}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
        if not missing(weighted, "weight"):
            out.extend(_weight(weighted.get("weight", 0), f"{here}.weight"))
        if not missing(weighted, "podAffinityTerm"):
            out.extend(pod_affinity_term(weighted.get("podAffinityTerm") or {}, f"{here}.podAffinityTerm"))
    return out


def validate_affinity(affinity: Any, path: str) -> list[FieldError]:
    """``validateAffinity``: node affinity, pod affinity, pod anti-affinity."""
    if not isinstance(affinity, dict):
        return []
    out: list[FieldError] = []
    if isinstance(affinity.get("nodeAffinity"), dict):
        out.extend(_node_affinity(affinity["nodeAffinity"], f"{path}.nodeAffinity"))
    for kind in ("podAffinity", "podAntiAffinity"):
        if isinstance(affinity.get(kind), dict):
            out.extend(_pod_affinity(affinity[kind], f"{path}.{kind}"))
    return out


def validate_tolerations(tolerations: Any, path: str) -> list[FieldError]:
    """``ValidateTolerations``: a label key; ``Exists`` for an empty key; ``NoExecute`` for seconds; a label
    value with ``Equal``, none with ``Exists`` (operator and effect values are the decoder's enums)."""
    out: list[FieldError] = []
    for i, toleration in enumerate(tolerations or []):
        if not isinstance(toleration, dict):
            continue
        here = f"{path}[{i}]"
        key, operator = toleration.get("key", ""), toleration.get("operator", "")
        value, effect = toleration.get("value", ""), toleration.get("effect", "")
        if key:
            out.extend(label_name(key, f"{here}.key"))
        if not key and operator != "Exists":
            out.append(errors.invalid(f"{here}.operator", operator, msg.EMPTY_KEY_OPERATOR))
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            out.append(errors.invalid(f"{here}.effect", effect, msg.TOLERATION_SECONDS_EFFECT))
        if operator in ("Equal", ""):
            problems = label_value_errors(str(value))
            if problems:
                out.append(errors.invalid(f"{here}.operator", value, ";".join(problems)))
        elif operator == "Exists" and value:
            out.append(errors.invalid(f"{here}.operator", value, msg.EXISTS_WITHOUT_VALUE))
        elif operator not in ("Gt", "Lt"):  # TaintTolerationComparisonOperators: not checked here
            out.extend(enum_error(operator, f"{here}.operator", ("Equal", "Exists")))
        if effect:
            out.extend(enum_error(effect, f"{here}.effect", ("NoSchedule", "PreferNoSchedule", "NoExecute")))
    return out


def validate_topology_spread(constraints: Any, path: str) -> list[FieldError]:
    """``validateTopologySpreadConstraints``: a positive skew, a topology key, one constraint per key and
    action, minDomains only with DoNotSchedule, label keys beside a selector, a valid selector."""
    out: list[FieldError] = []
    items = [c for c in constraints or [] if isinstance(c, dict)]
    for i, constraint in enumerate(items):
        here = f"{path}[{i}]"
        skew = None if missing(constraint, "maxSkew") else constraint.get("maxSkew", 0)
        if isinstance(skew, int) and skew <= 0:
            out.append(errors.invalid(f"{here}.maxSkew", skew, msg.NOT_POSITIVE))
        if not missing(constraint, "topologyKey") and not constraint.get("topologyKey"):
            out.append(errors.required(f"{here}.topologyKey", msg.CAN_NOT_BE_EMPTY))
        out.extend(enum_error(constraint.get("whenUnsatisfiable"), f"{here}.whenUnsatisfiable",
                              ("DoNotSchedule", "ScheduleAnyway")))
        pair = (constraint.get("topologyKey"), constraint.get("whenUnsatisfiable"))
        if any((other.get("topologyKey"), other.get("whenUnsatisfiable")) == pair for other in items[i + 1:]):
            out.append(errors.duplicate(f"{here}.{{topologyKey, whenUnsatisfiable}}", f"{{{pair[0]}, {pair[1]}}}"))
        minimum = constraint.get("minDomains")
        if isinstance(minimum, int):
            if minimum <= 0:
                out.append(errors.invalid(f"{here}.minDomains", minimum, msg.NOT_POSITIVE))
            if pair[1] != "DoNotSchedule":
                out.append(errors.invalid(f"{here}.minDomains", minimum, msg.MIN_DOMAINS.format(pair[1])))
        for policy in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            out.extend(enum_error(constraint.get(policy), f"{here}.{policy}", ("Honor", "Ignore"), optional=True))
        keys = constraint.get("matchLabelKeys") or []
        if keys and not isinstance(constraint.get("labelSelector"), dict):
            out.append(errors.forbidden(f"{here}.matchLabelKeys", msg.NEEDS_LABEL_SELECTOR))
        for j, key in enumerate(keys):
            out.extend(label_name(key, f"{here}.matchLabelKeys[{j}]"))
        out.extend(label_selector(constraint.get("labelSelector"), f"{here}.labelSelector"))
    return out


def scheduling_gates(gates: Any, path: str) -> list[FieldError]:
    """``validateSchedulingGates``: qualified names, no duplicates."""
    out: list[FieldError] = []
    seen: set[str] = set()
    for i, gate in enumerate(gates or []):
        if not isinstance(gate, dict) or missing(gate, "name"):
            continue
        name = str(gate.get("name", ""))
        out.extend(qualified_name(name, f"{path}[{i}]"))
        if name in seen:
            out.append(errors.duplicate(f"{path}[{i}]", name))
        seen.add(name)
    return out


def readiness_gates(gates: Any, path: str) -> list[FieldError]:
    """``validateReadinessGates``: each condition type a qualified name."""
    out: list[FieldError] = []
    for i, gate in enumerate(gates or []):
        if isinstance(gate, dict) and not missing(gate, "conditionType"):
            out.extend(qualified_name(str(gate.get("conditionType", "")), f"{path}[{i}].conditionType"))
    return out


def node_selector_map(selector: Any, path: str) -> list[FieldError]:
    """``spec.nodeSelector`` is a label map (``ValidateLabels``)."""
    return label_map_errors(selector, path)
