"""Warnings about a pod spec and its metadata: kube-apiserver's ``warningsForPodSpecAndMeta``.

kube-apiserver accepts these writes but answers with ``Warning`` headers about what will not do what the user
meant: deprecated node labels and annotations, removed volume plugins, fractional byte quantities, duplicate
environment variables, ports and names, IP addresses in non-standard forms.  A Pod is checked with no field
path prefix (``spec.nodeSelector[...]``); a template with its own (``spec.template``), so one walk serves the
Pod and every workload (``pod_warnings_kinds``).  Checks run in upstream's order, since clients print the
warnings in the order they arrive.  Texts are in ``fakekube.errors.pod_warnings``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from fakekube import errors
from fakekube.kinds.pod_warnings_volumes import overlapping_path_warnings
from fakekube.kinds.podspec import as_dict
from fakekube.name_formats import label_value_errors

Obj = dict[str, Any]

SECCOMP_POD_KEY = "seccomp.security.alpha.kubernetes.io/pod"
SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/"
APPARMOR_CONTAINER_PREFIX = "container.apparmor.security.beta.kubernetes.io/"
BYTE_RESOURCES = ("memory", "ephemeral-storage")


def child(prefix: str, *names: str) -> str:
    """Go's ``fieldPath.Child(...)``: names joined by dots after an optional prefix."""
    rest = ".".join(names)
    return f"{prefix}.{rest}" if prefix else rest


def _dicts(value: Any) -> list[Obj]:
    return [item if isinstance(item, dict) else {} for item in value] if isinstance(value, list) else []


def spec_warnings(prefix: str, spec: Obj, meta: Obj, *, template: bool) -> list[str]:
    """Every warning about one pod spec and the metadata beside it; ``prefix`` is the template's path ("" for a
    Pod), ``template``: the deprecated AppArmor annotations are warned about here (a Pod's are warned about
    when the annotations are synced to fields, which fakekube does not do)."""
    annotations = as_dict(meta.get("annotations"))
    out = _node_label_warnings(prefix, spec)
    out += _annotation_warnings(prefix, annotations)
    out += _volume_warnings(prefix, spec)
    out += overlapping_path_warnings(_dicts(spec.get("volumes")))
    out += _duplicates(_dicts(spec.get("hostAliases")), "ip", child(prefix, "spec", "hostAliases"),
                       "ip", errors.duplicate_ip)
    pull_path = child(prefix, "spec", "imagePullSecrets")
    out += _duplicates(_dicts(spec.get("imagePullSecrets")), "name", pull_path, "name", errors.duplicate_pull_secret)
    out += [errors.empty_pull_secret(f"{pull_path}[{i}].name")
            for i, item in enumerate(_dicts(spec.get("imagePullSecrets"))) if not item.get("name")]
    overhead = as_dict(spec.get("overhead"))
    out += [warning for name in BYTE_RESOURCES
            for warning in fractional(overhead, name, f"{child(prefix, 'spec', 'overhead')}[{name}]")]
    security = as_dict(spec.get("securityContext"))
    if "seccompProfile" not in security and SECCOMP_POD_KEY in annotations:
        out.append(errors.warning_at(f"{child(prefix, 'metadata', 'annotations')}[{SECCOMP_POD_KEY}]",
                             errors.SECCOMP_ANNOTATION))
    out += _container_warnings(prefix, spec, annotations, template)
    out += _port_warnings(prefix, spec)
    grace = spec.get("terminationGracePeriodSeconds")
    if isinstance(grace, int) and grace < 0:
        out.append(errors.warning_at(child(prefix, "spec", "terminationGracePeriodSeconds"),
                                     errors.NEGATIVE_GRACE_PERIOD))
    out += _pod_affinity_warnings(prefix, as_dict(spec.get("affinity")))
    for i, server in enumerate(as_dict(spec.get("dnsConfig")).get("nameservers") or []):
        out += ip_warnings(f"{child(prefix, 'spec', 'dnsConfig', 'nameservers')}[{i}]", server)
    for i, alias in enumerate(_dicts(spec.get("hostAliases"))):
        out += ip_warnings(f"{child(prefix, 'spec', 'hostAliases')}[{i}].ip", alias.get("ip"))
    return out


