"""Volumes whose files land on the same path: kube-apiserver's ``warningsForOverlappingVirtualPaths``.

A ConfigMap, Secret, DownwardAPI or projected volume maps keys to file paths; two items on one path, or one
under another, shadow each other in the container.  kube-apiserver accepts the pod and warns, naming the
volume, where the paths come from, and each clash (``"a" with "a/b"``).  Split from ``pod_warnings`` as it
is a walk of its own over each volume's items.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.go_text import go_quote

Obj = dict[str, Any]
# (path, where it comes from: "" inside a single-source volume)
Sourced = tuple[str, str]


def _shown(item: Sourced) -> str:
    path, source = item
    return f"{go_quote(path)} ({source})" if source else go_quote(path)


def _paths(items: Any, source: str) -> list[Sourced]:
    return [(str(item.get("path", "")) if isinstance(item, dict) else "", source)
            for item in items] if isinstance(items, list) else []


def _clashes(seen: list[Sourced], needle: Sourced) -> list[Sourced]:
    """The earlier paths ``needle`` equals (with the same source), or that contain it, or that it contains."""
    path = needle[0]
    if not path:
        return []
    out: list[Sourced] = []
    for item in seen:
        other = item[0]
        if not other:
            continue
        if item == needle or (other + "/").startswith(path + "/") or (path + "/").startswith(other + "/"):
            out.append(item)
    return out


def _mapping_clashes(paths: list[Sourced]) -> list[str]:
    seen: list[Sourced] = []
    out: list[str] = []
    for path, source in paths:
        needle = (path.rstrip("/"), source)
        out += [f"{_shown(needle)} with {_shown(c)}" for c in _clashes(seen, needle)]
        seen.append(needle)
    return out


def _projected_paths(source: Obj) -> list[Sourced] | None:
    """One projection's paths, in upstream's order of precedence among its kinds; None when it has none."""
    config_map, secret, downward = source.get("configMap"), source.get("secret"), source.get("downwardAPI")
    if isinstance(config_map, dict) and config_map.get("items") is not None:
        return _paths(config_map["items"], f"ConfigMap {go_quote(str(config_map.get('name', '')))}")
    if isinstance(secret, dict) and secret.get("items") is not None:
        return _paths(secret["items"], f"Secret {go_quote(str(secret.get('name', '')))}")
    if isinstance(downward, dict) and downward.get("items") is not None:
        return _paths(downward["items"], "DownwardAPI")
    token, bundle, certificate = (source.get("serviceAccountToken"), source.get("clusterTrustBundle"),
                                  source.get("podCertificate"))
    if isinstance(token, dict):
        return [(str(token.get("path", "")), "ServiceAccountToken")]
    if isinstance(bundle, dict):
        name = bundle.get("name") if bundle.get("name") is not None else bundle.get("signerName", "")
        return [(str(bundle.get("path", "")), f"ClusterTrustBundle {go_quote(str(name))}")]
    if isinstance(certificate, dict):
        found: list[Sourced] = []
        for key, what in (("certificateChainPath", "PodCertificate chain"), ("keyPath", "PodCertificate key"),
                          ("credentialBundlePath", "PodCertificate credential bundle")):
            if certificate.get(key):
                found.append((str(certificate[key]), what))
        return found
    return None


def overlapping_path_warnings(volumes: list[Obj]) -> list[str]:
    out: list[str] = []
    for volume in volumes:
        name = str(volume.get("name", ""))
        config_map, secret, downward = volume.get("configMap"), volume.get("secret"), volume.get("downwardAPI")
        if isinstance(config_map, dict) and config_map.get("items") is not None:
            source = f"ConfigMap {go_quote(str(config_map.get('name', '')))}"
            out += [errors.overlapping_paths(name, source, c)
                    for c in _mapping_clashes(_paths(config_map["items"], ""))]
        if isinstance(secret, dict) and secret.get("items") is not None:
            source = f"Secret {go_quote(str(secret.get('secretName', '')))}"
            out += [errors.overlapping_paths(name, source, c) for c in _mapping_clashes(_paths(secret["items"], ""))]
        if isinstance(downward, dict) and downward.get("items") is not None:
            out += [errors.overlapping_paths(name, "DownwardAPI", c)
                    for c in _mapping_clashes(_paths(downward["items"], ""))]
        projected = volume.get("projected")
        if isinstance(projected, dict):
            out += _projected_warnings(name, projected)
    return out


def _projected_warnings(name: str, projected: Obj) -> list[str]:
    out: list[str] = []
    seen: list[Sourced] = []
    for source in projected.get("sources") or []:
        if not isinstance(source, dict) or not any(v is not None for v in source.values()):
            out.append(errors.projected_without_sources(name))
            continue
        for path, where in _projected_paths(source) or []:
            needle = (path.rstrip("/"), where)
            out += [errors.overlapping_paths(name, "Projected", f"{_shown(needle)} with {_shown(c)}")
                    for c in _clashes(seen, needle)]
            seen.append(needle)
    return out
