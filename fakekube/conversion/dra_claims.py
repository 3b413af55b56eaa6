"""ResourceClaim and ResourceClaimTemplate (resource.k8s.io): where a device request keeps its fields.

In v1alpha3 and v1beta1 a ``DeviceRequest`` carries ``deviceClassName``, ``selectors``,
``allocationMode``, ``count``, ``adminAccess``, ``tolerations`` and (1.34+) ``capacity`` itself; in
v1beta2 and v1 (and in the internal version every conversion goes through) they moved into
``exactly`` (an ``ExactDeviceRequest``), next to ``firstAvailable``.  The hub here is that v1 shape.

The rules follow ``pkg/apis/resource/v1beta1/conversion.go`` (v1alpha3 has the same flat shape):

* flat -> hub: ``exactly`` exists as soon as any of those fields is set, by Go's standards (a
  non-empty string, a non-zero count, a non-nil list or pointer: ``selectors: []`` counts, ``null``
  does not).  A request with only ``firstAvailable`` gets no ``exactly``.
* hub -> flat: the fields of ``exactly``, if any, go back onto the request.  ``deviceClassName`` has
  no ``omitempty`` in either Go type, so it is always written, ``""`` when there is nothing.
* everything else (``firstAvailable`` entries, constraints, config, the whole status) has the same
  shape in every version and is copied.

Field order is Go's: ``DeviceRequest`` is name, deviceClassName, selectors, allocationMode, count,
adminAccess, firstAvailable, tolerations, capacity (flat) or name, exactly, firstAvailable (hub).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from fakekube.conversion.common import JSONDict, _dict, _set_if, _set_unless_null

Request = JSONDict

# The fields that live on a flat DeviceRequest and in ``exactly`` on a hub one.
_EXACT_FIELDS = ("deviceClassName", "selectors", "allocationMode", "count", "adminAccess", "tolerations", "capacity")
_FLAT_KNOWN = frozenset({"name", "firstAvailable", *_EXACT_FIELDS})
_HUB_KNOWN = frozenset({"name", "exactly", "firstAvailable"})


def _is_set(request: JSONDict) -> bool:
    """Go's ``hasAnyMainRequestFieldsSet``: zero values and nil do not count, empty lists do."""
    return bool(
        request.get("deviceClassName")
        or request.get("selectors") is not None
        or request.get("allocationMode")
        or request.get("count")
        or request.get("adminAccess") is not None
        or request.get("tolerations") is not None
        or request.get("capacity") is not None
    )


def _put_exact_fields(out: JSONDict, source: JSONDict, fields: tuple[str, ...]) -> None:
    """Copy ExactDeviceRequest fields with their ``omitempty`` (``adminAccess`` and ``capacity`` are pointers)."""
    for field in fields:
        if field in ("adminAccess", "capacity"):
            _set_unless_null(out, field, source.get(field))
        elif field != "deviceClassName":
            _set_if(out, field, source.get(field))


def _extras(out: JSONDict, request: JSONDict, known: frozenset[str]) -> None:
    """Fields this module does not know are carried over as they are, after the known ones."""
    for key, value in request.items():
        if key not in known and key not in out:
            _set_unless_null(out, key, value)


def flat_request_to_hub(request: Any) -> Request:
    """A v1alpha3/v1beta1 ``DeviceRequest`` as the v1 (hub) shape."""
    request = _dict(request)
    out: JSONDict = {"name": request.get("name") or ""}
    if _is_set(request):
        exactly: JSONDict = {"deviceClassName": request.get("deviceClassName") or ""}
        _put_exact_fields(exactly, request, _EXACT_FIELDS)
        out["exactly"] = exactly
    _set_if(out, "firstAvailable", request.get("firstAvailable"))
    _extras(out, request, _FLAT_KNOWN)
    return out


def hub_request_to_flat(request: Any) -> Request:
    """A v1-shaped ``DeviceRequest`` as v1alpha3/v1beta1 write it."""
    request = _dict(request)
    exactly = request.get("exactly")
    exact = exactly if isinstance(exactly, dict) else {}
    out: JSONDict = {"name": request.get("name") or "", "deviceClassName": exact.get("deviceClassName") or ""}
    _put_exact_fields(out, exact, ("selectors", "allocationMode", "count", "adminAccess"))
    _set_if(out, "firstAvailable", request.get("firstAvailable"))
    _put_exact_fields(out, exact, ("tolerations", "capacity"))
    _extras(out, request, _HUB_KNOWN)
    return out


def _with_requests(devices: Any, convert: Callable[[Any], Request]) -> Any:
    if not isinstance(devices, dict) or not isinstance(devices.get("requests"), list):
        return devices
    out = dict(devices)
    out["requests"] = [convert(request) for request in devices["requests"]]
    return out


def _claim_spec(spec: Any, convert: Callable[[Any], Request]) -> Any:
    """A ResourceClaimSpec with every request converted (the rest of it is shared by all versions)."""
    if not isinstance(spec, dict) or "devices" not in spec:
        return spec
    out = dict(spec)
    out["devices"] = _with_requests(spec["devices"], convert)
    return out


def _claim(obj: JSONDict, convert: Callable[[Any], Request]) -> JSONDict:
    out = copy.deepcopy(obj)
    if "spec" in out:
        out["spec"] = _claim_spec(out["spec"], convert)
    return out


def _template(obj: JSONDict, convert: Callable[[Any], Request]) -> JSONDict:
    out = copy.deepcopy(obj)
    spec = out.get("spec")
    if isinstance(spec, dict) and "spec" in spec:
        out["spec"] = dict(spec, spec=_claim_spec(spec["spec"], convert))
    return out


def flat_claim_to_hub(obj: JSONDict) -> JSONDict:
    return _claim(obj, flat_request_to_hub)


def hub_claim_to_flat(obj: JSONDict) -> JSONDict:
    return _claim(obj, hub_request_to_flat)


def flat_template_to_hub(obj: JSONDict) -> JSONDict:
    return _template(obj, flat_request_to_hub)


def hub_template_to_flat(obj: JSONDict) -> JSONDict:
    return _template(obj, hub_request_to_flat)