def _node_label_warnings(prefix: str, spec: Obj) -> list[str]:
    labels = errors.DEPRECATED_NODE_LABELS
    out = [errors.warning_at(f"{child(prefix, 'spec', 'nodeSelector')}[{key}]", labels[key])
           for key in as_dict(spec.get("nodeSelector")) if key in labels]
    node_affinity = as_dict(as_dict(spec.get("affinity")).get("nodeAffinity"))
    required = node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution")
    if isinstance(required, dict):
        terms = child(prefix, "spec", "affinity", "nodeAffinity", "requiredDuringSchedulingIgnoredDuringExecution",
                      "nodeSelectorTerms")
        for i, term in enumerate(_dicts(required.get("nodeSelectorTerms"))):
            out += node_selector_term_warnings(term, f"{terms}[{i}]", check_values=False)
    preferred = child(prefix, "spec", "affinity", "nodeAffinity", "preferredDuringSchedulingIgnoredDuringExecution")
    for i, term in enumerate(_dicts(node_affinity.get("preferredDuringSchedulingIgnoredDuringExecution"))):
        out += node_selector_term_warnings(as_dict(term.get("preference")), f"{preferred}[{i}].preference",
                                           check_values=True)
    for i, constraint in enumerate(_dicts(spec.get("topologySpreadConstraints"))):
        path = f"{child(prefix, 'spec', 'topologySpreadConstraints')}[{i}]"
        key = constraint.get("topologyKey")
        if isinstance(key, str) and key in labels:
            out.append(errors.deprecated_key(f"{path}.topologyKey", key, labels[key]))
        if constraint.get("labelSelector") is None:
            out.append(errors.warning_at(f"{path}.labelSelector", errors.NULL_LABEL_SELECTOR))
    return out


def node_selector_term_warnings(term: Obj, path: str, *, check_values: bool) -> list[str]:
    """``GetWarningsForNodeSelectorTerm``: deprecated keys, and (preferred terms) values that are no label
    values."""
    out: list[str] = []
    for i, expression in enumerate(_dicts(term.get("matchExpressions"))):
        key = expression.get("key")
        if isinstance(key, str) and key in errors.DEPRECATED_NODE_LABELS:
            out.append(errors.deprecated_key(f"{path}.matchExpressions[{i}].key", key,
                                             errors.DEPRECATED_NODE_LABELS[key]))
        if check_values:
            for j, value in enumerate(expression.get("values") or []):
                if isinstance(value, str):
                    out += [errors.invalid_label_value(f"{path}.matchExpressions[{i}].values[{j}]", value, msg)
                            for msg in label_value_errors(value)]
    return out


def _annotation_warnings(prefix: str, annotations: Obj) -> list[str]:
    path = child(prefix, "metadata", "annotations")
    return [errors.warning_at(f"{path}[{key}]", message) for key, message in errors.DEPRECATED_POD_ANNOTATIONS
            if key in annotations]


def _volume_warnings(prefix: str, spec: Obj) -> list[str]:
    out: list[str] = []
    for i, volume in enumerate(_dicts(spec.get("volumes"))):
        path = f"{child(prefix, 'spec', 'volumes')}[{i}]"
        for source, message in errors.DEPRECATED_VOLUMES:
            if volume.get(source) is None:
                continue
            if source == "ephemeral":
                claim = as_dict(volume["ephemeral"]).get("volumeClaimTemplate")
                if isinstance(claim, dict):
                    out += claim_spec_warnings(f"{path}.ephemeral.volumeClaimTemplate.spec", as_dict(claim.get("spec")))
                continue
            out.append(errors.warning_at(f"{path}.{errors.VOLUME_PATH_NAMES.get(source, source)}", message))
    return out


