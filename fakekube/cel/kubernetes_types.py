"""The value types of the Kubernetes CEL libraries (``k8s.io/apiserver/pkg/cel``: Quantity, Semver, IP,
CIDR, URL, Format) and cel-go's optional, as Python values the evaluator carries through a rule.

Comparisons follow the Go types: quantities compare by amount (``1`` equals ``1000m``), semvers by
precedence, IPs and CIDRs by address.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from urllib.parse import SplitResult, parse_qs, urlsplit

from fakekube.name_formats import (
    dns1035_label_errors,
    dns1123_label_errors,
    dns1123_subdomain_errors,
    label_value_errors,
    qualified_name_errors,
)


@dataclass(frozen=True)
class Namespace:
    """A library's namespace (``sets``, ``format``, ``optional``): the receiver of its functions."""

    name: str


@dataclass(frozen=True)
class Optional:
    """cel-go's ``optional_type``: a value or none."""

    cel_type = "optional_type"
    value: Any
    present: bool = True


_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}


@dataclass(frozen=True, eq=False)
class Quantity:
    """``resource.Quantity`` by amount; ``text`` is how it was written (``string()`` shows it)."""

    value: Decimal
    text: str = ""

    def compare(self, other: Quantity) -> int:
        return (self.value > other.value) - (self.value < other.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __str__(self) -> str:
        return self.text or format(self.value.normalize(), "f")


@lru_cache(maxsize=4096)
def parse_quantity(text: str) -> Quantity | None:
    """``resource.ParseQuantity``: a signed decimal number and a binary, decimal or exponent suffix
    (cached: the same few amounts recur in every request, and a ``Quantity`` is immutable)."""
    match = _QUANTITY.match(text)
    if not match:
        return None
    number, suffix = match.groups()
    try:
        amount = Decimal(number)
    except InvalidOperation:
        return None
    if number.count(".") > 1 or number in (".", "+.", "-."):
        return None
    if suffix in _BINARY:
        amount *= _BINARY[suffix]
    elif suffix in _DECIMAL:
        amount = amount.scaleb(_DECIMAL[suffix])
    elif suffix[:1] in ("e", "E") and re.fullmatch(r"[-+]?[0-9]+", suffix[1:]):
        amount = amount.scaleb(int(suffix[1:]))
    else:
        return None
    return Quantity(amount, text)


_SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$")


@dataclass(frozen=True)
class Semver:
    """``blang/semver`` version: precedence from major, minor, patch and the pre-release parts."""

    major: int
    minor: int
    patch: int
    pre: tuple[str, ...] = ()
    build: str = ""

    def compare(self, other: Semver) -> int:
        mine, theirs = (self.major, self.minor, self.patch), (other.major, other.minor, other.patch)
        if mine != theirs:
            return 1 if mine > theirs else -1
        if self.pre == other.pre:
            return 0
        if not self.pre or not other.pre:
            return 1 if not self.pre else -1
        for a, b in zip(self.pre, other.pre, strict=False):
            if a == b:
                continue
            key_a = (0, int(a), "") if a.isdigit() else (1, 0, a)
            key_b = (0, int(b), "") if b.isdigit() else (1, 0, b)
            return 1 if key_a > key_b else -1
        return (len(self.pre) > len(other.pre)) - (len(self.pre) < len(other.pre))

    def __str__(self) -> str:
        text = f"{self.major}.{self.minor}.{self.patch}"
        text += "-" + ".".join(self.pre) if self.pre else ""
        return text + ("+" + self.build if self.build else "")


def parse_semver(text: str, normalize: bool = False) -> Semver | None:
    """``semver.Parse``; with ``normalize`` a leading ``v`` goes and missing minor/patch parts are zero."""
    if normalize:
        core, rest = re.match(r"^([0-9.]*)(.*)$", text.removeprefix("v")).groups()  # type: ignore[union-attr]
        parts = core.split(".") if core else []
        if 0 < len(parts) <= 3:
            text = ".".join([p.lstrip("0") or "0" for p in parts] + ["0"] * (3 - len(parts))) + rest
    match = _SEMVER.match(text)
    if not match:
        return None
    pre = tuple(match.group(4).split(".")) if match.group(4) else ()
    if any(p == "" or (p.isdigit() and len(p) > 1 and p.startswith("0")) for p in pre):
        return None
    return Semver(int(match.group(1)), int(match.group(2)), int(match.group(3)), pre, match.group(5) or "")


@dataclass(frozen=True)
class IP:
    """``net.IP`` as ``netip.Addr``: IPv4 or IPv6, no zones, no IPv4-mapped IPv6 addresses."""

    address: ipaddress.IPv4Address | ipaddress.IPv6Address

    @staticmethod
    def parse(text: str) -> IP | None:
        if "%" in text:
            return None
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            return None
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            return None
        return IP(address)

    def link_local_multicast(self) -> bool:
        if self.address.version == 4:
            return self.address in ipaddress.ip_network("224.0.0.0/24")
        return self.address in ipaddress.ip_network("ff02::/16")

    def link_local_unicast(self) -> bool:
        network = "169.254.0.0/16" if self.address.version == 4 else "fe80::/10"
        return self.address in ipaddress.ip_network(network)

    def global_unicast(self) -> bool:
        address = self.address
        if address.version == 4 and address == ipaddress.IPv4Address("255.255.255.255"):
            return False
        return not (address.is_unspecified or address.is_loopback or address.is_multicast
                    or self.link_local_unicast())

    def __str__(self) -> str:
        return str(self.address)


@dataclass(frozen=True)
class CIDR:
    """``netip.Prefix``: an address and a prefix length (the address keeps its host bits)."""

    address: ipaddress.IPv4Address | ipaddress.IPv6Address
    network: ipaddress.IPv4Network | ipaddress.IPv6Network

    @staticmethod
    def parse(text: str) -> CIDR | None:
        address, slash, _ = text.partition("/")
        if not slash or IP.parse(address) is None:
            return None
        try:
            interface = ipaddress.ip_interface(text)
        except ValueError:
            return None
        return CIDR(interface.ip, interface.network)

    def contains_ip(self, other: Any) -> bool:
        ip = other if isinstance(other, IP) else IP.parse(str(other))
        return ip is not None and ip.address.version == self.network.version and ip.address in self.network

    def contains_cidr(self, other: Any) -> bool:
        cidr = other if isinstance(other, CIDR) else CIDR.parse(str(other))
        return (cidr is not None and cidr.network.version == self.network.version
                and cidr.network.subnet_of(self.network))  # type: ignore[arg-type]

    def masked(self) -> CIDR:
        return CIDR(self.network.network_address, self.network)

    def __str__(self) -> str:
        return f"{self.address}/{self.network.prefixlen}"


@dataclass(frozen=True)
class URL:
    """``url.URL`` of an absolute URI or an absolute path (``url.ParseRequestURI``)."""

    parts: SplitResult
    text: str

    @staticmethod
    def parse(text: str) -> URL | None:
        if not text or " " in text:
            return None
        try:
            parts = urlsplit(text)
        except ValueError:
            return None
        if not parts.scheme and not text.startswith("/"):
            return None
        return URL(parts, text)

    def hostname(self) -> str:
        host = self.parts.netloc.rpartition("@")[2]
        if host.startswith("["):
            return host[1:host.find("]")]
        return host.partition(":")[0]

    def port(self) -> str:
        host = self.parts.netloc.rpartition("@")[2]
        tail = host[host.find("]") + 1:] if host.startswith("[") else host
        return tail.partition(":")[2]

    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.parts.query, keep_blank_values=True)

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Format:
    """One of ``format``'s named formats: ``validate`` gives its problems (apimachinery's messages)."""

    name: str
    check: Callable[[str], list[str]]


