"""``networking.k8s.io/v1``: NetworkPolicy, Ingress and IngressClass, as ``pkg/apis/networking/validation``.

Why here: kube-apiserver answers a mistaken policy or ingress with a 422 listing every broken rule, in
the order its validators walk the object; a test cluster must refuse the same manifests with the same
causes.  Objects arrive defaulted (``kinds/networking.py``) and as Go would hold them, so a missing
field is its zero value.  The update rules keep upstream's leniency for stored values that were valid
when written: CIDRs already in the old policy, an invalid pod selector already stored, invalid TLS secret
names and wildcard-host rules already stored.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import (
    dns1123_label,
    label_selector,
    mapping,
    port_number_errors,
)
from fakekube.name_formats import (
    byte_len,
    dns1035_label_errors,
    dns1123_label_errors,
    dns1123_subdomain_errors,
    path_segment_name_errors,
    port_name_errors,
)
from fakekube.versions import served_minor

_SUBDOMAIN_FMT = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
_WILDCARD_FMT = r"\*\." + _SUBDOMAIN_FMT
_WILDCARD_RE = re.compile(_WILDCARD_FMT)
_HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_HTTP_PATH_RE = re.compile(_HTTP_PATH_FMT)
_PROTOCOLS = ["TCP", "UDP", "SCTP"]
_POLICY_TYPES = ["Ingress", "Egress"]
_PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"]
_BAD_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_BAD_PATH_SUFFIXES = ("/..", "/.")
_SCOPES = ["Cluster", "Namespace"]
_INGRESS_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
_MAX_CONTROLLER_LENGTH = 250


# --- formats only networking uses ---

def wildcard_subdomain_errors(value: str) -> list[str]:
    """``validation.IsWildcardDNS1123Subdomain``: ``*.`` then a DNS subdomain, at most 253 characters."""
    out: list[str] = []
    if byte_len(value) > 253:
        out.append(errors.WILDCARD_SUBDOMAIN_TOO_LONG)
    if not _WILDCARD_RE.fullmatch(value):
        out.append(errors.wildcard_subdomain_invalid(_WILDCARD_FMT))
    return out


def domain_prefixed_path(value: str, path: str) -> list[FieldError]:
    """``validation.IsDomainPrefixedPath``: ``host/path``, the host a DNS subdomain, the path HTTP characters."""
    if not value:
        return [errors.required(path)]
    host, slash, rest = value.partition("/")
    if not slash or not host or not rest:
        return [errors.domain_prefixed_path_malformed(path, value)]
    out = [errors.invalid(path, host, msg) for msg in dns1123_subdomain_errors(host)]
    if not _HTTP_PATH_RE.fullmatch(rest):
        out.append(errors.invalid(path, rest, errors.http_path_invalid(_HTTP_PATH_FMT)))
    return out


def _sloppy_ipv4(text: str) -> ipaddress.IPv4Address | None:
    parts = text.split(".")
    if len(parts) != 4 or not all(p.isascii() and p.isdigit() for p in parts):
        return None
    octets = [int(p) for p in parts]
    return ipaddress.IPv4Address(".".join(map(str, octets))) if all(o <= 255 for o in octets) else None


def sloppy_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``netutils.ParseIPSloppy``: Go's IP parser that still takes zero-padded IPv4 octets."""
    if ":" not in text:
        return _sloppy_ipv4(text)
    if "%" in text or not text.isascii():
        return None
    head, _, tail = text.rpartition(":")
    if "." in tail:
        v4 = _sloppy_ipv4(tail)
        if v4 is None:
            return None
        text = f"{head}:{v4}"
    try:
        return ipaddress.IPv6Address(text)
    except ValueError:
        return None