def claim_spec_warnings(path: str, spec: Obj) -> list[str]:
    """``GetWarningsForPersistentVolumeClaimSpec``: a fractional storage request or limit."""
    resources = as_dict(spec.get("resources"))
    out: list[str] = []
    for kind in ("requests", "limits"):
        out += fractional(as_dict(resources.get(kind)), "storage", f"{path}.resources.{kind}[storage]")
    return out


def fractional(resources: Obj, name: str, path: str) -> list[str]:
    """A byte quantity whose ``MilliValue()`` (rounded up) is no whole number of bytes."""
    from fakekube.kinds.validation.common import canonical_quantity, quantity  # the big rule module, on first use

    value = resources.get(name)
    if value is None:
        return []
    found = quantity(value)
    if found is None:
        return []
    milli = math.ceil(found.value * 1000)
    if milli % 1000 == 0:
        return []
    return [errors.fractional_bytes(path, canonical_quantity(value) or str(value))]


def _duplicates(items: list[Obj], key: str, path: str, leaf: str, word: Any) -> list[str]:
    """Items after the first with the same ``key`` (only looked for when there are several)."""
    if len(items) < 2:
        return []
    seen: set[Any] = set()
    out: list[str] = []
    for i, item in enumerate(items):
        value = item.get(key, "")
        if value in seen:
            out.append(word(f"{path}[{i}].{leaf}", value))
        else:
            seen.add(value)
    return out


def containers(prefix: str, spec: Obj) -> Iterator[tuple[Obj, str]]:
    """``VisitContainersWithPath``: init containers, containers, ephemeral containers, each with its path."""
    for kind in ("initContainers", "containers", "ephemeralContainers"):
        for i, container in enumerate(_dicts(spec.get(kind))):
            yield container, f"{child(prefix, 'spec', kind)}[{i}]"


def _container_warnings(prefix: str, spec: Obj, annotations: Obj, template: bool) -> list[str]:
    out: list[str] = []
    meta_path = child(prefix, "metadata", "annotations")
    pod_profile = as_dict(spec.get("securityContext")).get("appArmorProfile")
    for container, path in containers(prefix, spec):
        name = container.get("name", "")
        security = as_dict(container.get("securityContext"))
        seccomp_key = SECCOMP_CONTAINER_PREFIX + name
        if "seccompProfile" not in security and seccomp_key in annotations:
            out.append(errors.warning_at(f"{meta_path}[{seccomp_key}]", errors.SECCOMP_ANNOTATION))
        apparmor_key = APPARMOR_CONTAINER_PREFIX + name
        if template and "appArmorProfile" not in security and apparmor_key in annotations:
            if pod_profile is None or pod_profile != apparmor_profile(annotations[apparmor_key]):
                out.append(errors.warning_at(f"{meta_path}[{apparmor_key}]", errors.APPARMOR_ANNOTATION))
        resources = as_dict(container.get("resources"))
        for name_ in ("memory", "ephemeral-storage"):
            for kind in ("limits", "requests"):
                out += fractional(as_dict(resources.get(kind)), name_, f"{path}.resources.{kind}[{name_}]")
        out += _env_warnings(_dicts(container.get("env")), f"{path}.env")
    return out


def apparmor_profile(annotation: Any) -> Obj | None:
    """``ApparmorFieldForAnnotation``: the ``appArmorProfile`` field an annotation's value stands for."""
    if annotation == "runtime/default":
        return {"type": "RuntimeDefault"}
    if annotation == "unconfined":
        return {"type": "Unconfined"}
    if isinstance(annotation, str) and annotation.startswith("localhost/"):
        return {"type": "Localhost", "localhostProfile": annotation.removeprefix("localhost/")}
    return None


def _env_warnings(env: list[Obj], path: str) -> list[str]:
    """A variable defined again, unless the new value refers to the old one (``X=$(X)-more``)."""
    if len(env) < 2:
        return []
    seen: set[str] = set()
    out: list[str] = []
    for i, item in enumerate(env):
        name = item.get("name", "")
        if name not in seen:
            seen.add(name)
            continue
        ref = f"$({name})"
        value = item.get("value", "")
        if item.get("valueFrom") is not None or value == ref or ref not in value:
            out.append(errors.hidden_env(f"{path}[{i}]", name))
    return out


