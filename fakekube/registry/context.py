"""The request context the registry receives with every call: who asks, and how the write is to be done.

kube-apiserver threads a ``context.Context`` (user, request info) and per-verb options (dry run,
field manager, field validation) through its REST storage; here both are one immutable value.  The
HTTP layer builds it from the request; the Python API and controllers build their own, so every
write says who made it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fakekube.schema.validation import FIELD_VALIDATION_MODES, WARN

__all__ = ["ADMIN", "FIELD_VALIDATION_MODES", "Context", "UserInfo"]


@dataclass(frozen=True)
class UserInfo:
    """An authenticated user (``user.Info``)."""

    username: str
    groups: tuple[str, ...] = ()
    uid: str = ""
    extra: tuple[tuple[str, tuple[str, ...]], ...] = ()


# Authentication is not enabled yet: every request acts as a cluster admin.
ADMIN = UserInfo("fakekube-admin", ("system:masters", "system:authenticated"))


@dataclass(frozen=True)
class Context:
    """One request's context: the user, and the options of a write (ignored by reads)."""

    user: UserInfo = ADMIN
    dry_run: bool = False
    field_manager: str = ""
    field_validation: str = WARN  # Strict | Warn | Ignore
    user_agent: str = ""
    extra_warnings: tuple[str, ...] = field(default=())

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def groups(self) -> tuple[str, ...]:
        return self.user.groups


DEFAULT = Context()
