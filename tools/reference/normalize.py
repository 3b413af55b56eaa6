"""Turn one server's answer into what is compared: status, the headers that matter, a stable body.

What varies between two correct servers, or between two runs of one, is replaced by placeholders:
uids, resourceVersions, continue tokens, timestamps, cluster IPs, node ports and generated names.
A placeholder is numbered by first appearance within a scenario (``<uid-1>``, ``<rv-2>``), so equality
between captures survives: an update answering the resourceVersion a later GET returns still shows the
same ``<rv-N>`` twice. Objects are walked with sorted keys so that numbering does not depend on the
order a server writes its fields in. A list's own resourceVersion is ``<rv-list>``: on a real cluster
other writers (the API server's leases) move the revision between two requests of a scenario.
Values already replaced are also replaced where they appear inside other strings (a Status message
naming a uid or a generated name). Descriptions in schemas and table column definitions are API
documentation, upstream's prose, which the repository does not keep: they are ``<description>``.
"""

from __future__ import annotations

import re
from typing import Any

TIME_KEYS = frozenset({
    "creationTimestamp", "deletionTimestamp", "time", "lastTransitionTime", "lastUpdateTime", "lastProbeTime",
    "startTime", "completionTime", "eventTime", "firstTimestamp", "lastTimestamp", "renewTime", "acquireTime",
    "lastScheduleTime", "lastSuccessfulTime", "expirationTimestamp", "lastHeartbeatTime", "lastPhaseTransitionTime",
})
HEADERS = ("content-type", "warning")
_PLACEHOLDER = re.compile(r"^<[a-z-]+(-\d+)?>$")


def _leaf(key: str | None) -> str | None:
    """The field a key names: ``select`` flattens paths into keys such as ``metadata/creationTimestamp``."""
    return key.rsplit("/", 1)[-1] if key else key


class Normalizer:
    """Placeholders of one scenario, shared by all its steps."""

    def __init__(self) -> None:
        self.values: dict[tuple[str, str], str] = {}
        self.counts: dict[str, int] = {}
        self.inline: dict[str, str] = {}

    def placeholder(self, category: str, value: str) -> str:
        key = (category, value)
        if key not in self.values:
            self.counts[category] = self.counts.get(category, 0) + 1
            self.values[key] = f"<{category}-{self.counts[category]}>"
            if len(value) >= 6:
                self.inline[value] = self.values[key]
        return self.values[key]

    # --- bodies ----------------------------------------------------------------------------------

    def body(self, value: Any) -> Any:
        self._collect(value)
        return self._rewrite(value, None, None)

    def _collect(self, value: Any, list_meta: bool = False) -> None:
        """First pass: number what must be numbered, in sorted-key order; a list's own metadata is skipped."""
        if isinstance(value, dict):
            meta = value.get("metadata") if isinstance(value.get("metadata"), dict) else None
            if meta is not None and isinstance(meta.get("generateName"), str) and isinstance(meta.get("name"), str):
                if meta["name"].startswith(meta["generateName"]) and meta["name"] != meta["generateName"]:
                    self.placeholder("generated", meta["name"])
            is_list = isinstance(value.get("items"), list) or str(value.get("kind", "")).endswith("List")
            for raw_key in sorted(value):
                item = value[raw_key]
                key = _leaf(raw_key)
                if key == "uid" and isinstance(item, str) and item:
                    self.placeholder("uid", item)
                elif key == "resourceVersion" and isinstance(item, str) and item and not list_meta:
                    self.placeholder("rv", item)
                elif key in ("clusterIP", "loadBalancerIP") and isinstance(item, str) and item not in ("", "None"):
                    self.placeholder("ip", item)
                elif key == "clusterIPs" and isinstance(item, list):
                    for ip in item:
                        if isinstance(ip, str) and ip != "None":
                            self.placeholder("ip", ip)
                elif key in ("nodePort", "healthCheckNodePort") and isinstance(item, int) and item:
                    self.placeholder("port", str(item))
                else:
                    self._collect(item, is_list and key == "metadata")
        elif isinstance(value, list):
            for item in value:
                self._collect(item)

    def _rewrite(self, value: Any, raw_key: str | None, owner: dict[str, Any] | None) -> Any:
        key = _leaf(raw_key)
        if isinstance(value, dict):
            is_list = isinstance(value.get("items"), list) or str(value.get("kind", "")).endswith("List")
            out: dict[str, Any] = {}
            for k in sorted(value):
                item = value[k]
                if k == "metadata" and is_list and isinstance(item, dict):
                    meta = dict(item)
                    if isinstance(meta.get("resourceVersion"), str) and meta["resourceVersion"]:
                        meta["resourceVersion"] = "<rv-list>"
                    if isinstance(meta.get("continue"), str) and meta["continue"]:
                        meta["continue"] = "<continue>"
                    out[k] = self._rewrite(meta, k, value)
                else:
                    out[k] = self._rewrite(item, k, value)
            return out
        if isinstance(value, list):
            return [self._rewrite(item, key, owner) for item in value]
        if isinstance(value, str):
            if _PLACEHOLDER.match(value):
                return value
            if key in TIME_KEYS and value:
                return "<time>"
            if key == "description" and owner is not None and "kind" not in owner and "metadata" not in owner:
                return "<description>"  # API documentation (OpenAPI, table columns): upstream prose, not kept
            for category in ("uid", "rv", "ip", "generated"):
                found = self.values.get((category, value))
                if found is not None and self._applies(category, key):
                    return found
            return self.inline_text(value)
        if isinstance(value, int) and not isinstance(value, bool) and key in ("nodePort", "healthCheckNodePort"):
            return self.values.get(("port", str(value)), value)
        return value

    @staticmethod
    def _applies(category: str, key: str | None) -> bool:
        if category == "rv":
            return key == "resourceVersion"
        if category == "uid":
            return key == "uid"
        return True

    def inline_text(self, text: str) -> str:
        for raw, placeholder in self.inline.items():
            if raw in text:
                text = text.replace(raw, placeholder)
        return text

    # --- whole answers ---------------------------------------------------------------------------

    def headers(self, headers: dict[str, list[str]]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name in HEADERS:
            values = headers.get(name)
            if values:
                out[name] = [self.inline_text(v) for v in values]
        return out


def select(body: Any, paths: list[list[str]]) -> dict[str, Any]:
    """Keep parts of a big body: each path is a list of keys; ``@keys`` lists a map's keys, ``@len`` counts."""
    out: dict[str, Any] = {}
    for path in paths:
        value: Any = body
        for step in path:
            if step == "@keys" and isinstance(value, dict):
                value = sorted(value)
            elif step == "@len" and isinstance(value, (dict, list)):
                value = len(value)
            elif isinstance(value, dict):
                value = value.get(step, "<absent>")
            elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
                value = value[int(step)]
            else:
                value = "<absent>"
                break
        out["/".join(path)] = value
    return out


def redact(body: Any, paths: list[list[str]]) -> Any:
    """Replace the values at ``paths`` (``*`` matches any key or index) with ``<redacted>``."""
    for path in paths:
        _redact(body, path)
    return body


def _redact(value: Any, path: list[str]) -> None:
    if not path:
        return
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        keys = list(value) if head == "*" else [head] if head in value else []
        for key in keys:
            if rest:
                _redact(value[key], rest)
            else:
                value[key] = "<redacted>"
    elif isinstance(value, list):
        indexes = range(len(value)) if head == "*" else [int(head)] if head.isdigit() and int(head) < len(value) else []
        for index in indexes:
            if rest:
                _redact(value[index], rest)
            else:
                value[index] = "<redacted>"
