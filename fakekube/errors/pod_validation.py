"""Error texts of pod validation (worded as kube-apiserver words them, ``pkg/apis/core/validation``).

The texts clients compare: each constant is the detail of one ``field.Error`` upstream builds.
"""

from __future__ import annotations

from fakekube.errors.fields import (
    SELECTOR_OPERATOR_INVALID,
    SELECTOR_VALUES_FORBIDDEN,
    SELECTOR_VALUES_REQUIRED,
    FieldError,
)

# Containers
MAY_NOT_BE_SET_FOR_INIT = "may not be set for init containers without restartPolicy=Always"
MAY_NOT_BE_SET_FOR_NON_INIT = "may not be set for non-init containers"
NOT_FOR_EPHEMERAL = "cannot be set for an Ephemeral Container"
EPHEMERAL_ON_CREATE = "cannot be set on create"
EPHEMERAL_IN_TEMPLATE = "ephemeral containers not allowed in pod template"
NO_SURROUNDING_WHITESPACE = "must not have leading or trailing whitespace"
MUST_BE_UNIQUE = "must be unique"
ONE_HANDLER = "may not specify more than 1 handler type"
NEED_HANDLER = "must specify a handler type"
MUST_BE_1 = "must be 1"
NOT_FOR_READINESS = "must not be set for readinessProbes"
GREATER_THAN_0 = "must be greater than 0"
SLEEP_RANGE = "must be non-negative and less than terminationGracePeriodSeconds ({})"
RESIZE_NEVER = "must be 'NotRequired' when `restartPolicy` is 'Never'"
# Ports
HOST_NETWORK_PORT = "must match `containerPort` when `hostNetwork` is true"
# Env
ENV_ONE_OF = "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
ENV_WITH_VALUE = "may not be specified when `value` is not empty"
ONE_FIELD_AT_A_TIME = "may not have more than one field specified at a time"
ENV_FROM_ONE_OF = "must specify one of: `configMapRef` or `secretRef`"
RELAXED_ENV_NAME = "a valid environment variable name must consist only of printable ASCII characters other than '='"
NO_SUBSCRIPT = "does not support subscript"
CPU_DIVISOR = "only divisor's values 1m and 1 are supported with the cpu resource"
_BYTES_DIVISORS = "only divisor's values 1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are supported with the"
MEMORY_DIVISOR = f"{_BYTES_DIVISORS} memory resource"
STORAGE_DIVISOR = f"{_BYTES_DIVISORS} local ephemeral storage resource"
HUGEPAGES_DIVISOR = f"{_BYTES_DIVISORS} hugepages resource"
FIELD_AND_RESOURCE_REF = "fieldRef and resourceFieldRef can not be specified simultaneously"
FIELD_OR_RESOURCE_REF = "one of fieldRef and resourceFieldRef is required"
# Resources
NOT_AN_INTEGER = "must be an integer"
STANDARD_OR_QUALIFIED = "must be a standard resource type or fully qualified"
STANDARD_FOR_CONTAINERS = "must be a standard resource for containers"
EXTENDED_NAME = "doesn't follow extended resource name standard"
REQUEST_EQUALS_LIMIT = "must be equal to {} limit of {}"
REQUEST_AT_MOST_LIMIT = "must be less than or equal to {} limit of {}"
LIMIT_REQUIRED = "Limit must be set for non overcommitable resources"
HUGEPAGES_NEED_CPU_OR_MEMORY = "HugePages require cpu or memory"
HUGEPAGES_MULTIPLE = "{} is not positive integer multiple of {}"
CLAIM_NOT_FOUND = "must be one of the names in pod.spec.resourceClaims"
POD_CLAIMS_FORBIDDEN = "claims cannot be set for Resources at pod-level"
POD_REQUESTS_AGGREGATE = "must be greater than or equal to aggregate container requests of {}"
POD_LIMITS = "must be less than or equal to pod limits of {}"
# Volumes
ONE_VOLUME_TYPE = "may not specify more than 1 volume type"
ONE_VOLUME_TYPE_PER_SOURCE = "may not specify more than 1 volume type per source"
NEED_VOLUME_TYPE = "must specify a volume type"
SIZE_LIMIT = "SizeLimit field must be a valid resource quantity"
FILE_MODE = "must be a number between 0 and 0777 (octal), both inclusive"
RELATIVE_PATH = "must be a relative path"
NO_BACKSTEPS = "must not contain '..'"
NO_LEADING_BACKSTEPS = "must not start with '..'"
ABSOLUTE_PATH = "must be an absolute path"
DUPLICATE_PATHS = "conflicting duplicate paths"
TOKEN_TOO_SHORT = "may not specify a duration less than 10 minutes"
TOKEN_TOO_LONG = "may not specify a duration larger than 2^32 seconds"
PVC_OF_EPHEMERAL = "must not reference a PVC that gets created for an ephemeral volume"
BIDIRECTIONAL = "Bidirectional mount propagation is available only to privileged containers"
RRO_READ_ONLY = "may only be specified when readOnly is true"
RRO_PROPAGATION = "may only be specified when mountPropagation is None or not specified"
SUBPATH_EXCLUSIVE = "subPathExpr and subPath are mutually exclusive"
NOT_IN_IMAGE_VOLUME = "not allowed in image volume sources"
NOT_IN_DEVICES = "must not already exist in volumeDevices"
NOT_A_DEVICE_PATH = "must not already exist as a path in volumeDevices"
NOT_IN_MOUNTS = "must not already exist in volumeMounts"
NOT_A_MOUNT_PATH = "must not already exist as a path in volumeMounts"
BLOCK_SOURCE = "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"
DEVICE_BACKSTEPS = "can not contain backsteps ('..')"
# Scheduling
NODE_SELECTOR_TERMS = "must have at least one node selector term"
IN_NOT_IN_VALUES = SELECTOR_VALUES_REQUIRED
EXISTS_VALUES = SELECTOR_VALUES_FORBIDDEN
GT_LT_VALUES = "must be specified single value when `operator` is 'Lt' or 'Gt'"
FIELD_SELECTOR_VALUES = "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"
NOT_AN_OPERATOR = SELECTOR_OPERATOR_INVALID
NOT_A_FIELD_KEY = "not a valid field selector key"
WEIGHT_RANGE = "must be in the range 1-100"
CAN_NOT_BE_EMPTY = "can not be empty"
NEEDS_LABEL_SELECTOR = "must not be specified when labelSelector is not set"
IN_SELECTOR_TOO = "exists in both matchLabelKeys and labelSelector"
IN_MISMATCH_TOO = "exists in both matchLabelKeys and mismatchLabelKeys"
EMPTY_KEY_OPERATOR = "operator must be Exists when `key` is empty, which means \"match all values and all keys\""
TOLERATION_SECONDS_EFFECT = "effect must be 'NoExecute' when `tolerationSeconds` is set"
EXISTS_WITHOUT_VALUE = "value must be empty when `operator` is 'Exists'"
NOT_POSITIVE = "must be greater than zero"
MIN_DOMAINS = "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {}"
NODE_NAME_WITH_GATES = "cannot be set until all schedulingGates have been cleared"
# DNS
DNS_CONFIG_FOR_NONE = "must provide `dnsConfig` when `dnsPolicy` is None"
NAMESERVER_FOR_NONE = "must provide at least one DNS nameserver when `dnsPolicy` is None"
TOO_MANY_NAMESERVERS = "must not have more than 3 nameservers"
TOO_MANY_SEARCHES = "must not have more than 32 search paths"
SEARCHES_TOO_LONG = "must not have more than 2048 characters (including spaces) in the search list"
OPTION_NAME = "must not be empty"
# Security
SHARE_PID = "ShareProcessNamespace and HostPID cannot both be enabled"
SYSCTL_NAME = ("must have at most 253 characters and match regex "
               "^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$")
