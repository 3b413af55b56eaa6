"""Error texts of workload validation (``pkg/apis/apps``, ``batch``, ``autoscaling``, ``policy`` validation and
the ReplicationController's spec rules), worded as kube-apiserver words them.

Several of these errors show a Go struct as their bad value (a ``*metav1.LabelSelector``, an
``intstr.IntOrString``): v1.33 prints it with ``%#v`` (``v1.LabelSelector{MatchLabels:map[string]string{...``),
v1.34 on as JSON (``{"matchLabels":{"app":"web"}}``).  The ``go_*`` renderers below describe such a value in
both forms (``go_text.GoShown``) and ``invalid_shown`` builds the error around it.
"""

from __future__ import annotations

from typing import Any

from fakekube.errors.fields import FIELD_IMMUTABLE, NOT_NEGATIVE, FieldError
from fakekube.go_text import GoShown, go_int_or_string, go_quote, go_slice_of, go_string_map, go_string_slice

IMMUTABLE = FIELD_IMMUTABLE
NONNEGATIVE = NOT_NEGATIVE
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
POD_MANAGEMENT_POLICIES = "must be 'OrderedReady' or 'Parallel'"
CRON_TZ_WITH_FIELD = "cannot use both timeZone field and TZ or CRON_TZ in schedule"
CRON_TZ_FORBIDDEN = "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
PDB_BOTH_SET = "minAvailable and maxUnavailable cannot be both set"
# apps
UNAVAILABLE_ZERO_WITH_SURGE_ZERO = "may not be 0 when `maxSurge` is 0"
RECREATE_WITH_ROLLING_UPDATE = "may not be specified when strategy `type` is 'Recreate'"
DEFAULTED_NEVER_NIL = "this should be defaulted and never be nil"
PROGRESS_DEADLINE_OVER_MIN_READY = "must be greater than minReadySeconds"
NOT_ZERO = "cannot be 0"
ROLLING_UPDATE_ONLY = "only allowed for updateStrategy 'RollingUpdate'"
SURGE_WITH_UNAVAILABLE = "may not be set when maxUnavailable is non-zero"
DAEMON_SET_UNAVAILABLE_ZERO_WHEN_SURGE_ZERO = "cannot be 0 when maxSurge is 0"
# autoscaling
METRIC_TARGET_TYPE_REQUIRED = "must specify a metric target type"
METRIC_NAME_REQUIRED = "must specify a metric name"
RESOURCE_NAME_REQUIRED = "must specify a resource name"
CONTAINER_REQUIRED = "must specify a container"
OBJECT_TARGET_REQUIRED = "must set either a target value or averageValue"
EXTERNAL_TARGET_REQUIRED = "must set either a target value for metric or a per-pod target"
EXTERNAL_TARGET_BOTH = "may not set both a target value for metric and a per-pod target"
PODS_AVERAGE_VALUE_REQUIRED = "must specify a positive target averageValue"
RESOURCE_TARGET_REQUIRED = "must set either a target raw value or a target utilization"
RESOURCE_TARGET_BOTH = "may not set both a target raw value and a target utilization"
METRIC_SOURCE_TYPE_REQUIRED = "must specify a metric source type"
METRIC_SOURCE_REQUIRED = "must populate information for the given metric source"
METRIC_SOURCE_ONLY = "must populate the given metric source only"
NOT_NEGATIVE_ZERO = "must be greater than or equal to zero"
POLICY_REQUIRED = "must specify at least one Policy"
MAX_BELOW_MIN_REPLICAS = "must be greater than or equal to `minReplicas`"
# batch
SELECTOR_NOT_AUTO_GENERATED = "`selector` not auto-generated"
EXIT_CODES_CONTAINER_UNKNOWN = "must be one of the container or initContainer names in the pod template"
EXIT_CODES_VALUES_REQUIRED = "at least one value is required"
EXIT_CODE_ZERO_FOR_IN = "must not be 0 for the In operator"
MUST_BE_ORDERED = "must be ordered"
FAIL_INDEX_NEEDS_BACKOFF_LIMIT_PER_INDEX = "requires the backoffLimitPerIndex to be set"
RULE_BOTH_MATCHERS = "specifying both OnExitCodes and OnPodConditions is not supported"
RULE_NO_MATCHER = "specifying one of OnExitCodes and OnPodConditions is required"
WHEN_INDEXED = "when completion mode is Indexed"
MAX_FAILED_INDEXES_OVER_COMPLETIONS = "must be less than or equal to completions"
WHEN_MAX_FAILED_INDEXES = "when maxFailedIndexes is specified"
REQUIRES_INDEXED = "requires indexed completion mode"
JOB_RESTART_POLICY_VALUES = 'valid values: "OnFailure", "Never"'
JOB_RESTART_NEVER_WITH_FAILURE_POLICY = 'only "Never" is supported when podFailurePolicy is specified'
COMPLETIONS_WITH_PARALLELISM = "can only be modified in tandem with spec.parallelism"
TIME_ZONE_EMPTY = "timeZone must be nil or non-empty string"
TIME_ZONE_LOCAL = "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
SELECTOR_AUTO_GENERATED = "`selector` will be auto-generated"
CRON_JOB_NAME_TOO_LONG = "must be no more than 52 characters"
# robfig/cron's parse errors (a CronJob's schedule)
CRON_EMPTY_SPEC = "empty spec string"


