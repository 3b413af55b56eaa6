"""Scenarios as data, run against any server over HTTP, answers normalized for comparison.

A scenario file (``tests/conformance/scenarios/*.yaml``) holds ``scenarios:``, a list of::

    name: configmap-update-conflict       # unique across all files; also names its namespace
    namespace: true                       # default: setup creates namespace ${ns} and its default ServiceAccount
    setup: [REQUEST, ...]                 # run first; answers not recorded (must succeed unless
                                          # the request says allow_failure: true)
    steps: [REQUEST, ...]                 # each answer recorded and compared

and a REQUEST is::

    method: PUT                           # default GET
    path: /api/v1/namespaces/${ns}/configmaps/a
    query: {fieldValidation: Strict}      # values may use ${...}
    headers: {Content-Type: application/merge-patch+json}
    body: {...}                           # a mapping or list is sent as JSON; a string as it is
    capture: {rv: [metadata, resourceVersion]}   # names for values of the answer, usable as ${rv} later
    watch: {count: 2, timeout: 5}         # read a watch stream: stop after count events or a BOOKMARK
    until: {status: 200, timeout: 20}     # repeat the request until it answers this status
    select: [[definitions, "@keys"]]      # record only these parts of the body
    redact: [[rows, "*", cells, 4]]       # replace these parts (``*``: any key or index) with <redacted>

``${ns}`` is the scenario's namespace (``s-`` and its name); cluster-scoped objects a scenario creates
are named after it too (``${ns}-reader``), so that scenarios never meet on the one reference server.
"""

from __future__ import annotations

import json
import re
import ssl
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import urllib3
import yaml

from tools.reference.normalize import Normalizer, redact, select

REPO = Path(__file__).resolve().parents[2]
SCENARIO_DIR = REPO / "tests" / "conformance" / "scenarios"
RECORDING_DIR = REPO / "tests" / "conformance" / "recordings"
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class Scenario:
    name: str
    topic: str
    steps: list[dict[str, Any]]
    setup: list[dict[str, Any]] = field(default_factory=list)
    namespace: bool = True

    @property
    def ns(self) -> str:
        return ("s-" + self.name)[:63].rstrip("-")


def load_file(path: Path) -> list[Scenario]:
    data = yaml.safe_load(path.read_text()) or {}
    out = []
    for raw in data.get("scenarios", []):
        unknown = set(raw) - {"name", "namespace", "setup", "steps"}
        if unknown:
            raise ValueError(f"{path.name}: scenario {raw.get('name')!r} has unknown keys {sorted(unknown)}")
        out.append(Scenario(raw["name"], path.stem, list(raw["steps"]), list(raw.get("setup") or []),
                            bool(raw.get("namespace", True))))
    return out


def load_all(directory: Path = SCENARIO_DIR) -> list[Scenario]:
    scenarios: list[Scenario] = []
    for path in sorted(directory.glob("*.yaml")):
        scenarios.extend(load_file(path))
    seen: set[str] = set()
    for s in scenarios:
        if s.name in seen:
            raise ValueError(f"scenario name {s.name!r} is used twice")
        if not re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", s.name):
            raise ValueError(f"scenario name {s.name!r} is not a DNS label")
        seen.add(s.name)
    return scenarios


# --- the wire --------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    headers: dict[str, list[str]]
    body: bytes
    events: list[Any] | None = None


class Target:
    """A server reached over HTTP(S); the reference needs its client certificate."""

    def __init__(self, url: str, ssl_context: ssl.SSLContext | None = None) -> None:
        self.url = url.rstrip("/")
        if ssl_context is not None:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # the reference's own certificate
            self.pool: urllib3.PoolManager = urllib3.PoolManager(ssl_context=ssl_context, maxsize=4)
        else:
            self.pool = urllib3.PoolManager(maxsize=4)

    def request(self, method: str, path: str, query: dict[str, str], headers: dict[str, str], body: bytes | None,
                watch: dict[str, Any] | None = None) -> Answer:
        url = self.url + path + ("?" + urlencode(query) if query else "")
        if watch is None:
            r = self.pool.request(method, url, headers=headers, body=body, retries=False, timeout=30)
            return Answer(r.status, _headers(r), r.data)
        timeout = float(watch.get("timeout", 5))
        r = self.pool.request(method, url, headers=headers, body=body, retries=False, preload_content=False,
                              timeout=urllib3.Timeout(connect=5, read=timeout))
        try:
            if r.status != 200:
                return Answer(r.status, _headers(r), r.read())
            return Answer(r.status, _headers(r), b"", list(_events(r, int(watch.get("count", 1_000_000)), timeout)))
        finally:
            r.close()  # a watch stopped early leaves its stream open: never reuse that connection
            r.release_conn()


def _headers(r: urllib3.BaseHTTPResponse) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in r.headers.items():
        out.setdefault(name.lower(), []).append(value)
    return out


