"""Leases and LeaseCandidates (``pkg/apis/coordination/validation``).

A Lease has a positive duration, non-negative transitions, a known (or qualified) coordinated strategy, and
a preferred holder only with a strategy; a LeaseCandidate names its lease and its versions."""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.cel.kubernetes_types import Semver, parse_semver
from fakekube.errors import FieldError
from fakekube.errors.pod_validation import GREATER_THAN_0
from fakekube.kinds.validation.common import mapping
from fakekube.name_formats import qualified_name_errors

LEASE_STRATEGIES = ["OldestEmulationVersion"]
ZERO = Semver(0, 0, 0)


def coordinated_strategy(strategy: str, path: str) -> list[FieldError]:
    """``ValidateCoordinatedLeaseStrategy``; upstream names the field ``<path>.strategy`` (its path's child)."""
    at = f"{path}.strategy"
    if "/" not in strategy:
        return [] if strategy in LEASE_STRATEGIES else [errors.not_supported(at, strategy, LEASE_STRATEGIES)]
    return [errors.invalid(at, strategy, msg) for msg in qualified_name_errors(strategy)]


def validate_lease(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateLeaseSpec``, on create and update alike."""
    spec = mapping(obj.get("spec"))
    out: list[FieldError] = []
    duration = spec.get("leaseDurationSeconds")
    if isinstance(duration, int) and duration <= 0:
        out.append(errors.invalid("spec.leaseDurationSeconds", duration, GREATER_THAN_0))
    transitions = spec.get("leaseTransitions")
    if isinstance(transitions, int) and transitions < 0:
        out.append(errors.invalid("spec.leaseTransitions", transitions, errors.NON_NEGATIVE))
    strategy = spec.get("strategy")
    if isinstance(strategy, str):
        out.extend(coordinated_strategy(strategy, "spec.strategy"))
    if spec.get("preferredHolder") and not strategy:
        out.append(errors.forbidden("spec.preferredHolder", errors.PREFERRED_HOLDER_WITHOUT_STRATEGY))
    return out


def validate_lease_candidate(obj: dict[str, Any], old: dict[str, Any] | None) -> list[FieldError]:
    """``ValidateLeaseCandidateSpec`` (and, on update, ``leaseName`` fixed): a lease name, semantic versions
    with the binary's at least the emulated one, and a strategy (the oldest-emulation one needs that version)."""
    spec = mapping(obj.get("spec"))
    out: list[FieldError] = []
    if not spec.get("leaseName"):
        out.append(errors.required("spec.leaseName"))
    emulation, binary = str(spec.get("emulationVersion") or ""), str(spec.get("binaryVersion") or "")
    emulated = parse_semver(emulation) if emulation else None
    if emulation and emulated is None:
        out.append(errors.invalid("spec.emulationVersion", emulation, errors.SEMVER))
    built = parse_semver(binary) if binary else None
    if not binary:
        out.append(errors.required("spec.binaryVersion"))
    elif built is None:
        out.append(errors.invalid("spec.binaryVersion", binary, errors.SEMVER))
    if binary and emulation and (built or ZERO).compare(emulated or ZERO) < 0:
        out.append(errors.invalid("spec.binaryVersion", binary, errors.BINARY_BELOW_EMULATION))
    strategy = str(spec.get("strategy") or "")
    if not strategy:
        out.append(errors.required("spec.strategy"))
    else:
        if strategy == "OldestEmulationVersion" and (emulated or ZERO).compare(ZERO) == 0:
            out.append(errors.required("spec.emulationVersion",
                                       errors.EMULATION_VERSION_REQUIRED))
        out.extend(coordinated_strategy(strategy, "spec.strategy"))
    if old is not None:
        name, old_name = spec.get("leaseName"), mapping(old.get("spec")).get("leaseName")
        if name != old_name:
            out.append(errors.invalid("spec.leaseName", name, errors.FIELD_IMMUTABLE))
    return out
