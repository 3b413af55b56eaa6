"""Texts of the warnings kube-apiserver sends on writes of Pods and of objects holding a pod template.

They are the ``Warning`` headers of ``pkg/api/pod/warnings.go`` (``GetWarningsForPod`` and
``GetWarningsForPodTemplate``), ``pkg/api/node`` (deprecated node labels), ``pkg/api/persistentvolumeclaim``
(fractional storage), ``pkg/api/job`` and the workload strategies' ``WarningsOnCreate`` / ``WarningsOnUpdate``.
Clients print them verbatim (``Warning: ...`` from kubectl), so every text is upstream's, each a function of
the field path it names (Go's ``field.Path`` text) and the values it shows (``%q`` as ``go_quote``).
"""

from __future__ import annotations

from fakekube.go_text import go_quote

# ``nodeapi.deprecatedNodeLabels``: node label -> what to use instead
DEPRECATED_NODE_LABELS: dict[str, str] = {
    "beta.kubernetes.io/arch": 'deprecated since v1.14; use "kubernetes.io/arch" instead',
    "beta.kubernetes.io/os": 'deprecated since v1.14; use "kubernetes.io/os" instead',
    "failure-domain.beta.kubernetes.io/region": 'deprecated since v1.17; use "topology.kubernetes.io/region" instead',
    "failure-domain.beta.kubernetes.io/zone": 'deprecated since v1.17; use "topology.kubernetes.io/zone" instead',
    "beta.kubernetes.io/instance-type": 'deprecated since v1.17; use "node.kubernetes.io/instance-type" instead',
    "app.kubernetes.io/created-by": "deprecated since v1.9",
    "scheduler.alpha.kubernetes.io/preferAvoidPods": "deprecated since v1.22; use Taints and Tolerations instead",
    "node-role.kubernetes.io/master": 'use "node-role.kubernetes.io/control-plane" instead',
}

# annotations that no longer do anything, in upstream's order, with what replaced them
DEPRECATED_POD_ANNOTATIONS: tuple[tuple[str, str], ...] = (
    ("scheduler.alpha.kubernetes.io/critical-pod",
     'non-functional in v1.16+; use the "priorityClassName" field instead'),
    ("security.alpha.kubernetes.io/sysctls", 'non-functional in v1.11+; use the "sysctls" field instead'),
    ("security.alpha.kubernetes.io/unsafe-sysctls", 'non-functional in v1.11+; use the "sysctls" field instead'),
)

# deprecated volume sources (JSON field name -> text), in the order upstream checks them; ``gitRepo`` is the
# text of v1.33+ (the GitRepoVolumeDriver gate off by default)
DEPRECATED_VOLUMES: tuple[tuple[str, str], ...] = (
    ("photonPersistentDisk", "deprecated in v1.11, non-functional in v1.16+"),
    ("gitRepo", "deprecated in v1.11, and disabled by default in v1.33+"),
    ("scaleIO", "deprecated in v1.16, non-functional in v1.22+"),
    ("flocker", "deprecated in v1.22, non-functional in v1.25+"),
    ("storageos", "deprecated in v1.22, non-functional in v1.25+"),
    ("quobyte", "deprecated in v1.22, non-functional in v1.25+"),
    ("glusterfs", "deprecated in v1.25, non-functional in v1.26+"),
    ("ephemeral", ""),  # not deprecated: its claim template's storage is checked there
    ("cephfs", "deprecated in v1.28, non-functional in v1.31+"),
    ("rbd", "deprecated in v1.28, non-functional in v1.31+"),
)
# upstream names a volume source by its Go field in the warning's path where that differs from the JSON name
VOLUME_PATH_NAMES = {"storageos": "storageOS"}

SECCOMP_ANNOTATION = 'non-functional in v1.27+; use the "seccompProfile" field instead'
APPARMOR_ANNOTATION = 'deprecated since v1.30; use the "appArmorProfile" field instead'
NULL_LABEL_SELECTOR = "a null labelSelector results in matching no pod"
NEGATIVE_GRACE_PERIOD = "must be >= 0; negative values are invalid and will be treated as 1"
NEGATIVE_HISTORY_LIMIT = (
    "spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended"
)
BIG_INDEXED_JOB = (
    "In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes "
    "might not be able to track completedIndexes when a big number of indexes fail"
)


def warning_at(path: str, message: str) -> str:
    """The common shape: ``<field path>: <message>``."""
    return f"{path}: {message}"


def deprecated_key(path: str, key: str, message: str) -> str:
    """A deprecated node label used as a key (``%s: %s is %s``)."""
    return f"{path}: {key} is {message}"


def invalid_label_value(path: str, value: str, message: str) -> str:
    return f"{path}: {value} is invalid, {message}"


def fractional_bytes(path: str, shown: str) -> str:
    return f"{path}: fractional byte value {go_quote(shown)} is invalid, must be an integer"


def duplicate_ip(path: str, ip: str) -> str:
    return f"{path}: duplicate ip {go_quote(ip)}"


def duplicate_pull_secret(path: str, name: str) -> str:
    return f"{path}: duplicate name {go_quote(name)}"


def empty_pull_secret(path: str) -> str:
    return f'{path}: invalid empty name ""'


def hidden_env(path: str, name: str) -> str:
    return f"{path}: hides previous definition of {go_quote(name)}, which may be dropped when using apply"


def host_ip_without_port(path: str, port_shown: str) -> str:
    return f"{path}: hostIP set without hostPort: {port_shown}"


def port_clash(path: str, how: str, other: str) -> str:
    """``how``: ``duplicate``, ``overlapping`` or ``dangerously ambiguous``."""
    return f"{path}: {how} port definition with {other}"


def duplicate_port_name(path: str, name: str, other: str) -> str:
    return (f"{path}: duplicate port name {go_quote(name)} with {other}, services and probes that select ports by "
            f"name will use {other}")


def non_standard_ip(path: str, value: str, preferred: str) -> str:
    return f"{path}: non-standard IP address {go_quote(value)} is invalid: use {go_quote(preferred)}"


def non_canonical_ipv6(path: str, value: str, canonical: str) -> str:
    return f"{path}: IPv6 address {go_quote(value)} should be in RFC 5952 canonical format ({go_quote(canonical)})"


def overlapping_paths(volume: str, source: str, body: str) -> str:
    return f"volume {go_quote(volume)} ({source}): overlapping paths: {body}"


def projected_without_sources(volume: str) -> str:
    return f"volume {go_quote(volume)} (Projected) has no sources provided"


def not_dns_label(what: str, messages: list[str]) -> str:
    """A name that is no DNS label: ``what`` says where it is used (a Pod's hostname, its pods' names)."""
    return (f"metadata.name: this is used in {what}, which can result in surprising behavior; a DNS label is "
            f"recommended: [{' '.join(messages)}]")


POD_NAME_USE = "the Pod's hostname"
WORKLOAD_NAME_USE = "Pod names and hostnames"


def cron_time_zone(path: str) -> str:
    return (f"cannot use TZ or CRON_TZ in {path}, use timeZone instead, see "
            "https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details")
