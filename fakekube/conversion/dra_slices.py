"""ResourceSlice (resource.k8s.io): devices wrapped in ``basic`` (v1alpha3, v1beta1) or flat (v1beta2, v1).

The hub is the flat v1 shape, which is also the internal one.  Following
``pkg/apis/resource/v1beta1/conversion.go``:

* hub -> v1beta1: every device gets a ``basic`` object, even an empty one, holding all of the
  device's fields but ``name``.
* v1beta1 -> hub: a device's ``basic`` fields move up next to ``name``; a device without ``basic``
  keeps only its name.
* ``spec.nodeName`` and ``spec.allNodes`` are a string and a bool in v1alpha3/v1beta1 but pointers in
  v1beta2/v1; the v1beta1 conversion turns ``""``/``false`` into nil and back, so either way an empty
  node name and ``allNodes: false`` do not survive a trip through the value-typed versions.

v1alpha3 (served up to 1.33) has the v1beta1 shape except for device capacities: a plain quantity per
name (``{"memory": "16Gi"}``) where v1beta1 and later have a ``DeviceCapacity`` object
(``{"memory": {"value": "16Gi"}}``), so the quantity becomes ``value`` on the way in and ``value`` is
all that comes back out.

Go writes maps sorted by key and drops empty lists and maps (``omitempty``); pointer fields stay when
set, even to ``false`` or ``{}``.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fakekube.conversion.common import JSONDict, _set_if, _set_unless_null

# Device fields after ``name``, in Go's order (v1 Device and v1beta1 BasicDevice agree), split by how
# ``omitempty`` treats them: maps and lists are dropped when empty, pointers only when nil.
_DEVICE_FIELDS = (
    "attributes", "capacity", "consumesCounters", "nodeName", "nodeSelector", "allNodes", "taints",
    "bindsToNode", "bindingConditions", "bindingFailureConditions", "allowMultipleAllocations",
    "nodeAllocatableResourceMappings",
)
_MAPS = frozenset({"attributes", "capacity", "nodeAllocatableResourceMappings"})
_POINTERS = frozenset({"nodeName", "nodeSelector", "allNodes", "bindsToNode", "allowMultipleAllocations"})


def _device_fields(source: JSONDict, known: frozenset[str]) -> JSONDict:
    """The device fields of ``source`` as Go writes them, unknown ones carried after the known ones."""
    out: JSONDict = {}
    for field in _DEVICE_FIELDS:
        value = source.get(field)
        if field in _POINTERS:
            _set_unless_null(out, field, value)
        elif field in _MAPS and isinstance(value, dict):
            _set_if(out, field, {key: value[key] for key in sorted(value)})
        else:
            _set_if(out, field, value)
    for key, value in source.items():
        if key not in known and key not in out:
            _set_unless_null(out, key, value)
    return out


_HUB_DEVICE_KNOWN = frozenset({"name", *_DEVICE_FIELDS})
_BASIC_KNOWN = frozenset(_DEVICE_FIELDS)


def basic_device_to_hub(device: Any) -> JSONDict:
    """A v1beta1 ``Device`` (``name`` + ``basic``) as a flat v1 one."""
    device = device if isinstance(device, dict) else {}
    out: JSONDict = {"name": device.get("name") or ""}
    basic = device.get("basic")
    if isinstance(basic, dict):
        out.update(_device_fields(basic, _BASIC_KNOWN))
    for key, value in device.items():
        if key not in ("name", "basic"):
            _set_unless_null(out, key, value)
    return out


def hub_device_to_basic(device: Any) -> JSONDict:
    """A flat v1 ``Device`` as v1beta1 writes it: everything but the name under ``basic``."""
    device = device if isinstance(device, dict) else {}
    return {"name": device.get("name") or "", "basic": _device_fields(device, _HUB_DEVICE_KNOWN)}


def _capacity_values(device: JSONDict, convert: Callable[[Any], Any]) -> JSONDict:
    basic = device.get("basic")
    if not isinstance(basic, dict) or not isinstance(basic.get("capacity"), dict):
        return device
    capacity = {name: convert(value) for name, value in basic["capacity"].items()}
    return dict(device, basic=dict(basic, capacity=capacity))


def _quantity_to_capacity(value: Any) -> Any:
    return {"value": value}


def _capacity_to_quantity(value: Any) -> Any:
    # A DeviceCapacity without a value holds the zero Quantity, which Go writes as "0".
    return value.get("value", "0") if isinstance(value, dict) else value


def _spec_scalars(spec: JSONDict) -> None:
    """Drop what the value-typed ``nodeName``/``allNodes`` of v1alpha3 and v1beta1 cannot carry."""
    if spec.get("nodeName") in ("", None):
        spec.pop("nodeName", None)
    if spec.get("allNodes") in (False, None):
        spec.pop("allNodes", None)


def _slice(obj: JSONDict, convert: Callable[[Any], JSONDict]) -> JSONDict:
    out = copy.deepcopy(obj)
    spec = out.get("spec")
    if not isinstance(spec, dict):
        return out
    _spec_scalars(spec)
    if isinstance(spec.get("devices"), list):
        spec["devices"] = [convert(device) for device in spec["devices"]]
    return out


def basic_slice_to_hub(obj: JSONDict) -> JSONDict:
    """v1beta1 -> hub."""
    return _slice(obj, basic_device_to_hub)


def hub_slice_to_basic(obj: JSONDict) -> JSONDict:
    """hub -> v1beta1."""
    return _slice(obj, hub_device_to_basic)


def alpha_slice_to_hub(obj: JSONDict) -> JSONDict:
    """v1alpha3 -> hub: capacities become ``DeviceCapacity`` objects, then as v1beta1."""
    return _slice(obj, lambda device: basic_device_to_hub(_capacity_values(_as_dict(device), _quantity_to_capacity)))


def hub_slice_to_alpha(obj: JSONDict) -> JSONDict:
    """hub -> v1alpha3: as v1beta1, then each capacity is just its quantity."""
    return _slice(obj, lambda device: _capacity_values(hub_device_to_basic(device), _capacity_to_quantity))


def _as_dict(value: Any) -> JSONDict:
    return value if isinstance(value, dict) else {}