SYSCTL_HOST_NETWORK = "may not be specified when 'hostNetwork' is true"
SYSCTL_HOST_IPC = "may not be specified when 'hostIPC' is true"
SECCOMP_TYPE = "type is required when seccompProfile is set"
SECCOMP_LOCALHOST = "must be set when seccomp type is Localhost"
SECCOMP_ONLY_LOCALHOST = "can only be set when seccomp type is Localhost"
APPARMOR_TYPE = "type is required when appArmorProfile is set"
APPARMOR_LOCALHOST = "must be set when AppArmor type is Localhost"
APPARMOR_ONLY_LOCALHOST = "can only be set when AppArmor type is Localhost"
APPARMOR_PADDED = "must not be padded with whitespace"
UNMASKED_HOST_USERS = "`hostUsers` must be false to use `Unmasked`"
APE_PRIVILEGED = "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"
APE_SYS_ADMIN = "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"
HOST_USERS_FALSE = "when `pod.Spec.HostUsers` is false"
WINDOWS_OPTIONS_ON_LINUX = "windows options cannot be set for a linux pod"
NOT_FOR_WINDOWS = "cannot be set for a windows pod"
OS_NAME = "cannot be empty"
# Pod only
MIRROR_NEEDS_NODE = "must set spec.nodeName if mirror pod annotation is set"
DELETION_COST = "must be a 32bit integer"
SECCOMP_PROFILE = "must be a valid seccomp profile"
CONTAINER_NOT_FOUND = "container not found"
SECCOMP_TYPE_MISMATCH = "seccomp type in annotation and field must match"
SECCOMP_PROFILE_MISMATCH = "seccomp profile in annotation and field must match"
APPARMOR_TYPE_MISMATCH = "apparmor type in annotation and field must match"
APPARMOR_PROFILE_MISMATCH = "apparmor profile in annotation and field must match"
# Pod updates
ADD_OR_REMOVE_CONTAINERS = "pod updates may not add or remove containers"
DEADLINE_NOT_RAISED = "must be less than or equal to previous value"
DEADLINE_NOT_UNSET = "must not update from a positive integer to nil value"
TOLERATION_CHANGED = "existing toleration can not be modified except its tolerationSeconds"
NEW_SCHEDULING_GATE = "only deletion is allowed, but found new scheduling gate '{}'"
NODE_SELECTOR_ONLY_ADDITIONS = "only additions to spec.nodeSelector are allowed (no mutations or deletions)"
MIRROR_ANNOTATION_CHANGED = "may not remove or update mirror pod annotation"
MIRROR_ANNOTATION_ADDED = "may not add mirror pod annotation"
APPARMOR_ANNOTATION_CHANGED = "may not remove or update AppArmor annotations"
APPARMOR_ANNOTATION_ADDED = "may not add AppArmor annotations"
UPDATABLE_POD_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)
POD_UPDATE_FORBIDDEN = "pod updates may not change fields other than " + ",".join(UPDATABLE_POD_FIELDS)


def inclusive_range_error(low: int, high: int) -> str:
    """``validation.InclusiveRangeError``."""
    return f"must be between {low} and {high}, inclusive"


def field_not_found(path: str, value: object, detail: str = "") -> FieldError:
    """``field.NotFound``: ``Not found: "x"`` (upstream sometimes adds a detail)."""
    return FieldError("FieldValueNotFound", path, value, detail)


# The constants are read through this module (``pod_validation.MUST_BE_1``); only the constructors are
# re-exported by ``fakekube.errors`` (Go-rendered values use ``crd.invalid_go_value`` and
# ``core_validation.go_string_slice``).
__all__ = ["field_not_found", "inclusive_range_error"]