def _prefix(check: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """The ``...Prefix`` formats: a name prefix whose trailing ``-`` is allowed (generateName)."""
    return lambda value: check(value[:-1] if value.endswith("-") else value)


def _pattern(regex: str, message: str) -> Callable[[str], list[str]]:
    compiled = re.compile(regex)
    return lambda value: [] if compiled.fullmatch(value) else [message]


FORMATS: dict[str, Format] = {
    name: Format(name, check) for name, check in {
        "dns1123Label": dns1123_label_errors,
        "dns1123Subdomain": dns1123_subdomain_errors,
        "dns1035Label": dns1035_label_errors,
        "qualifiedName": qualified_name_errors,
        "dns1123LabelPrefix": _prefix(dns1123_label_errors),
        "dns1123SubdomainPrefix": _prefix(dns1123_subdomain_errors),
        "dns1035LabelPrefix": _prefix(dns1035_label_errors),
        "labelValue": label_value_errors,
        "uri": lambda v: [] if URL.parse(v) else ["invalid URI"],
        "uuid": _pattern(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}",
                         "does not match the UUID format"),
        "byte": _pattern(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?",
                         "invalid base64"),
        "date": _pattern(r"\d{4}-\d{2}-\d{2}", "invalid date"),
        "datetime": _pattern(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})",
                             "invalid datetime"),
    }.items()
}
