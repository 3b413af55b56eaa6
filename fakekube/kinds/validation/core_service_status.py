"""A Service's ``/status`` (``ValidateServiceStatusUpdate``, ``ValidateLoadBalancerStatus``): what a load
balancer controller may write, checked apart from the spec rules, which a status write does not run."""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import dns1123_subdomain, mapping
from fakekube.name_formats import ip_address_errors


def validate_service_status(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateServiceStatusUpdate`` (``ValidateLoadBalancerStatus``): ingress only on a load balancer, each
    with a valid IP and its mode, or a DNS hostname that is not an IP."""
    spec = mapping(obj.get("spec"))
    ingress = mapping(mapping(obj.get("status")).get("loadBalancer")).get("ingress") or []
    path = "status.loadBalancer.ingress"
    if spec.get("type") != "LoadBalancer" and ingress:
        return [errors.forbidden(path, errors.STATUS_ONLY_LOAD_BALANCER)]
    out: list[FieldError] = []
    for index, item in enumerate(ingress):
        item, at = mapping(item), f"{path}[{index}]"
        ip, mode, hostname = item.get("ip") or "", item.get("ipMode"), item.get("hostname") or ""
        if ip:
            out.extend(errors.invalid(f"{at}.ip", ip, msg) for msg in ip_address_errors(ip))
        if mode is None:
            if ip:
                out.append(errors.required(f"{at}.ipMode", errors.IP_MODE_REQUIRED))
        elif not ip:
            out.append(errors.forbidden(f"{at}.ipMode", errors.IP_MODE_WITHOUT_IP))
        elif mode not in ("Proxy", "VIP"):
            out.append(errors.not_supported(f"{at}.ipMode", mode, ["Proxy", "VIP"]))
        if hostname:
            out.extend(dns1123_subdomain(hostname, f"{at}.hostname"))
            if not any(m.startswith("must be a valid IP") for m in ip_address_errors(hostname)):  # Go parses it
                out.append(errors.invalid(f"{at}.hostname", hostname, errors.DNS_NAME_NOT_IP))
    return out
