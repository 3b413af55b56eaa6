"""A pod's names on the network: DNS config, host aliases, hostname and subdomain (``validatePodDNSConfig``,
``ValidateHostAliases``, the hostname checks of ``ValidatePodSpec``).

Why: ``dnsPolicy: None`` without a ``dnsConfig``, more than three nameservers or an IP that is not one are
refused upstream with these texts; search domains are checked with the relaxed rule v1.36 applies
(``RelaxedDNSSearchValidation``: underscores allowed, a lone ``.`` accepted).
"""

from __future__ import annotations

import re
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.errors import pod_validation as msg
from fakekube.kinds.validation.common import dns1123_label, dns1123_subdomain
from fakekube.kinds.validation.pod_values import missing
from fakekube.name_formats import ip_address_errors

MAX_NAMESERVERS = 3
MAX_SEARCHES = 32
MAX_SEARCH_CHARS = 2048
_LABEL_UNDERSCORE = "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
_SUBDOMAIN_UNDERSCORE = _LABEL_UNDERSCORE + "(\\." + _LABEL_UNDERSCORE + ")*"
_SUBDOMAIN_UNDERSCORE_RE = re.compile(_SUBDOMAIN_UNDERSCORE)
_SUBDOMAIN_UNDERSCORE_MSG = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                             "'_', '-' or '.', and must start and end with an alphanumeric character (e.g. "
                             f"'example.com', regex used for validation is '{_SUBDOMAIN_UNDERSCORE}')")


def ip_errors(value: Any, path: str) -> list[FieldError]:
    """``IsValidIPForLegacyField`` (strict, as v1.37 validates a new value) as field errors: no IP, leading 0s or
    IPv4-mapped IPv6 are refused; an IPv6 address out of canonical form is accepted (and warned of)."""
    text = str(value)
    return [errors.invalid(path, text, m) for m in ip_address_errors(text, legacy=True)]


def _search_errors(search: str, path: str) -> list[FieldError]:
    """``ValidateDNS1123SubdomainWithUnderScore`` of a search domain without its trailing dot."""
    if search == ".":
        return []
    search = search.removesuffix(".")
    out: list[FieldError] = []
    if len(search) > 253:
        out.append(errors.invalid(path, search, "must be no more than 253 characters"))
    if not _SUBDOMAIN_UNDERSCORE_RE.fullmatch(search):
        out.append(errors.invalid(path, search, _SUBDOMAIN_UNDERSCORE_MSG))
    return out


def validate_dns_config(spec: dict[str, Any], path: str) -> list[FieldError]:
    """``validatePodDNSConfig``: a config with a nameserver for ``dnsPolicy: None``; at most 3 valid
    nameservers, at most 32 searches in 2048 characters, options with names."""
    config, here = spec.get("dnsConfig"), f"{path}.dnsConfig"
    if spec.get("dnsPolicy") == "None":
        if not isinstance(config, dict):
            return [errors.required(here, msg.DNS_CONFIG_FOR_NONE)]
        if not config.get("nameservers"):
            return [errors.required(f"{here}.nameservers", msg.NAMESERVER_FOR_NONE)]
    if not isinstance(config, dict):
        return []
    out: list[FieldError] = []
    nameservers = [str(n) for n in config.get("nameservers") or []]
    if len(nameservers) > MAX_NAMESERVERS:
        out.append(errors.invalid_go_value(f"{here}.nameservers", errors.go_string_slice(nameservers),
                                           msg.TOO_MANY_NAMESERVERS))
    for i, nameserver in enumerate(nameservers):
        out.extend(ip_errors(nameserver, f"{here}.nameservers[{i}]"))
    searches = [str(s) for s in config.get("searches") or []]
    if len(searches) > MAX_SEARCHES:
        out.append(errors.invalid_go_value(f"{here}.searches", errors.go_string_slice(searches),
                                           msg.TOO_MANY_SEARCHES))
    if len(" ".join(searches)) > MAX_SEARCH_CHARS:
        out.append(errors.invalid_go_value(f"{here}.searches", errors.go_string_slice(searches),
                                           msg.SEARCHES_TOO_LONG))
    for i, search in enumerate(searches):
        out.extend(_search_errors(search, f"{here}.searches[{i}]"))
    for i, option in enumerate(config.get("options") or []):
        if isinstance(option, dict) and not option.get("name"):
            out.append(errors.required(f"{here}.options[{i}]", msg.OPTION_NAME))
    return out


def validate_host_aliases(aliases: Any, path: str) -> list[FieldError]:
    """``ValidateHostAliases``: an IP and DNS subdomain host names."""
    out: list[FieldError] = []
    for i, alias in enumerate(aliases or []):
        if not isinstance(alias, dict):
            continue
        if not missing(alias, "ip"):
            out.extend(ip_errors(alias.get("ip", ""), f"{path}[{i}].ip"))
        for j, hostname in enumerate(alias.get("hostnames") or []):
            out.extend(dns1123_subdomain(str(hostname), f"{path}[{i}].hostnames[{j}]"))
    return out


def host_names(spec: dict[str, Any], path: str) -> list[FieldError]:
    """``hostname`` and ``subdomain``: DNS labels when set."""
    out: list[FieldError] = []
    for field in ("hostname", "subdomain"):
        value = spec.get(field)
        if isinstance(value, str) and value:
            out.extend(dns1123_label(value, f"{path}.{field}"))
    return out
