"""Start-up settings refused as kube-apiserver refuses its flags (not Status errors)."""

from __future__ import annotations

from typing import Any

from fakekube.go_text import go_quote


class RuntimeConfigError(ValueError):
    """A runtime config (``--runtime-config``) kube-apiserver refuses to start with."""


def runtime_config_only_all_false() -> RuntimeConfigError:
    return RuntimeConfigError("invalid key with only api/all=false")


def runtime_config_invalid_key(key: str) -> RuntimeConfigError:
    return RuntimeConfigError(f"runtime-config invalid key {key}")


def runtime_config_invalid_stage_value(key: str, value: str) -> RuntimeConfigError:
    return RuntimeConfigError(f"invalid value {key}={value}")


def runtime_config_invalid_bool(key: str, value: str) -> RuntimeConfigError:
    """A group/version value that Go's ``strconv.ParseBool`` refuses."""
    return RuntimeConfigError(
        f"invalid value of {key}: {value}, err: strconv.ParseBool: parsing {go_quote(value)}: invalid syntax")


def runtime_config_mapping_value(key: str, value: Any) -> RuntimeConfigError:
    """A runtime config given as a mapping holds booleans (or the flag's text); anything else is refused."""
    return RuntimeConfigError(f"invalid value of {key}: {value!r} ({type(value).__name__}): use true or false")


def runtime_config_unknown_groups(groups: list[str]) -> RuntimeConfigError:
    return RuntimeConfigError(f"unknown api groups {','.join(groups)}")


def runtime_config_unregistered_version(group_version: str) -> RuntimeConfigError:
    return RuntimeConfigError(f"group version {group_version} that has not been registered")


def runtime_config_resource_not_plural(key: str, resource: str) -> RuntimeConfigError:
    return RuntimeConfigError(f"invalid key {key}: group/version/resource and resource is always lowercase "
                              f"plural, not {go_quote(resource)}")


def runtime_config_without_namespaces() -> RuntimeConfigError:
    """kube-apiserver would start and never become ready; a fake cluster cannot even create its namespaces."""
    return RuntimeConfigError("the runtime config turns off namespaces (core group, version v1), without "
                              "which fakekube cannot run")

__all__ = [
    "RuntimeConfigError", "runtime_config_invalid_bool", "runtime_config_invalid_key",
    "runtime_config_invalid_stage_value", "runtime_config_mapping_value", "runtime_config_only_all_false",
    "runtime_config_resource_not_plural", "runtime_config_unknown_groups",
    "runtime_config_unregistered_version", "runtime_config_without_namespaces",
]
