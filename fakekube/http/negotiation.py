"""Content negotiation in one place: which media type a request body is in, and which to answer with.

kube-apiserver answers JSON, YAML, Tables (``as=Table;g=meta.k8s.io``) and aggregated discovery
(``as=APIGroupDiscoveryList;g=apidiscovery.k8s.io``) by ``Accept``; protobuf and CBOR are not
produced here, so a client that lists them first but also accepts JSON gets JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import orjson
import yaml

from fakekube import errors, yaml_input
from fakekube.registry.decoding import NullFree

JSON = "application/json"
YAML = "application/yaml"
PROTOBUF = "application/vnd.kubernetes.protobuf"
PATCH_TYPES = (
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
    "application/apply-patch+yaml",
    "application/apply-patch+cbor",
)
SERVABLE = ["application/json", "application/yaml", "application/vnd.kubernetes.protobuf",
            "application/json;stream=watch", "application/vnd.kubernetes.protobuf;stream=watch"]


@dataclass(frozen=True)
class MediaType:
    type: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def as_kind(self) -> str:
        return self.params.get("as", "")


def parse_media_types(header: str) -> list[MediaType]:
    out: list[MediaType] = []
    for part in header.split(","):
        part = part.strip()
        if not part:
            continue
        pieces = [p.strip() for p in part.split(";")]
        params: dict[str, str] = {}
        for piece in pieces[1:]:
            key, _, value = piece.partition("=")
            params[key.strip().lower()] = value.strip().strip('"')
        out.append(MediaType(pieces[0].lower(), params))
    return out


@dataclass(frozen=True)
class Output:
    """What to answer with: ``format`` json|yaml, and a wrapper ``kind`` ('' | Table | APIGroupDiscoveryList)."""

    format: str = "json"
    kind: str = ""
    version: str = ""

    @property
    def content_type(self) -> str:
        if self.kind == "APIGroupDiscoveryList":
            return f"application/json;g=apidiscovery.k8s.io;v={self.version};as=APIGroupDiscoveryList"
        return YAML if self.format == "yaml" else JSON


def choose_output(accept: str | None, *, tables: bool = False, discovery: bool = False,
                  partial: str = "") -> Output:
    """Pick the first acceptable representation; raise 406 when none is.

    ``partial`` names the metadata-only kind this endpoint can answer with: ``PartialObjectMetadata``
    for a single object or a watch, ``PartialObjectMetadataList`` for a list ('' where none applies).
    """
    if not accept:
        return Output()
    for media in parse_media_types(accept):
        mtype = media.type
        as_kind = media.as_kind
        if as_kind:
            group, version = media.params.get("g", ""), media.params.get("v", "")
            if as_kind == "Table" and tables and group == "meta.k8s.io" and version in ("v1", "v1beta1") \
                    and mtype in (JSON, "*/*"):
                return Output("json", "Table", version)
            if as_kind == "APIGroupDiscoveryList" and discovery and group == "apidiscovery.k8s.io" \
                    and version == "v2" and mtype in (JSON, "*/*"):
                return Output("json", "APIGroupDiscoveryList", version)
            if partial and as_kind == partial and group == "meta.k8s.io" and version in ("v1", "v1beta1") \
                    and mtype in (JSON, "*/*"):
                return Output("json", as_kind, version)
            continue
        if mtype in (JSON, "application/*", "*/*", "*"):
            return Output()
        if mtype in (YAML, "text/yaml", "application/x-yaml"):
            return Output("yaml")
    # discovery's serializers have no streaming forms to offer
    raise errors.not_acceptable(SERVABLE[:3] if discovery else SERVABLE)


ROUTE_PATCH_TYPES = PATCH_TYPES[:4]  # what a built-in PATCH route consumes (CBOR apply is behind a feature gate)


def check_route(verb: str, method: str, content_type: str | None, accept: str | None) -> None:
    """go-restful's checks of a built-in resource's route before its handler runs: a PATCH's
    ``Content-Type`` must be one the route consumes (415), and ``Accept`` must name ``*/*`` or a type the
    route produces (406): a list's (and a watch's) include the streaming forms, the others' do not.
    Custom resources are served by the apiextensions handler, which has no such checks."""
    if method == "PATCH" and not _restful_match(content_type or "application/octet-stream", ROUTE_PATCH_TYPES):
        raise errors.route_unsupported_media_type()
    produces = SERVABLE if verb in ("list", "watch") else SERVABLE[:3]
    if accept and not _restful_match(accept, ("*/*", *produces)):
        raise errors.route_not_acceptable(produces)


def _restful_match(header: str, types: tuple[str, ...] | list[str]) -> bool:
    """go-restful's matching of a header's media types: parameters dropped, blanks trimmed, compared exactly."""
    return any(part.split(";", 1)[0].strip(" ") in types for part in header.split(","))


def error_format(accept: str) -> str:
    """The format an error is answered in: as ``accept`` asks when it can be, else JSON."""
    try:
        return choose_output(accept).format
    except errors.StatusError:
        return "json"