def _events(r: urllib3.BaseHTTPResponse, count: int, timeout: float) -> Iterator[Any]:
    deadline = time.monotonic() + timeout
    buffer = b""
    seen = 0
    while seen < count and time.monotonic() < deadline:
        try:
            chunk = r.read1(65536) if hasattr(r, "read1") else r.read(1)
        except (urllib3.exceptions.HTTPError, OSError):  # a read timeout ends the stream, as the server's own would
            return
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer and seen < count:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                event = json.loads(line)
                seen += 1
                yield event
                if event.get("type") == "BOOKMARK":
                    return


# --- running ---------------------------------------------------------------------------------------


def substitute(value: Any, variables: dict[str, str]) -> Any:
    if isinstance(value, str):
        return _VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {substitute(k, variables): substitute(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    return value


def _dig(value: Any, path: list[str]) -> Any:
    for step in path:
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and str(step).isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value


def setup_requests(scenario: Scenario) -> list[dict[str, Any]]:
    first: list[dict[str, Any]] = []
    if scenario.namespace:
        first = [
            {"method": "POST", "path": "/api/v1/namespaces",
             "body": {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "${ns}"}}},
            {"method": "POST", "path": "/api/v1/namespaces/${ns}/serviceaccounts",
             "body": {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default"}}},
        ]
    return first + scenario.setup


def send(target: Target, request: dict[str, Any], variables: dict[str, str]) -> Answer:
    request = substitute(request, variables)
    headers = {str(k): str(v) for k, v in (request.get("headers") or {}).items()}
    body = request.get("body")
    data: bytes | None
    if body is None:
        data = None
    elif isinstance(body, str):
        data = body.encode()
    else:
        data = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    headers.setdefault("Accept", "application/json")
    headers.setdefault("User-Agent", "conformance/v1.0.0 (linux/amd64) fakekube")
    query = {str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in (request.get("query") or {}).items()}
    method = str(request.get("method", "GET")).upper()
    until = request.get("until")
    deadline = time.monotonic() + float((until or {}).get("timeout", 20))
    while True:
        answer = target.request(method, str(request["path"]), query, headers, data, request.get("watch"))
        if until is None or answer.status == int(until["status"]) or time.monotonic() > deadline:
            return answer
        time.sleep(0.1)


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode("utf-8", "replace")


def _record_answer(answer: Answer, request: dict[str, Any], normalizer: Normalizer) -> dict[str, Any]:
    out: dict[str, Any] = {"status": answer.status, "headers": normalizer.headers(answer.headers)}
    if answer.events is not None:
        out["events"] = [normalizer.body(_bookmark(e)) for e in answer.events]
        return out
    body = _decode(answer.body) if answer.body else None
    if request.get("select") and isinstance(body, (dict, list)) and answer.status < 300:
        body = select(body, request["select"])
    if request.get("redact"):
        body = redact(body, request["redact"])
    out["body"] = normalizer.body(body)
    out["headers"] = normalizer.headers(answer.headers)
    return out


def _bookmark(event: Any) -> Any:
    """A BOOKMARK's resourceVersion is the store's revision when it is sent, which other writers move."""
    if isinstance(event, dict) and event.get("type") == "BOOKMARK":
        meta = event.get("object", {}).get("metadata")
        if isinstance(meta, dict) and meta.get("resourceVersion"):
            meta["resourceVersion"] = "<rv-bookmark>"
    return event


class ScenarioError(RuntimeError):
    """A setup request of a scenario failed: the scenario, not the server, is wrong."""


def run(scenario: Scenario, target: Target) -> list[dict[str, Any]]:
    """Run one scenario; the normalized answers of its steps."""
    variables: dict[str, str] = {"ns": scenario.ns}
    for request in setup_requests(scenario):
        answer = send(target, request, variables)
        if answer.status >= 300 and not request.get("allow_failure"):
            raise ScenarioError(f"{scenario.name}: setup {request.get('method', 'GET')} {request['path']} "
                                f"answered {answer.status}: {answer.body[:500]!r}")
        _capture(request, answer, variables)
    normalizer = Normalizer()
    answers = []
    for request in scenario.steps:
        answer = send(target, request, variables)
        _capture(request, answer, variables)
        answers.append(_record_answer(answer, substitute(request, variables), normalizer))
    return answers


def _capture(request: dict[str, Any], answer: Answer, variables: dict[str, str]) -> None:
    captures = request.get("capture") or {}
    if not captures:
        return
    body = _decode(answer.body) if answer.body else None
    for name, path in captures.items():
        value = _dig(body, [str(p) for p in path])
        if value is not None:
            variables[name] = str(value)


# --- recordings ------------------------------------------------------------------------------------


def recording_path(topic: str, directory: Path = RECORDING_DIR) -> Path:
    return directory / f"{topic}.json"


def load_recordings(directory: Path = RECORDING_DIR) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path in sorted(directory.glob("*.json")):
        out.update(json.loads(path.read_text())["scenarios"])
    return out


def dumps(value: Any) -> str:
    return json.dumps(value, indent=1, sort_keys=True, ensure_ascii=False)