def _port_shown(port: Obj) -> str:
    """Go's ``%+v`` of a ``ContainerPort``."""
    return (f"{{Name:{port.get('name', '')} HostPort:{port.get('hostPort', 0)} "
            f"ContainerPort:{port.get('containerPort', 0)} Protocol:{port.get('protocol', '')} "
            f"HostIP:{port.get('hostIP', '')}}}")


def _port_warnings(prefix: str, spec: Obj) -> list[str]:
    out: list[str] = []
    seen: dict[str, list[tuple[str, Obj]]] = {}
    for container, path in containers(prefix, spec):
        for i, port in enumerate(_dicts(container.get("ports"))):
            here = f"{path}.ports[{i}]"
            host_ip, host_port = port.get("hostIP", ""), port.get("hostPort", 0)
            if host_ip and not host_port:
                out.append(errors.host_ip_without_port(here, _port_shown(port)))
            key = f"{port.get('containerPort', 0)}/{port.get('protocol', '')}"
            for other_path, other in seen.get(key, []):
                other_ip, other_port = other.get("hostIP", ""), other.get("hostPort", 0)
                if host_ip == other_ip and host_port == other_port:
                    out.append(errors.port_clash(here, "duplicate", other_path))
                elif not host_port or not other_port:
                    out.append(errors.port_clash(here, "overlapping", other_path))
                elif host_port == other_port and (not host_ip) != (not other_ip):
                    out.append(errors.port_clash(here, "dangerously ambiguous", other_path))
            seen.setdefault(key, []).append((here, port))
    named: dict[str, str] = {}
    for container, path in containers(prefix, spec):
        for i, port in enumerate(_dicts(container.get("ports"))):
            name = port.get("name", "")
            if not name:
                continue
            if name in named:
                out.append(errors.duplicate_port_name(f"{path}.ports[{i}]", name, named[name]))
            else:
                named[name] = f"{path}.ports[{i}]"
    return out


def _pod_affinity_warnings(prefix: str, affinity: Obj) -> list[str]:
    out: list[str] = []
    for kind in ("podAffinity", "podAntiAffinity"):
        found = affinity.get(kind)
        if not isinstance(found, dict):
            continue
        required = child(prefix, "spec", "affinity", kind, "requiredDuringSchedulingIgnoredDuringExecution")
        out += [errors.warning_at(f"{required}[{i}].labelSelector", errors.NULL_LABEL_SELECTOR)
                for i, term in enumerate(_dicts(found.get("requiredDuringSchedulingIgnoredDuringExecution")))
                if term.get("labelSelector") is None]
        preferred = child(prefix, "spec", "affinity", kind, "preferredDuringSchedulingIgnoredDuringExecution")
        out += [errors.warning_at(f"{preferred}[{i}].podAffinityTerm.labelSelector", errors.NULL_LABEL_SELECTOR)
                for i, term in enumerate(_dicts(found.get("preferredDuringSchedulingIgnoredDuringExecution")))
                if as_dict(term.get("podAffinityTerm")).get("labelSelector") is None]
    return out


def ip_warnings(path: str, value: Any) -> list[str]:
    """``GetWarningsForIP``: an address written with leading zeros or as IPv4-in-IPv6 (validation let it
    through), or an IPv6 address not in RFC 5952 form."""
    import ipaddress

    if not isinstance(value, str):
        return []
    if "." in value and ":" not in value:
        parts = value.split(".")
        if len(parts) == 4 and all(p.isdigit() for p in parts) and any(len(p) > 1 and p[0] == "0" for p in parts):
            return [errors.non_standard_ip(path, value, ".".join(str(int(p, 10)) for p in parts))]
        return []
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return []
    if address.ipv4_mapped is not None:
        return [errors.non_standard_ip(path, value, str(address.ipv4_mapped))]
    if str(address) != value:
        return [errors.non_canonical_ipv6(path, value, str(address))]
    return []
