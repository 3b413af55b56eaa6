"""Name and key formats with kube-apiserver's wording (``k8s.io/apimachinery/pkg/util/validation``).

DNS-1123 labels and subdomains, DNS-1035 labels, path segments, qualified names (label and
annotation keys), label values, ConfigMap keys and IP addresses.  Each ``*_errors`` function
returns the detail strings upstream returns, empty when the value is valid; callers wrap them in
``FieldError``s with their own field paths.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

_DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_DNS1123_SUBDOMAIN_FMT = _DNS1123_LABEL_FMT + "(\\." + _DNS1123_LABEL_FMT + ")*"
_DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
_LABEL_KEY_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE_FMT = "(" + _LABEL_KEY_FMT + ")?"

_DNS1123_LABEL_RE = re.compile(_DNS1123_LABEL_FMT)
_DNS1123_SUBDOMAIN_RE = re.compile(_DNS1123_SUBDOMAIN_FMT)
_DNS1035_LABEL_RE = re.compile(_DNS1035_LABEL_FMT)
_LABEL_KEY_RE = re.compile(_LABEL_KEY_FMT)
_LABEL_VALUE_RE = re.compile(_LABEL_VALUE_FMT)

_DNS1123_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)
_DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
    "or '.', and must start and end with an alphanumeric character"
)
_DNS1035_LABEL_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
    "alphabetic character, and end with an alphanumeric character"
)
_LABEL_KEY_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character"
)
_LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character"
)

DNS1123_LABEL_MAX_LENGTH = 63
DNS1123_SUBDOMAIN_MAX_LENGTH = 253
DNS1035_LABEL_MAX_LENGTH = 63
LABEL_KEY_NAME_MAX_LENGTH = 63
LABEL_VALUE_MAX_LENGTH = 63


def _matches(pattern: re.Pattern[str], value: str) -> bool:
    # Go anchors with ^...$, which (unlike Python's $) never matches before a final newline.
    return pattern.fullmatch(value) is not None


_DNS1123_SUBDOMAIN_CASELESS_MSG = ("an RFC 1123 subdomain must consist of alphanumeric characters, '-' or '.', and "
                                   "must start and end with an alphanumeric character")


def byte_len(value: str) -> int:
    """Go's ``len(string)``: the length in UTF-8 bytes."""
    try:
        return len(value.encode("utf-8", "surrogateescape"))
    except UnicodeEncodeError:
        return len(value.encode("utf-8", "surrogatepass"))


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    # Upstream joins "'a', " pieces with " or ", hence the doubled space.
    shown = " or ".join(f"'{example}', " for example in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def _max_len_characters(length: int) -> str:
    return f"must be no more than {length} characters"


def _max_len_bytes(length: int) -> str:
    return f"must be no more than {length} bytes"


def dns1123_label_errors(value: str) -> list[str]:
    """``validation.IsDNS1123Label``."""
    errs: list[str] = []
    if byte_len(value) > DNS1123_LABEL_MAX_LENGTH:
        errs.append(_max_len_characters(DNS1123_LABEL_MAX_LENGTH))
    if not _matches(_DNS1123_LABEL_RE, value):
        if _matches(_DNS1123_SUBDOMAIN_RE, value):
            errs.append("must not contain dots")
        else:
            errs.append(_regex_error(_DNS1123_LABEL_MSG, _DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def _subdomain_errors(value: str, max_len_message: Callable[[int], str]) -> list[str]:
    errs: list[str] = []
    if byte_len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(max_len_message(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _matches(_DNS1123_SUBDOMAIN_RE, value):
        errs.append(_regex_error(_DNS1123_SUBDOMAIN_MSG, _DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def dns1123_subdomain_caseless_errors(value: str) -> list[str]:
    """``content.IsDNS1123SubdomainCaseless`` (declarative validation's ``k8s-long-name-caseless`` format):
    upper-case letters allowed, worded without "lowercase"."""
    errs: list[str] = []
    if byte_len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(_max_len_characters(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _matches(_DNS1123_SUBDOMAIN_RE, value.lower()):
        errs.append(_regex_error(_DNS1123_SUBDOMAIN_CASELESS_MSG, _DNS1123_SUBDOMAIN_FMT, "Example.com"))
    return errs


def dns1123_subdomain_errors(value: str) -> list[str]:
    """``validation.IsDNS1123Subdomain`` (the length is counted in "characters")."""
    return _subdomain_errors(value, _max_len_characters)


def dns1035_label_errors(value: str) -> list[str]:
    """``validation.IsDNS1035Label``."""
    errs: list[str] = []
    if byte_len(value) > DNS1035_LABEL_MAX_LENGTH:
        errs.append(_max_len_characters(DNS1035_LABEL_MAX_LENGTH))
    if not _matches(_DNS1035_LABEL_RE, value):
        errs.append(_regex_error(_DNS1035_LABEL_MSG, _DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def path_segment_name_errors(value: str) -> list[str]:
    """``content.IsPathSegmentName``: no '.', '..', '/' or '%' (empty and long are fine)."""
    if value in (".", ".."):
        return [f"may not be '{value}'"]
    return path_segment_prefix_errors(value)


def path_segment_prefix_errors(value: str) -> list[str]:
    """``content.IsPathSegmentPrefix``: no '/' or '%'."""
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in value]


def qualified_name_errors(value: str) -> list[str]:
    """``content.IsLabelKey`` (a.k.a. IsQualifiedName): ``[prefix/]name``."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + msg for msg in _subdomain_errors(prefix, _max_len_bytes))
    else:
        return [
            "a valid label key "
            + _regex_error(_LABEL_KEY_MSG, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        errs.append("name part must be non-empty")
    elif byte_len(name) > LABEL_KEY_NAME_MAX_LENGTH:
        errs.append("name part " + _max_len_bytes(LABEL_KEY_NAME_MAX_LENGTH))
    if not _matches(_LABEL_KEY_RE, name):
        errs.append(
            "name part " + _regex_error(_LABEL_KEY_MSG, _LABEL_KEY_FMT, "MyName", "my.name", "123-abc")
        )
    return errs


def label_value_errors(value: str) -> list[str]:
    """``content.IsLabelValue``: empty, or at most 63 bytes of ``[-A-Za-z0-9_.]`` framed by alphanumerics."""
    errs: list[str] = []
    if byte_len(value) > LABEL_VALUE_MAX_LENGTH:
        errs.append(_max_len_bytes(LABEL_VALUE_MAX_LENGTH))
    if not _matches(_LABEL_VALUE_RE, value):
        errs.append(_regex_error(_LABEL_VALUE_MSG, _LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


_CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"
_CONFIG_MAP_KEY_RE = re.compile(_CONFIG_MAP_KEY_FMT)
_CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"


def config_map_key_errors(value: str) -> list[str]:
    """``validation.IsConfigMapKey``."""
    errs: list[str] = []
    if byte_len(value) > DNS1123_SUBDOMAIN_MAX_LENGTH:
        errs.append(_max_len_characters(DNS1123_SUBDOMAIN_MAX_LENGTH))
    if not _matches(_CONFIG_MAP_KEY_RE, value):
        errs.append(_regex_error(_CONFIG_MAP_KEY_MSG, _CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    if value in (".", ".."):
        errs.append(f"must not be '{value}'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def _looks_like_dotted_quad(value: str) -> bool:
    parts = value.split(".")
    return len(parts) == 4 and all(part.isascii() and part.isdigit() for part in parts)


def _strip_octet_zeros(quad: str) -> str:
    return ".".join(str(int(part)) for part in quad.split("."))


def ip_address_errors(value: str, *, legacy: bool = False) -> list[str]:
    """``validation.IsValidIP`` details: a valid IP, without leading 0s or IPv4-in-IPv6, canonical.  ``legacy``:
    ``IsValidIPForLegacyField`` (a pod's nameservers and host aliases), which lets an IPv6 address that is not
    in canonical form through (kube-apiserver warns of it instead)."""
    bad = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
    if not value or "%" in value or not value.isascii():
        return [bad]
    # Go's legacy parser (ParseIPSloppy) accepts zero-padded IPv4 octets; the strict one doesn't.
    sloppy = value
    head, sep, tail = value.rpartition(":")
    if sep and _looks_like_dotted_quad(tail):
        sloppy = head + sep + _strip_octet_zeros(tail)
    elif not sep and _looks_like_dotted_quad(value):
        sloppy = _strip_octet_zeros(value)
    try:
        parsed: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(sloppy)
    except ValueError:
        return [bad]
    if sloppy != value:
        return ["must not have leading 0s"]
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return ["must not be an IPv4-mapped IPv6 address"]
    canonical = str(parsed)
    if value != canonical and not legacy:
        return [f'must be in canonical form ("{canonical}")']
    return []


_PORT_NAME_CHARS = re.compile(r"[-a-z0-9]+")


def port_name_errors(name: str) -> list[str]:
    """``validation.IsValidPortName`` (an IANA_SVC_NAME): at most 15 bytes of ``[-a-z0-9]``, a letter among
    them, no ``--``, no hyphen at either end; every broken rule reported."""
    out: list[str] = []
    if byte_len(name) > 15:
        out.append("must be no more than 15 characters")
    if not _PORT_NAME_CHARS.fullmatch(name):
        out.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not any("a" <= ch <= "z" for ch in name):
        out.append("must contain at least one letter (a-z)")
    if "--" in name:
        out.append("must not contain consecutive hyphens")
    if name.startswith("-") or name.endswith("-"):
        out.append("must not begin or end with a hyphen")
    return out
