"""Name rules for ``metadata.name`` with kube-apiserver v1.36's wording, and name generation.

Each kind validates its names with one of upstream's name functions (``ValidateXxxName``); the
kind's strategy names the rule (``fakekube.kinds``), and ``validate_name`` applies it.  Rules that
depend on the object (a CRD's name is ``<plural>.<group>``, a ClusterTrustBundle's carries its
signer) take those inputs as arguments.  ``generate_name`` is ``SimpleNameGenerator``.
"""

from __future__ import annotations

import random

from fakekube.name_formats import (
    byte_len,
    config_map_key_errors,
    dns1035_label_errors,
    dns1123_label_errors,
    dns1123_subdomain_errors,
    ip_address_errors,
    path_segment_name_errors,
)

# --- name rules -----------------------------------------------------------------------------

DNS1123_SUBDOMAIN = "dns1123-subdomain"
"""Lowercase RFC 1123 subdomain, at most 253 characters: the rule for most kinds."""
DNS1123_LABEL = "dns1123-label"
"""Lowercase RFC 1123 label, at most 63 characters (Namespace, Service, StatefulSet)."""
DNS1035_LABEL = "dns1035-label"
"""RFC 1035 label: like a 1123 label but starting with a letter (Services before v1.36)."""
PATH_SEGMENT = "path-segment"
"""Only what a URL path segment cannot hold: '.', '..', '/' and '%' (RBAC kinds)."""
NO_RULE = "none"
"""The kind checks nothing itself; the generic path-segment pass still applies."""
IP_ADDRESS = "ip-address"
"""A canonical IP address (networking.k8s.io IPAddress)."""
CRD_NAME = "crd-name"
"""A subdomain that must equal ``spec.names.plural + "." + spec.group``."""
APISERVICE_NAME = "apiservice-name"
"""A path segment that must equal ``spec.version + "." + spec.group``."""
CLUSTER_TRUST_BUNDLE_NAME = "cluster-trust-bundle-name"
"""A subdomain, prefixed with ``<signerName with '/' as ':'>:`` when the bundle has a signer."""
CONFIG_MAP_KEY = "config-map-key"
"""Like a ConfigMap key: ``[-._a-zA-Z0-9]+``, at most 253, not '.', '..' or '..'-prefixed."""

NAME_RULE_NAMES: frozenset[str] = frozenset(
    {
        DNS1123_SUBDOMAIN,
        DNS1123_LABEL,
        DNS1035_LABEL,
        PATH_SEGMENT,
        NO_RULE,
        IP_ADDRESS,
        CRD_NAME,
        APISERVICE_NAME,
        CLUSTER_TRUST_BUNDLE_NAME,
        CONFIG_MAP_KEY,
    }
)


def _mask_trailing_dash(name: str) -> str:
    # Upstream replaces the last *two* bytes with "a" when the name ends in "-" (a quirk kept
    # on purpose: "ab-" is checked as "aa").
    if byte_len(name) > 1 and name.endswith("-"):
        raw = name.encode("utf-8", "surrogatepass")
        return raw[:-2].decode("utf-8", "surrogateescape") + "a"
    return name


def validate_name(
    name: str,
    rule: str,
    *,
    prefix: bool = False,
    required_name: str | None = None,
    signer_name: str = "",
) -> list[str]:
    """The detail strings a kind's name function returns for ``name`` under ``rule``.

    ``prefix=True`` checks a ``generateName`` (a trailing dash is allowed where upstream allows
    it).  ``required_name`` is the exact name CRD_NAME / APISERVICE_NAME demand (skipped when
    None); ``signer_name`` is the ClusterTrustBundle's ``spec.signerName``.
    """
    if rule == DNS1123_SUBDOMAIN:
        return dns1123_subdomain_errors(_mask_trailing_dash(name) if prefix else name)
    if rule == DNS1123_LABEL:
        return dns1123_label_errors(_mask_trailing_dash(name) if prefix else name)
    if rule == DNS1035_LABEL:
        return dns1035_label_errors(_mask_trailing_dash(name) if prefix else name)
    if rule == PATH_SEGMENT:
        # The RBAC name function ignores the prefix flag.
        return path_segment_name_errors(name)
    if rule == NO_RULE:
        return []
    if rule == IP_ADDRESS:
        # IPAddress does not support generated names: a generateName is checked as an IP too.
        return ip_address_errors(name)
    if rule == CRD_NAME:
        errs = validate_name(name, DNS1123_SUBDOMAIN, prefix=prefix)
        if required_name is not None and name != required_name:
            errs.append('must be spec.names.plural+"."+spec.group')
        return errs
    if rule == APISERVICE_NAME:
        errs = path_segment_name_errors(name)
        if errs:
            return errs
        if required_name is not None and name != required_name:
            return [f'must be `spec.version+"."+spec.group`: "{required_name}"']
        return []
    if rule == CONFIG_MAP_KEY:
        return config_map_key_errors(name)
    if rule == CLUSTER_TRUST_BUNDLE_NAME:
        if not signer_name:
            if ":" in name:
                return ['ClusterTrustBundle without signer name must not have ":" in its name']
            return validate_name(name, DNS1123_SUBDOMAIN, prefix=prefix)
        needed = signer_name.replace("/", ":") + ":"
        if not name.startswith(needed):
            return [f"ClusterTrustBundle for signerName {signer_name} must be named with prefix {needed}"]
        return validate_name(name[len(needed):], DNS1123_SUBDOMAIN, prefix=prefix)
    raise ValueError(f"unknown name rule {rule!r}; expected one of {sorted(NAME_RULE_NAMES)}")


# --- name generation (k8s.io/apiserver/pkg/storage/names) -----------------------------------

MAX_GENERATED_NAME_LENGTH = 63 - 5
_RANDOM_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def generate_name(base: str, rng: random.Random | None = None) -> str:
    """``SimpleNameGenerator``: ``base`` cut to 58 bytes plus five random characters."""
    raw = base.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_GENERATED_NAME_LENGTH:
        # A cut through a multi-byte character leaves bytes Go's JSON shows as U+FFFD.
        base = raw[:MAX_GENERATED_NAME_LENGTH].decode("utf-8", "replace")
    pick = rng.choice if rng is not None else random.choice
    return base + "".join(pick(_RANDOM_ALPHABET) for _ in range(5))
