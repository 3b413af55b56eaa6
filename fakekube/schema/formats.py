"""The string formats kube-apiserver checks in custom resources, with the rules of its format registry.

Only formats whose rules are simple enough to reproduce exactly are checked; a CRD's other formats
(``uri``, ``email``, ``hostname``, ``mac``, ``duration``, ``isbn``...) are accepted as any string.
Format names are compared with their dashes removed, as the registry does (``date-time`` is ``datetime``).
"""

from __future__ import annotations

import datetime
import ipaddress
import re
from collections.abc import Callable

_UUID = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}\Z")
_UUID3 = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?3[0-9a-f]{3}-?[0-9a-f]{4}-?[0-9a-f]{12}\Z")
_UUID4 = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?4[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}\Z")
_UUID5 = re.compile(r"(?i)^[0-9a-f]{8}-?[0-9a-f]{4}-?5[0-9a-f]{3}-?[89ab][0-9a-f]{3}-?[0-9a-f]{12}\Z")
_BASE64 = re.compile(r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})\Z")
_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")
_TIME = re.compile(r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))\Z")
_SHORT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_LONG_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")
_HEX_COLOR = re.compile(r"^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
_SSN = re.compile(r"^\d{3}[- ]?\d{2}[- ]?\d{4}\Z", re.ASCII)


def _is_date(value: str) -> bool:
    """``time.Parse("2006-01-02", value)``: the day must exist in its month."""
    match = _DATE.match(value)
    if not match:
        return False
    try:
        datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return False
    return True


def _is_date_time(value: str) -> bool:
    """The registry's ``IsDateTime``: a date, a ``T``, and a time checked field by field as text."""
    if len(value) < 4:
        return False
    parts = value.lower().split("t")
    if len(parts) < 2 or not _is_date(parts[0]):
        return False
    match = _TIME.match(parts[1])
    return match is not None and match[1] <= "23" and match[2] <= "59" and match[3] <= "59"


def _parse_ip_sloppy(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """``netutils.ParseIPSloppy``: like ``net.ParseIP``, with leading zeros allowed in IPv4 parts."""
    text = value
    if "." in value and ":" not in value:
        parts = value.split(".")
        if len(parts) != 4 or not all(p.isascii() and p.isdigit() for p in parts):
            return None
        text = ".".join(str(int(p)) for p in parts)
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
        return None  # net.ParseIP takes no zone
    return address


def _is_ipv4(value: str) -> bool:
    return _parse_ip_sloppy(value) is not None and "." in value


def _is_ipv6(value: str) -> bool:
    return _parse_ip_sloppy(value) is not None and ":" in value


def _is_cidr(value: str) -> bool:
    address, slash, bits = value.partition("/")
    if not slash or not bits.isascii() or not bits.isdigit():
        return False
    ip = _parse_ip_sloppy(address)
    if ip is None:
        return False
    return int(bits) <= (32 if ip.version == 4 and ":" not in address else 128)


CHECKS: dict[str, Callable[[str], bool]] = {
    "uuid": lambda v: bool(_UUID.match(v)),
    "uuid3": lambda v: bool(_UUID3.match(v)),
    "uuid4": lambda v: bool(_UUID4.match(v)),
    "uuid5": lambda v: bool(_UUID5.match(v)),
    "byte": lambda v: bool(_BASE64.match(v.replace("\r", "").replace("\n", "") if "\n" in v or "\r" in v else v)),
    "date": _is_date,
    "datetime": _is_date_time,
    "ipv4": _is_ipv4,
    "ipv6": _is_ipv6,
    "cidr": _is_cidr,
    "k8sshortname": lambda v: len(v) <= 63 and bool(_SHORT_NAME.match(v)),
    "k8slongname": lambda v: len(v) <= 253 and bool(_LONG_NAME.match(v)),
    "hexcolor": lambda v: bool(_HEX_COLOR.match(v)),
    "ssn": lambda v: bool(_SSN.match(v)),
    "password": lambda v: True,
}


def normalize(name: str) -> str:
    return name.replace("-", "")


def check_for(name: str) -> Callable[[str], bool] | None:
    """The check of format ``name`` (as written in a schema), or ``None`` when it is not checked."""
    return CHECKS.get(normalize(name))
