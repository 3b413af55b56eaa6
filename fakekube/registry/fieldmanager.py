"""Field management: the step of the write pipeline that records ``metadata.managedFields``.

Every write passes here after validation (kube-apiserver's ``fieldmanager`` wraps its create, update
and patch handlers the same way).  It records nothing yet: server-side apply fills it in.
"""

from __future__ import annotations

from typing import Any

from fakekube.registry.context import Context
from fakekube.registry.resources import ResourceInfo


class FieldManager:
    def update(self, ctx: Context, res: ResourceInfo, obj: dict[str, Any], old: dict[str, Any] | None,
               subresource: str) -> None:
        """Record the fields ``ctx``'s manager set by this write (nothing yet)."""
