"""The TaintNodesByCondition admission plugin (``plugin/pkg/admission/nodetaint``): a new Node is tainted
``node.kubernetes.io/not-ready:NoSchedule`` until the node lifecycle controller sees it ready."""

from __future__ import annotations

from fakekube.registry.admission_attributes import CREATE, Attributes

NOT_READY = {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}


def admit(attrs: Attributes) -> None:
    if attrs.operation != CREATE or not attrs.is_core("nodes") or attrs.obj is None:
        return
    spec = attrs.obj.get("spec")
    if not isinstance(spec, dict):
        spec = attrs.obj["spec"] = {}
    taints = spec.get("taints")
    if not isinstance(taints, list):
        taints = []
    if any(isinstance(t, dict) and t.get("key") == NOT_READY["key"] and t.get("effect") == NOT_READY["effect"]
           for t in taints):
        return
    spec["taints"] = [*taints, dict(NOT_READY)]
