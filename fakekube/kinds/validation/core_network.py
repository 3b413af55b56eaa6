"""Endpoints (``ValidateEndpoints`` of ``pkg/apis/core/validation``): each subset has addresses, each address a
valid, non-special IP, each port a number and protocol (and a name when there are several)."""

from __future__ import annotations

import ipaddress
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import dns1123_label, mapping, port_number_errors, qualified_name
from fakekube.name_formats import dns1123_subdomain_errors, ip_address_errors

PROTOCOLS = ["SCTP", "TCP", "UDP"]


def _non_special_ip(ip: str, path: str) -> list[FieldError]:
    """``ValidateNonSpecialIP``: not unspecified, loopback or link-local."""
    try:
        parsed = ipaddress.ip_address(ip)
    except ValueError:
        return [errors.invalid(path, ip, errors.VALID_IP)]
    out: list[FieldError] = []
    if parsed.is_unspecified:
        out.append(errors.invalid(path, ip, errors.ip_unspecified(ip)))
    if parsed.is_loopback:
        out.append(errors.invalid(path, ip, errors.IP_LOOPBACK))
    if parsed.is_link_local:
        out.append(errors.invalid(path, ip, errors.IP_LINK_LOCAL))
    if parsed in ipaddress.ip_network("224.0.0.0/24") or (
            isinstance(parsed, ipaddress.IPv6Address) and parsed.is_multicast and (parsed.packed[1] & 0x0F) == 2):
        out.append(errors.invalid(path, ip, errors.IP_LINK_LOCAL_MULTICAST))
    return out


def non_special_ip(ip: str, path: str) -> list[FieldError]:
    """``IsValidIP`` then, when it is one, ``ValidateNonSpecialIP``."""
    found = ip_address_errors(ip)
    if found:
        return [errors.invalid(path, ip, msg) for msg in found]
    return _non_special_ip(ip, path)


def advertised_by_cluster(obj: dict[str, Any]) -> bool:
    """The API server's own ``default/kubernetes`` Endpoints (and EndpointSlice), which fakekube's cluster writes
    with its loopback host so in-cluster clients of a test can reach it; kube-apiserver never advertises a
    loopback address, so upstream has no such exception.  Only the non-special-IP rule is skipped for them."""
    meta = mapping(obj.get("metadata"))
    return meta.get("namespace") == "default" and meta.get("name") == "kubernetes"


def _address(address: dict[str, Any], path: str, special_ok: bool = False) -> list[FieldError]:
    """``validateEndpointAddress``."""
    ip = str(address.get("ip") or "")
    out = [errors.invalid(f"{path}.ip", ip, msg) for msg in ip_address_errors(ip)]
    if address.get("hostname"):
        out.extend(dns1123_label(str(address["hostname"]), f"{path}.hostname"))
    if isinstance(address.get("nodeName"), str):
        out.extend(errors.invalid(f"{path}.nodeName", address["nodeName"], msg)
                   for msg in dns1123_subdomain_errors(address["nodeName"]))
    if any(msg.startswith(errors.VALID_IP) for msg in ip_address_errors(ip)):
        out.append(errors.invalid(f"{path}.ip", ip, errors.VALID_IP))  # not even Go's sloppy parse
    elif not ip_address_errors(ip) and not special_ok:
        out.extend(non_special_ip(ip, f"{path}.ip"))
    return out


def endpoint_port(port: dict[str, Any], require_name: bool, path: str) -> list[FieldError]:
    """``validateEndpointPort``."""
    out: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        out.append(errors.required(f"{path}.name"))
    elif name:
        out.extend(dns1123_label(name, f"{path}.name"))
    number = port.get("port", 0)
    out.extend(errors.invalid(f"{path}.port", number, msg) for msg in port_number_errors(number))
    out.extend(port_protocol_errors(port, path))
    return out


def port_protocol_errors(port: dict[str, Any], path: str, *, empty_is_missing: bool = True) -> list[FieldError]:
    """A port's ``protocol`` (required, one of ``PROTOCOLS``) and ``appProtocol`` (a qualified name), as
    Services, Endpoints and EndpointSlices check them; an EndpointSlice's protocol is a pointer, so only
    an absent one is missing there (``empty_is_missing=False``)."""
    out: list[FieldError] = []
    protocol = port.get("protocol")
    if protocol is None or (empty_is_missing and protocol == ""):
        out.append(errors.required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        out.append(errors.not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    if isinstance(port.get("appProtocol"), str):
        out.extend(qualified_name(port["appProtocol"], f"{path}.appProtocol"))
    return out


def validate_endpoints(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateEndpoints`` (create and update alike)."""
    out: list[FieldError] = []
    special_ok = advertised_by_cluster(obj)
    for index, subset in enumerate(obj.get("subsets") or []):
        subset, path = mapping(subset), f"subsets[{index}]"
        ready, not_ready = subset.get("addresses") or [], subset.get("notReadyAddresses") or []
        if not ready and not not_ready:
            out.append(errors.required(path, errors.SUBSET_ADDRESSES_REQUIRED))
        for i, address in enumerate(ready):
            out.extend(_address(mapping(address), f"{path}.addresses[{i}]", special_ok))
        for i, address in enumerate(not_ready):
            out.extend(_address(mapping(address), f"{path}.notReadyAddresses[{i}]", special_ok))
        ports = subset.get("ports") or []
        for i, port in enumerate(ports):
            out.extend(endpoint_port(mapping(port), len(ports) > 1, f"{path}.ports[{i}]"))
    return out