def empty_selector(kind_word: str) -> str:
    return f"empty selector is invalid for {kind_word}"


def active_deadline_not_supported(kind: str) -> str:
    return f"activeDeadlineSeconds in {kind} is not Supported"


def at_most(limit: int) -> str:
    return f"must be less than or equal to {limit}"


def at_least(limit: int) -> str:
    return f"must be greater than or equal to {limit}"


def must_be(expected: str) -> str:
    return f"must be '{expected}'"


def valid_values(shown: str) -> str:
    """``valid values: [...]`` (the values as Go's ``%q`` of a slice prints them)."""
    return "valid values: " + shown


def indexed_parallelism_limit(limit: int) -> str:
    return f"must be less than or equal to {limit} when completion mode is Indexed"


def indexed_hostname_invalid(hostname: str) -> str:
    return f"will not able to create pod with invalid DNS label: {hostname}"


def unknown_time_zone(name: object) -> str:
    return f"unknown time zone {name}"


def cron_int_syntax(text: str) -> str:
    return f"failed to parse int from {text}: strconv.Atoi: parsing {go_quote(text)}: invalid syntax"


def cron_int_range(text: str) -> str:
    return f"failed to parse int from {text}: strconv.Atoi: parsing {go_quote(text)}: value out of range"


def cron_negative(number: int, text: str) -> str:
    return f"negative number ({number}) not allowed: {text}"


def cron_too_many_hyphens(expr: str) -> str:
    return f"too many hyphens: {expr}"


def cron_too_many_slashes(expr: str) -> str:
    return f"too many slashes: {expr}"


def cron_below_minimum(start: int, low: int, expr: str) -> str:
    return f"beginning of range ({start}) below minimum ({low}): {expr}"


def cron_above_maximum(end: int, high: int, expr: str) -> str:
    return f"end of range ({end}) above maximum ({high}): {expr}"


def cron_start_after_end(start: int, end: int, expr: str) -> str:
    return f"beginning of range ({start}) beyond end of range ({end}): {expr}"


def cron_zero_step(expr: str) -> str:
    return f"step of range should be a positive number: {expr}"


def cron_bad_duration(spec: str, duration: str) -> str:
    return f"failed to parse duration {spec}: time: invalid duration {go_quote(duration)}"


def cron_unknown_descriptor(spec: str) -> str:
    return f"unrecognized descriptor: {spec}"


def cron_bad_location(location: str, problem: str) -> str:
    return f"provided bad location {location}: {problem}"


def cron_field_count(expected: int, fields: list[str]) -> str:
    return f"expected exactly {expected} fields, found {len(fields)}: [{' '.join(fields)}]"


def invalid_shown(path: str, shown: GoShown, detail: str) -> FieldError:
    """``field.Invalid`` of a typed Go value (a struct, a map, an ``IntOrString``)."""
    return FieldError("FieldValueInvalid", path, shown, detail)


def not_supported_shown(path: str, shown: GoShown, supported: list[str]) -> FieldError:
    """``field.NotSupported`` of a typed Go value."""
    quoted = ", ".join(go_quote(s) for s in supported)
    return FieldError("FieldValueNotSupported", path, shown, f"supported values: {quoted}")


def go_strings(value: Any) -> GoShown:
    """A ``[]string`` (anything but a list is a nil slice)."""
    return go_string_slice(value if isinstance(value, list) else None)


def go_label_selector(selector: Any) -> GoShown:
    """A ``metav1.LabelSelector`` (the bad value of selector errors; its JSON leaves empty fields out)."""
    if not isinstance(selector, dict):
        return GoShown("null", None)
    labels = go_string_map(selector.get("matchLabels"))
    expressions = selector.get("matchExpressions")
    requirements = [_requirement(e) for e in expressions if isinstance(e, dict)] \
        if isinstance(expressions, list) else None
    listed = go_slice_of("v1.LabelSelectorRequirement", requirements)
    data: dict[str, Any] = {}
    if labels.json:
        data["matchLabels"] = labels.json
    if listed.json:
        data["matchExpressions"] = listed.json
    return GoShown(f"v1.LabelSelector{{MatchLabels:{labels.syntax}, MatchExpressions:{listed.syntax}}}", data)


