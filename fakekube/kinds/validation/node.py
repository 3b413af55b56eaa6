"""``node.k8s.io`` RuntimeClass (``ValidateRuntimeClass``, ``ValidateRuntimeClassUpdate``): the handler.

The handler is a DNS-1123 label that never changes.  Up to v1.36 the handwritten rules say so, in place;
from v1.37 declarative validation (enforced at beta) does instead, after the other rules: on create the
label's errors, on an update that changes it only ``Invalid value: null: field is immutable``.  A missing
handler is the schema's ``Required value``; the overhead and scheduling rules are not ported.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import dns1123_label
from fakekube.versions import served_minor


def validate_runtime_class(obj: Mapping[str, Any], old: Mapping[str, Any] | None) -> list[FieldError]:
    handler = obj.get("handler")
    if not isinstance(handler, str) or not handler:
        return []
    old_handler = old.get("handler") if old is not None else None
    changed = old is not None and handler != old_handler
    if served_minor() >= 37:
        if changed:
            return [errors.immutable_field("handler", None)]
        return dns1123_label(handler, "handler") if old is None else []
    out = dns1123_label(handler, "handler")
    if changed:
        out.append(errors.immutable_field("handler", handler))
    return out
