"""Query parameters and option bodies of requests, decoded and validated as kube-apiserver does.

Invalid options are 422s on the options kind (``CreateOptions.meta.k8s.io "" is invalid: ...``),
malformed values 400s; a write's options become the registry's ``Context``, with the request's user.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from fakekube import errors
from fakekube.http import negotiation
from fakekube.registry import listing
from fakekube.registry.context import Context, UserInfo
from fakekube.registry.metadata_fields import field_manager_errors
from fakekube.registry.rest import DeleteOptions
from fakekube.schema import validation

if TYPE_CHECKING:
    from fakekube.http.state import ClusterState

TRUE = ("1", "t", "T", "true", "TRUE", "True")  # Go strconv.ParseBool


def write_options(request: web.Request, options_kind: str, user: UserInfo, apply: bool = False) -> Context:
    """The registry context of ``user``'s write, from CreateOptions/UpdateOptions/PatchOptions in the query;
    invalid values are a 422 on the options, as upstream (``ValidatePatchOptions`` and its siblings)."""
    query = request.query
    mode = query.get("fieldValidation", "") or validation.WARN
    dry_run = query.getall("dryRun", [])
    problems = _dry_run_errors(dry_run)
    if mode not in validation.FIELD_VALIDATION_MODES:
        # upstream's allowed set holds "" (no value is Warn), sorted
        problems.append(errors.not_supported("fieldValidation", mode, ["", "Ignore", "Strict", "Warn"]))
    manager = query.get("fieldManager", "")
    if options_kind == "PatchOptions" and "force" in query and not apply:  # force belongs to apply only
        problems.append(errors.forbidden("force", "may not be specified for non-apply patch"))
    if apply and not manager:
        problems.append(errors.required("fieldManager", "is required for apply patch"))
    if manager:
        problems.extend(field_manager_errors(manager, "fieldManager"))
    if problems:
        raise errors.invalid_object(options_kind, "meta.k8s.io", "", problems)
    return Context(user=user, dry_run=bool(dry_run), field_manager=manager, field_validation=mode,
                   user_agent=request.headers.get("User-Agent", ""))


def force_param(query: Any) -> bool:
    """PatchOptions.force, parsed as Go's ``strconv.ParseBool`` (anything else is a 400)."""
    return bool_param(query, "force")


def bool_param(query: Any, name: str) -> bool:
    """A boolean option parsed as Go's ``strconv.ParseBool`` (anything else is a 400); absent is false."""
    value = query.get(name)
    if value is None:
        return False
    if value in TRUE:
        return True
    if value in ("0", "f", "F", "false", "FALSE", "False"):
        return False
    raise errors.bad_request(f'strconv.ParseBool: parsing "{value}": invalid syntax')


_GO_INT = re.compile(r"[+-]?[0-9]+")


def int_param(query: Any, name: str) -> int:
    """An integer option as Go's ``strconv.ParseInt(s, 10, 64)`` reads it: ASCII digits and a sign only (no
    spaces, underscores or other scripts' digits), within 64 bits; anything else is a 400."""
    value = query.get(name, "")
    if not value:
        return 0
    if not _GO_INT.fullmatch(value) or not -(2**63) <= int(value) < 2**63:
        raise errors.invalid_integer_parameter(name, value)
    return int(value)


async def delete_options(request: web.Request, cluster: ClusterState) -> tuple[bool, DeleteOptions]:
    """DeleteOptions from the query and the body, decoded and validated as kube-apiserver does: whether the
    delete is a dry run, and the options the registry takes."""
    query = request.query
    values: dict[str, Any] = {}
    if query.getall("dryRun", []):
        values["dryRun"] = query.getall("dryRun")
    if "propagationPolicy" in query:
        values["propagationPolicy"] = query["propagationPolicy"]
    if "gracePeriodSeconds" in query:
        values["gracePeriodSeconds"] = int_param(query, "gracePeriodSeconds")
    if "orphanDependents" in query:
        values["orphanDependents"] = bool_param(query, "orphanDependents")
    raw = await request.read()
    if raw.strip():
        body = negotiation.parse_body(raw, request.headers.get("Content-Type", "application/json"))
        if not isinstance(body, dict):
            raise errors.decode_error("DeleteOptions", "v1", "json: cannot unmarshal "
                                      f"{validation.json_type(body)} into Go value of type v1.DeleteOptions")
        body.pop("apiVersion", None)
        if body.pop("kind", "DeleteOptions") != "DeleteOptions":
            raise errors.not_delete_options()
        validation.builtin_validator(cluster.kubernetes_version, DELETE_OPTIONS).validate(
            body, kind="DeleteOptions", version="v1")
        values.update(body)
    return _checked_delete_options(values)


DELETE_OPTIONS = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"
PROPAGATION_POLICIES = ["Foreground", "Background", "Orphan"]
# What ValidateDeleteOptions lists as supported: the policies, and "nil" for none given.
SUPPORTED_POLICIES = [*PROPAGATION_POLICIES, "nil"]


def _checked_delete_options(values: dict[str, Any]) -> tuple[bool, DeleteOptions]:
    problems: list[errors.FieldError] = []
    policy = values.get("propagationPolicy")
    if policy is not None and policy not in PROPAGATION_POLICIES:
        problems.append(errors.not_supported("propagationPolicy", policy, SUPPORTED_POLICIES))
    if policy is not None and values.get("orphanDependents") is not None:
        problems.append(errors.invalid("propagationPolicy", policy,
                                       "orphanDependents and deletionPropagation cannot be both set"))
    problems.extend(_dry_run_errors(values.get("dryRun") or []))
    if problems:
        raise errors.invalid_object("DeleteOptions", "meta.k8s.io", "", problems)
    pre = values.get("preconditions") or {}
    return bool(values.get("dryRun")), DeleteOptions(
        uid=pre.get("uid"), resource_version=pre.get("resourceVersion"), propagation_policy=policy,
        grace_period_seconds=values.get("gracePeriodSeconds"), orphan_dependents=values.get("orphanDependents"))


def _dry_run_errors(dry_run: list[str]) -> list[errors.FieldError]:
    """``ValidateDryRun``: one error showing every value given, when any is not ``All``."""
    return [errors.not_supported("dryRun", list(dry_run), ["All"])] if any(v != "All" for v in dry_run) else []


def list_options(request: web.Request) -> listing.ListOptions:
    """The ListOptions of a list or watch, every parameter decoded as the parameter codec decodes it (a
    malformed number or boolean is a 400, whether or not this verb uses it)."""
    query = request.query
    int_param(query, "timeoutSeconds")
    for name in ("allowWatchBookmarks", "sendInitialEvents"):
        bool_param(query, name)
    return listing.ListOptions(
        label_selector=query.get("labelSelector", ""),
        field_selector=query.get("fieldSelector", ""),
        limit=int_param(query, "limit"),
        continue_token=query.get("continue", ""),
        resource_version=query.get("resourceVersion", ""),
        resource_version_match=query.get("resourceVersionMatch", ""),
    )


def send_initial_events(request: web.Request) -> bool | None:
    value = request.query.get("sendInitialEvents")
    return None if value is None else value in TRUE