def _requirement(expression: dict[str, Any]) -> GoShown:
    values = go_strings(expression.get("values"))
    key, operator = str(expression.get("key", "")), str(expression.get("operator", ""))
    data: dict[str, Any] = {"key": key, "operator": operator}
    if values.json:
        data["values"] = values.json
    return GoShown(f"v1.LabelSelectorRequirement{{Key:{go_quote(key)}, Operator:{go_quote(operator)}, "
                   f"Values:{values.syntax}}}", data)


__all__ = [
    "COMPLETIONS_WITH_PARALLELISM",
    "CONTAINER_REQUIRED",
    "CRON_EMPTY_SPEC",
    "CRON_JOB_NAME_TOO_LONG",
    "CRON_TZ_FORBIDDEN",
    "CRON_TZ_WITH_FIELD",
    "DAEMON_SET_UNAVAILABLE_ZERO_WHEN_SURGE_ZERO",
    "DEFAULTED_NEVER_NIL",
    "EXIT_CODES_CONTAINER_UNKNOWN",
    "EXIT_CODES_VALUES_REQUIRED",
    "EXIT_CODE_ZERO_FOR_IN",
    "EXTERNAL_TARGET_BOTH",
    "EXTERNAL_TARGET_REQUIRED",
    "FAIL_INDEX_NEEDS_BACKOFF_LIMIT_PER_INDEX",
    "IMMUTABLE",
    "INVALID_SELECTOR",
    "JOB_RESTART_NEVER_WITH_FAILURE_POLICY",
    "JOB_RESTART_POLICY_VALUES",
    "MAX_BELOW_MIN_REPLICAS",
    "MAX_FAILED_INDEXES_OVER_COMPLETIONS",
    "METRIC_NAME_REQUIRED",
    "METRIC_SOURCE_ONLY",
    "METRIC_SOURCE_REQUIRED",
    "METRIC_SOURCE_TYPE_REQUIRED",
    "METRIC_TARGET_TYPE_REQUIRED",
    "MUST_BE_ORDERED",
    "NONNEGATIVE",
    "NOT_NEGATIVE_ZERO",
    "NOT_OVER_100",
    "NOT_ZERO",
    "OBJECT_TARGET_REQUIRED",
    "PDB_BOTH_SET",
    "PERCENT",
    "PODS_AVERAGE_VALUE_REQUIRED",
    "POD_MANAGEMENT_POLICIES",
    "POLICY_REQUIRED",
    "PROGRESS_DEADLINE_OVER_MIN_READY",
    "RECREATE_WITH_ROLLING_UPDATE",
    "REQUIRES_INDEXED",
    "RESOURCE_NAME_REQUIRED",
    "RESOURCE_TARGET_BOTH",
    "RESOURCE_TARGET_REQUIRED",
    "ROLLING_UPDATE_ONLY",
    "RULE_BOTH_MATCHERS",
    "RULE_NO_MATCHER",
    "SELECTOR_AUTO_GENERATED",
    "SELECTOR_MISMATCH",
    "SELECTOR_NOT_AUTO_GENERATED",
    "STATEFULSET_FORBIDDEN_UPDATE",
    "SURGE_WITH_UNAVAILABLE",
    "TIME_ZONE_EMPTY",
    "TIME_ZONE_LOCAL",
    "UNAVAILABLE_ZERO_WITH_SURGE_ZERO",
    "WHEN_INDEXED",
    "WHEN_MAX_FAILED_INDEXES",
    "active_deadline_not_supported",
    "at_least",
    "at_most",
    "cron_above_maximum",
    "cron_bad_duration",
    "cron_bad_location",
    "cron_below_minimum",
    "cron_field_count",
    "cron_int_range",
    "cron_int_syntax",
    "cron_negative",
    "cron_start_after_end",
    "cron_too_many_hyphens",
    "cron_too_many_slashes",
    "cron_unknown_descriptor",
    "cron_zero_step",
    "empty_selector",
    "go_int_or_string",
    "go_label_selector",
    "go_string_map",
    "go_strings",
    "indexed_hostname_invalid",
    "indexed_parallelism_limit",
    "invalid_shown",
    "must_be",
    "not_supported_shown",
    "unknown_time_zone",
    "valid_values",
]
