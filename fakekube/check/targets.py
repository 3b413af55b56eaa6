"""The Kubernetes versions to check against, from ``--kubernetes-version``: ``v1.35``, ``v1.33,v1.35``,
``v1.33..v1.37`` (inclusive), or any mix; ``1.35`` is read as ``v1.35``.  Only the releases fakekube emulates
are accepted, so a typo is a usage error rather than a silent check against another release."""

from __future__ import annotations

from fakekube.versions import SUPPORTED_VERSIONS, minor_of


class BadVersion(ValueError):
    """A version or a range that names no supported release (a usage error)."""


def _one(text: str) -> str:
    version = text.strip()
    version = version if version.startswith("v") else f"v{version}"
    if version not in SUPPORTED_VERSIONS:
        raise BadVersion(f"unsupported Kubernetes version {text.strip()!r}; supported: {', '.join(SUPPORTED_VERSIONS)}")
    return version


def parse(spec: str) -> list[str]:
    """The releases ``spec`` names, in release order, each once."""
    chosen: set[str] = set()
    for part in spec.split(","):
        if not part.strip():
            raise BadVersion(f"empty Kubernetes version in {spec!r}")
        if ".." in part:
            low, _, high = part.partition("..")
            first, last = minor_of(_one(low)), minor_of(_one(high))
            if first > last:
                raise BadVersion(f"empty Kubernetes version range {part.strip()!r}")
            chosen.update(v for v in SUPPORTED_VERSIONS if first <= minor_of(v) <= last)
        else:
            chosen.add(_one(part))
    return sorted(chosen, key=minor_of)
