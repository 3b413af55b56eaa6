"""Error texts of workload validation (``pkg/apis/apps``, ``batch``, ``autoscaling``, ``policy`` validation and
the ReplicationController's spec rules), worded as kube-apiserver words them.

Several of these errors show a Go struct as their bad value (a ``*metav1.LabelSelector``, an
``intstr.IntOrString``): ``field.Error`` dereferences the pointer and prints the struct with ``%#v``, so the
message reads ``Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, ...}``.  The
``go_*`` renderers below produce that text and ``invalid_shown`` builds the error around it.
"""

from __future__ import annotations

from typing import Any

from fakekube.errors.fields import NO_VALUE, FieldError
from fakekube.go_text import go_quote

IMMUTABLE = "field is immutable"
NONNEGATIVE = "must be greater than or equal to 0"
SELECTOR_MISMATCH = "`selector` does not match template `labels`"
INVALID_SELECTOR = "invalid label selector"
PERCENT = (
    "a valid percent string must be a numeric string followed by an ending '%' "
    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
)
NOT_OVER_100 = "must not be greater than 100%"
STATEFULSET_FORBIDDEN_UPDATE = (
    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
    "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
)
CRON_TZ_WITH_FIELD = "cannot use both timeZone field and TZ or CRON_TZ in schedule"
CRON_TZ_FORBIDDEN = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
PDB_BOTH_SET = "minAvailable and maxUnavailable cannot be both set"


def invalid_shown(path: str, shown: str, detail: str) -> FieldError:
    """``field.Invalid`` whose value Go prints as ``shown`` (a struct's ``%#v``), not as a JSON value."""
    return FieldError("FieldValueInvalid", path, NO_VALUE, f"{shown}: {detail}" if detail else shown)


def not_supported_shown(path: str, shown: str, supported: list[str]) -> FieldError:
    """``field.NotSupported`` whose value Go prints as ``shown``."""
    quoted = ", ".join(go_quote(s) for s in supported)
    return FieldError("FieldValueNotSupported", path, NO_VALUE, f"{shown}: supported values: {quoted}")


def go_string_map(value: Any) -> str:
    """A ``map[string]string`` as ``%#v`` prints it: keys sorted, nil as ``map[string]string(nil)``."""
    if not isinstance(value, dict):
        return "map[string]string(nil)"
    inner = ", ".join(f"{go_quote(str(k))}:{go_quote(str(value[k]))}" for k in sorted(value))
    return "map[string]string{" + inner + "}"


def go_strings(value: Any) -> str:
    if not isinstance(value, list):
        return "[]string(nil)"
    return "[]string{" + ", ".join(go_quote(str(v)) for v in value) + "}"


def go_label_selector(selector: Any) -> str:
    """A ``metav1.LabelSelector`` as ``%#v`` prints it (the bad value of selector errors)."""
    if not isinstance(selector, dict):
        return "null"
    expressions = selector.get("matchExpressions")
    if isinstance(expressions, list):
        items = ", ".join(
            "v1.LabelSelectorRequirement{"
            f"Key:{go_quote(str(e.get('key', '')))}, Operator:{go_quote(str(e.get('operator', '')))}, "
            f"Values:{go_strings(e.get('values'))}}}"
            for e in expressions
            if isinstance(e, dict)
        )
        shown = "[]v1.LabelSelectorRequirement{" + items + "}"
    else:
        shown = "[]v1.LabelSelectorRequirement(nil)"
    return f"v1.LabelSelector{{MatchLabels:{go_string_map(selector.get('matchLabels'))}, MatchExpressions:{shown}}}"


def go_int_or_string(value: Any) -> str:
    """An ``intstr.IntOrString`` as ``%#v`` prints it."""
    if isinstance(value, str):
        return f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}"
    number = value if isinstance(value, int) else 0
    return f'intstr.IntOrString{{Type:0, IntVal:{number}, StrVal:""}}'


__all__ = [
    "CRON_TZ_FORBIDDEN",
    "CRON_TZ_WITH_FIELD",
    "IMMUTABLE",
    "INVALID_SELECTOR",
    "NONNEGATIVE",
    "NOT_OVER_100",
    "PDB_BOTH_SET",
    "PERCENT",
    "SELECTOR_MISMATCH",
    "STATEFULSET_FORBIDDEN_UPDATE",
    "go_int_or_string",
    "go_label_selector",
    "go_string_map",
    "go_strings",
    "invalid_shown",
    "not_supported_shown",
]