def yaml_status(status: dict[str, Any]) -> bytes:
    """A ``Status`` in YAML as kube-apiserver writes it (JSON turned into YAML: keys sorted)."""
    return yaml.safe_dump(status, sort_keys=True, default_flow_style=False, allow_unicode=True, width=1 << 30).encode()


def partial_metadata(obj: dict[str, Any], version: str = "v1") -> dict[str, Any]:
    """The metadata-only form of an object, for clients that list or watch metadata alone."""
    return {"kind": "PartialObjectMetadata", "apiVersion": f"meta.k8s.io/{version}",
            "metadata": obj.get("metadata", {})}


def render(data: bytes | dict[str, Any] | list[Any], output: Output) -> bytes:
    if output.format == "yaml":
        obj = orjson.loads(data) if isinstance(data, bytes) else data
        return yaml.safe_dump(obj, sort_keys=False, default_flow_style=False, allow_unicode=True).encode()
    return data if isinstance(data, bytes) else orjson.dumps(data)


def loads_json(raw: bytes) -> Any:
    """A JSON body as Go's decoder reads it: bytes that are not UTF-8 inside strings become U+FFFD."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return orjson.loads(raw.decode("utf-8", errors="replace"))
        raise


class _Members(dict[str, Any]):
    """A JSON object as the exact reader builds it, with its members in order, repeated keys included."""

    __slots__ = ("pairs",)
    pairs: list[tuple[str, Any]]


def _members(pairs: list[tuple[str, Any]]) -> _Members:
    out = _Members(pairs)
    out.pairs = pairs
    return out


_BLANKS = b" \t\r\n"


def duplicate_fields(raw: bytes, parsed: Any) -> list[str]:
    """The paths of keys a JSON body sets twice in one object (``data.x``, ``spec.containers[0].name``), in the
    order kube's strict decoder meets them (the body's).  Usually decided by comparing lengths: a body
    without duplicates re-encodes to its own length once blanks are left out of both; only otherwise is it
    read again, exactly."""
    if len(orjson.dumps(parsed).translate(None, _BLANKS)) == len(raw.translate(None, _BLANKS)):
        return []  # same content but for blanks (in strings too, on both sides): nothing was dropped
    try:
        exact = json.loads(raw, object_pairs_hook=_members)
    except ValueError:
        return []
    found: list[str] = []
    stack: list[tuple[str, Any]] = [("", exact)]
    while stack:  # depth first, members in order: the reading order
        path, value = stack.pop()
        children: list[tuple[str, Any]] = []
        if isinstance(value, _Members):
            seen: set[str] = set()
            for key, child in value.pairs:
                child_path = f"{path}.{key}" if path else key
                if key in seen:
                    found.append(child_path)
                seen.add(key)
                children.append((child_path, child))
        elif isinstance(value, list):
            children = [(f"{path}[{i}]", child) for i, child in enumerate(value)]
        stack.extend(reversed(children))
    return found


def media_type(content_type: str) -> str:
    """A ``Content-Type``'s media type, lowercased and without parameters ('' when it names none)."""
    return content_type.split(";", 1)[0].strip().lower() or ("" if content_type.strip() else JSON)


def parse_body(raw: bytes, content_type: str, kind_hint: str = "") -> Any:
    """Decode a request body in JSON or YAML; 415 for other media types, 400 for malformed input."""
    mtype = content_type.split(";", 1)[0].strip().lower()
    if not mtype:
        if content_type.strip():  # mime.ParseMediaType finds no media type in ";;;": not a default
            raise errors.unsupported_media_type(content_type)
        mtype = JSON
    if mtype in (JSON, "*/*", "application/json-patch+json", "application/merge-patch+json",
                 "application/strategic-merge-patch+json"):
        try:
            body = loads_json(raw)
        except orjson.JSONDecodeError as exc:
            raise errors.json_body_error(_json_error(exc)) from None
        return NullFree(body) if type(body) is dict and b"null" not in raw else body
    if mtype in (YAML, "text/yaml", "application/x-yaml", "application/apply-patch+yaml"):
        try:
            docs = [d for d in yaml_input.load_all(raw.decode("utf-8", errors="replace")) if d is not None]
        except yaml.YAMLError as exc:
            raise errors.yaml_body_error(_yaml_error(exc)) from None
        if len(docs) != 1:
            if not docs:
                raise errors.yaml_missing_kind()
            raise errors.yaml_body_error("multiple documents are not supported")
        return yaml_input.jsonable(docs[0])
    if mtype == PROTOBUF:
        from fakekube.http import protobuf  # imported on first use: most clients never send protobuf

        try:
            return protobuf.decode_k8s_protobuf(raw)
        except protobuf.UnknownProtobufType:
            raise errors.unsupported_media_type(content_type) from None
        except protobuf.ProtobufError as exc:
            raise errors.protobuf_body_error(str(exc)) from None
    raise errors.unsupported_media_type(content_type)


def _json_error(exc: orjson.JSONDecodeError) -> str:
    return str(exc.msg if hasattr(exc, "msg") else exc)


def _yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    if mark is not None:
        return f"line {mark.line + 1}: {problem}"
    return str(problem)
