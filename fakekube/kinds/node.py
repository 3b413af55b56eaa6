"""``node.k8s.io``: RuntimeClass, whose handler is checked and kept (``kinds/validation/node.py``)."""

from __future__ import annotations

from fakekube.kinds.strategy import Strategy
from fakekube.kinds.validation.node import validate_runtime_class

KINDS = {
    "RuntimeClass": Strategy(kube_finalizers=True, validate=validate_runtime_class),
}