def sloppy_cidr(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """``netutils.ParseCIDRSloppy``: an address, ``/`` and a prefix length in range (leading zeros taken)."""
    addr, slash, prefix = text.partition("/")
    ip = sloppy_ip(addr) if slash else None
    if ip is None or not prefix.isascii() or not prefix.isdigit() or int(prefix) > ip.max_prefixlen:
        return None
    return ipaddress.ip_network((ip, int(prefix)), strict=False)


def _legacy_cidr(value: str, path: str, allowed: Iterable[str]) -> list[FieldError]:
    """``IsValidCIDRForLegacyField`` with StrictIPCIDRValidation off (v1.36's default): only unparsable CIDRs
    are refused, and none that the stored object already held."""
    if value in allowed or sloppy_cidr(value) is not None:
        return []
    return [errors.cidr_invalid(path, value)]


# --- NetworkPolicy ---

def _policy_port(port: Mapping[str, Any], path: str) -> list[FieldError]:
    out: list[FieldError] = []
    protocol = port.get("protocol")
    if protocol is not None and protocol not in _PROTOCOLS:
        out.append(errors.not_supported(f"{path}.protocol", protocol, _PROTOCOLS))
    number, end_port = port.get("port"), port.get("endPort")
    if number is None:
        if end_port is not None:
            out.append(errors.network_policy_end_port_without_port(f"{path}.endPort", end_port))
    elif isinstance(number, int):
        out.extend(errors.invalid(f"{path}.port", number, msg) for msg in port_number_errors(number))
        if end_port is not None:
            if end_port < number:
                out.append(errors.network_policy_end_port_below_port(f"{path}.endPort", end_port))
            out.extend(errors.invalid(f"{path}.endPort", end_port, msg) for msg in port_number_errors(end_port))
    else:
        if end_port is not None:
            out.append(errors.network_policy_end_port_named_port(f"{path}.endPort", end_port))
        out.extend(errors.invalid(f"{path}.port", number, msg) for msg in port_name_errors(str(number)))
    return out


def _ip_block(block: Mapping[str, Any], path: str, old_cidrs: list[str]) -> list[FieldError]:
    cidr = block.get("cidr") or ""
    if not cidr:
        return [errors.required(f"{path}.cidr")]
    out = _legacy_cidr(cidr, f"{path}.cidr", old_cidrs)
    outer = sloppy_cidr(cidr)
    if outer is None:
        return out
    for i, text in enumerate(block.get("except") or []):
        at = f"{path}.except[{i}]"
        out.extend(_legacy_cidr(text, at, old_cidrs))
        inner = sloppy_cidr(text)
        if inner is None:
            continue
        contained = inner.version == outer.version and inner.network_address in outer
        if not contained or outer.prefixlen >= inner.prefixlen:
            out.append(errors.ip_block_except_outside_cidr(at, text))
    return out


def _peer(peer: Mapping[str, Any], path: str, lenient: bool, old_cidrs: list[str]) -> list[FieldError]:
    out: list[FieldError] = []
    count = 0
    for key in ("podSelector", "namespaceSelector"):
        if isinstance(peer.get(key), dict):
            count += 1
            out.extend(label_selector(peer[key], f"{path}.{key}", allow_invalid_values=lenient))
    block = peer.get("ipBlock")
    if isinstance(block, dict):
        count += 1
        out.extend(_ip_block(block, f"{path}.ipBlock", old_cidrs))
    if count == 0:
        out.append(errors.network_policy_peer_missing(path))
    elif count > 1 and isinstance(block, dict):
        out.append(errors.network_policy_peer_ip_block_and_other(path))
    return out


def _policy_cidrs(spec: Mapping[str, Any]) -> list[str]:
    """Every CIDR of a stored policy's peers (``ValidateNetworkPolicyUpdate`` lets them stay)."""
    found: list[str] = []
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for rule in spec.get(direction) or []:
            for peer in mapping(rule).get(peers) or []:
                block = mapping(mapping(peer).get("ipBlock"))
                if block:
                    found.append(block.get("cidr") or "")
                    found.extend(block.get("except") or [])
    return found


def validate_network_policy(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateNetworkPolicy`` / ``ValidateNetworkPolicyUpdate``: ``ValidateNetworkPolicySpec``'s rules."""
    spec = mapping(obj.get("spec"))
    old_spec = mapping(old.get("spec")) if old is not None else {}
    lenient = old is not None and bool(label_selector(mapping(old_spec.get("podSelector")), "spec.podSelector"))
    old_cidrs = _policy_cidrs(old_spec) if old is not None else []
    out = label_selector(mapping(spec.get("podSelector")), "spec.podSelector", allow_invalid_values=lenient)
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        for i, rule in enumerate(spec.get(direction) or []):
            at = f"spec.{direction}[{i}]"
            for j, port in enumerate(mapping(rule).get("ports") or []):
                out.extend(_policy_port(mapping(port), f"{at}.ports[{j}]"))
            for j, peer in enumerate(mapping(rule).get(peers) or []):
                out.extend(_peer(mapping(peer), f"{at}.{peers}[{j}]", lenient, old_cidrs))
    types = spec.get("policyTypes") or []
    if len(types) > len(_POLICY_TYPES):
        shown = errors.go_slice("networking.PolicyType", types)
        return [*out, errors.network_policy_too_many_policy_types("spec.policyTypes", shown)]
    out.extend(errors.not_supported(f"spec.policyTypes[{i}]", t, _POLICY_TYPES)
               for i, t in enumerate(types) if t not in _POLICY_TYPES)
    return out


# --- Ingress ---

def _typed_reference(ref: Mapping[str, Any], path: str) -> list[FieldError]:
    """``validateIngressTypedLocalObjectReference`` (and the first rules of an IngressClass's parameters)."""
    out: list[FieldError] = []
    group = ref.get("apiGroup")
    if group is not None:
        out.extend(errors.invalid(f"{path}.apiGroup", group, m) for m in dns1123_subdomain_errors(group))
    for key in ("kind", "name"):
        value = ref.get(key) or ""
        if not value:
            out.append(errors.required(f"{path}.{key}"))
        else:
            out.extend(errors.invalid(f"{path}.{key}", value, m) for m in path_segment_name_errors(value))
    return out


def _backend(backend: Mapping[str, Any], path: str, relaxed_service_names: bool) -> list[FieldError]:
    resource, service = backend.get("resource"), backend.get("service")
    if isinstance(resource, dict) and isinstance(service, dict):
        return [errors.ingress_backend_both(path)]
    if isinstance(resource, dict):
        return _typed_reference(resource, f"{path}.resource")
    if not isinstance(service, dict):
        return [errors.ingress_backend_none(path)]
    out: list[FieldError] = []
    name = service.get("name") or ""
    if not name:
        out.append(errors.required(f"{path}.service.name"))
    else:
        rule = dns1123_label_errors if relaxed_service_names else dns1035_label_errors
        out.extend(errors.invalid(f"{path}.service.name", name, m) for m in rule(name))
    port = mapping(service.get("port"))
    port_name, port_number = port.get("name") or "", port.get("number") or 0
    if port_name and port_number:
        out.append(errors.ingress_port_both(path))
    elif port_name:
        out.extend(errors.invalid(f"{path}.service.port.name", port_name, m) for m in port_name_errors(port_name))
    elif port_number:
        out.extend(errors.invalid(f"{path}.service.port.number", port_number, m)
                   for m in port_number_errors(port_number))
    else:
        out.append(errors.ingress_port_missing(path))
    return out


def _http_path(item: Mapping[str, Any], path: str, relaxed: bool) -> list[FieldError]:
    path_type = item.get("pathType")
    if path_type is None:
        return [errors.ingress_path_type_required(f"{path}.pathType")]
    out: list[FieldError] = []
    value = item.get("path") or ""
    if path_type in ("Exact", "Prefix"):
        if not value.startswith("/"):
            out.append(errors.ingress_path_not_absolute(f"{path}.path", value))
        out.extend(errors.ingress_path_sequence(f"{path}.path", value, s) for s in _BAD_PATH_SEQUENCES if s in value)
        out.extend(errors.ingress_path_suffix(f"{path}.path", value, s) for s in _BAD_PATH_SUFFIXES
                   if value.endswith(s))
    elif path_type == "ImplementationSpecific":
        if value and not value.startswith("/"):
            out.append(errors.ingress_path_not_absolute(f"{path}.path", value))
    else:
        out.append(errors.not_supported(f"{path}.pathType", path_type, _PATH_TYPES))
    out.extend(_backend(mapping(item.get("backend")), f"{path}.backend", relaxed))
    return out


def _rule_value(rule: Mapping[str, Any], path: str, relaxed: bool) -> list[FieldError]:
    http = rule.get("http")
    if not isinstance(http, dict):
        return []
    paths = http.get("paths") or []
    out = [] if paths else [errors.required(f"{path}.http.paths")]
    for i, item in enumerate(paths):
        out.extend(_http_path(mapping(item), f"{path}.http.paths[{i}]", relaxed))
    return out


def _rules(rules: list[Any], relaxed: bool, lenient_wildcards: bool) -> list[FieldError]:
    out: list[FieldError] = []
    for i, rule in enumerate(rules):
        rule = mapping(rule)
        at, host = f"spec.rules[{i}]", rule.get("host") or ""
        wildcard = False
        if host:
            if sloppy_ip(host) is not None:
                out.append(errors.ingress_host_is_ip(f"{at}.host", host))
            if "*" in host:
                out.extend(errors.invalid(f"{at}.host", host, m) for m in wildcard_subdomain_errors(host))
                wildcard = True
            else:
                out.extend(errors.invalid(f"{at}.host", host, m) for m in dns1123_subdomain_errors(host))
        if not wildcard or not lenient_wildcards:
            out.extend(_rule_value(rule, at, relaxed))
    return out


def _tls(entries: list[Any], lenient_secrets: bool) -> list[FieldError]:
    out: list[FieldError] = []
    for i, entry in enumerate(entries):
        entry = mapping(entry)
        for j, host in enumerate(entry.get("hosts") or []):
            check = wildcard_subdomain_errors if "*" in host else dns1123_subdomain_errors
            out.extend(errors.invalid(f"spec.tls[{i}].hosts[{j}]", host, m) for m in check(host))
        secret = entry.get("secretName") or ""
        if secret and not lenient_secrets:
            out.extend(errors.invalid(f"spec.tls[{i}].secretName", secret, m) for m in dns1123_subdomain_errors(secret))
    return out


def _service_names(spec: Mapping[str, Any]) -> list[str]:
    backends = [mapping(spec.get("defaultBackend"))]
    for rule in spec.get("rules") or []:
        backends += [mapping(mapping(p).get("backend")) for p in mapping(mapping(rule).get("http")).get("paths") or []]
    return [mapping(b.get("service")).get("name") or "" for b in backends if isinstance(b.get("service"), dict)]


def _ingress_leniency(old: Mapping[str, Any] | None) -> tuple[bool, bool, bool]:
    """``allowInvalidSecretName``, ``allowInvalidWildcardHostRule``, ``allowRelaxedServiceNameValidation``:
    what an update forgives because the stored ingress already had it."""
    if old is None:
        return False, False, False
    spec = mapping(old.get("spec"))
    secrets = any(dns1123_subdomain_errors(s) for s in
                  (mapping(t).get("secretName") or "" for t in spec.get("tls") or []) if s)
    wildcards = any("*" in (mapping(r).get("host") or "") and _rule_value(mapping(r), "", False)
                    for r in spec.get("rules") or [])
    relaxed = any(not dns1123_label_errors(n) and dns1035_label_errors(n) for n in _service_names(spec))
    return secrets, wildcards, relaxed


def validate_ingress(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateIngressCreate`` / ``ValidateIngressUpdate``: ``ValidateIngressSpec``, and on create the
    ``kubernetes.io/ingress.class`` annotation agreeing with ``ingressClassName``."""
    spec = mapping(obj.get("spec"))
    lenient_secrets, lenient_wildcards, relaxed = _ingress_leniency(old)
    rules, default = spec.get("rules") or [], spec.get("defaultBackend")
    out: list[FieldError] = []
    if not rules and not isinstance(default, dict):
        shown = errors.go_slice("networking.IngressRule", None if spec.get("rules") is None else [])
        out.append(errors.ingress_needs_backend_or_rules("spec", shown))
    if isinstance(default, dict):
        out.extend(_backend(default, "spec.defaultBackend", relaxed))
    out.extend(_rules(rules, relaxed, lenient_wildcards))
    out.extend(_tls(spec.get("tls") or [], lenient_secrets))
    class_name = spec.get("ingressClassName")
    if class_name is not None:
        out.extend(errors.invalid("spec.ingressClassName", class_name, m) for m in dns1123_subdomain_errors(class_name))
    annotation = mapping(mapping(obj.get("metadata")).get("annotations")).get(_INGRESS_CLASS_ANNOTATION)
    if old is None and annotation is not None and class_name is not None and annotation != class_name:
        out.append(errors.ingress_class_annotation_mismatch(f"annotations.{_INGRESS_CLASS_ANNOTATION}", annotation))
    return out


def validate_ingress_status(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateIngressStatusUpdate`` (a ``/status`` write): ``ValidateIngressLoadBalancerStatus`` only; an IP
    the stored status already had is not revalidated."""
    old_ips = [mapping(i).get("ip") for i in
               mapping(mapping(mapping((old or {}).get("status")).get("loadBalancer"))).get("ingress") or []]
    out: list[FieldError] = []
    balancer = mapping(mapping(obj.get("status")).get("loadBalancer"))
    for i, entry in enumerate(balancer.get("ingress") or []):
        entry = mapping(entry)
        at = f"status.loadBalancer.ingress[{i}]"
        ip, hostname = entry.get("ip") or "", entry.get("hostname") or ""
        if ip and ip not in old_ips and sloppy_ip(ip) is None:
            out.append(errors.ip_address_invalid(f"{at}.ip", ip))
        if hostname:
            out.extend(errors.invalid(f"{at}.hostname", hostname, m) for m in dns1123_subdomain_errors(hostname))
            if sloppy_ip(hostname) is not None:
                out.append(errors.ingress_host_is_ip(f"{at}.hostname", hostname))
    return out


# --- IngressClass ---

def _class_parameters(params: Mapping[str, Any], path: str) -> list[FieldError]:
    out = _typed_reference(params, path)
    scope = params.get("scope")
    if scope is None:
        return [*out, errors.required(f"{path}.scope")]
    if scope not in _SCOPES:
        return [*out, errors.not_supported(f"{path}.scope", scope, _SCOPES)]
    namespace = params.get("namespace")
    if scope == "Namespace":
        if namespace is None:
            out.append(errors.ingress_class_namespace_required(f"{path}.namespace"))
        else:
            out.extend(dns1123_label(namespace, f"{path}.namespace"))
    elif namespace is not None:
        out.append(errors.ingress_class_namespace_forbidden(f"{path}.namespace"))
    return out


def validate_ingress_class(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    """``ValidateIngressClass`` / ``ValidateIngressClassUpdate`` (``spec.controller`` immutable first)."""
    spec = mapping(obj.get("spec"))
    controller = spec.get("controller") or ""
    out: list[FieldError] = []
    if old is not None and controller != (mapping(old.get("spec")).get("controller") or ""):
        out.append(errors.immutable_field("spec.controller", controller))
    if not controller:
        out.append(errors.required("spec.controller"))
    else:
        if len(controller.encode()) > _MAX_CONTROLLER_LENGTH:
            out.append(errors.too_long("spec.controller", _MAX_CONTROLLER_LENGTH))
        out.extend(domain_prefixed_path(controller, "spec.controller"))
    params = spec.get("parameters")
    if isinstance(params, dict):
        out.extend(_class_parameters(params, "spec.parameters"))
    if served_minor() >= 37:  # declarative validation reports a missing kind or name, after the rest
        late = [e for e in out if e.type == "FieldValueRequired"
                and e.field in ("spec.parameters.kind", "spec.parameters.name")]
        out = [e for e in out if e not in late] + late
    return out
