"""A CRD's ``Webhook`` conversion strategy: kube-apiserver asks the CRD's webhook to convert each object.

As apiextensions-apiserver's ``webhookConverter``: an object already in the wanted version, or empty
(only ``apiVersion`` and ``kind``), is not sent.  Otherwise a ``ConversionReview`` (``v1``, or
``v1beta1`` when that comes first in ``conversionReviewVersions``) with a fresh request uid carries the
object to the webhook (``webhook_client``), and the answer is checked as upstream checks it: a v1
review's kind and uid, the result's status, the number of objects, each one's group/version and kind,
its name, namespace and uid unchanged.  The converted object keeps the original's metadata except
labels and annotations, which the webhook may change.  Every failure raises upstream's error, a 500
without a reason (``errors.conversion_failed``).

Objects are converted one at a time, as kube-apiserver's storage decodes and encodes each object of
a list on its own.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from fakekube import errors
from fakekube.conversion.converter import Converter
from fakekube.conversion.webhook_client import Endpoint, ServiceAddresses, WebhookCallError, endpoint_for, post
from fakekube.go_text import go_type

REVIEW_GROUP = "apiextensions.k8s.io"
REVIEW_VERSIONS = ("v1", "v1beta1")


def _gvk(api_version: str, kind: str) -> str:
    """``schema.GroupVersionKind.String()`` of an object's apiVersion and kind."""
    group, _, version = api_version.rpartition("/")
    return f"{group}/{version}, Kind={kind}"


def _group_version(api_version: str) -> str:
    """``schema.GroupVersion.String()``: "v1" for the core group, else "group/version"."""
    group, _, version = api_version.rpartition("/")
    return f"{group}/{version}" if group else version


def _meta_string(obj: Mapping[str, Any], key: str) -> str:
    """``Unstructured.GetName()`` and friends: "" when missing or not a string."""
    meta = obj.get("metadata")
    value = meta.get(key) if isinstance(meta, Mapping) else None
    return value if isinstance(value, str) else ""


def _is_empty(obj: Mapping[str, Any]) -> bool:
    return len(obj) == 2 and "kind" in obj and "apiVersion" in obj


class WebhookConverter(Converter):
    """Converts a CRD's objects between its versions by calling its conversion webhook."""

    __slots__ = ("_endpoint", "_review_versions", "_versions")

    def __init__(self, group: str, plural: str, versions: Sequence[str], review_versions: Sequence[str],
                 endpoint: Endpoint) -> None:
        super().__init__(group, plural)
        self._versions = frozenset(f"{group}/{v}" for v in versions)
        self._review_versions = tuple(review_versions)
        self._endpoint = endpoint

    def __repr__(self) -> str:
        return f"WebhookConverter({self.group!r}, {self.plural!r}, {self._endpoint.url!r})"

    @classmethod
    def for_crd(cls, spec: Mapping[str, Any], service_addresses: ServiceAddresses) -> WebhookConverter:
        """The converter of a CRD whose ``spec.conversion.strategy`` is ``Webhook``."""
        webhook = (spec.get("conversion") or {}).get("webhook") or {}
        versions = [str(v.get("name", "")) for v in spec.get("versions") or () if isinstance(v, Mapping)]
        return cls(str(spec.get("group", "")), str((spec.get("names") or {}).get("plural", "")), versions,
                   [str(v) for v in webhook.get("conversionReviewVersions") or ()],
                   endpoint_for(webhook.get("clientConfig") or {}, service_addresses))

    def convert(self, obj: dict[str, Any], target_api_version: str) -> dict[str, Any]:
        source = obj.get("apiVersion")
        if not isinstance(source, str) or not source:
            return super().convert(obj, target_api_version)  # its own error
        if target_api_version not in self._versions:
            raise errors.conversion_invalid_version("to", _group_version(target_api_version))
        if source not in self._versions:
            raise errors.conversion_invalid_version("from", _group_version(source))
        if source == target_api_version:
            return copy.deepcopy(obj)
        if _is_empty(obj):
            return {"apiVersion": target_api_version, "kind": obj["kind"]}
        gvk = _gvk(source, str(obj.get("kind", "")))
        uid = str(uuid.uuid4())
        review_version = next((v for v in self._review_versions if v in REVIEW_VERSIONS), None)
        if review_version is None:
            raise errors.conversion_no_review_versions()
        review = {"kind": "ConversionReview", "apiVersion": f"{REVIEW_GROUP}/{review_version}",
                  "request": {"uid": uid, "desiredAPIVersion": target_api_version, "objects": [obj]},
                  "response": {"uid": "", "convertedObjects": None, "result": {"metadata": {}}}}
        try:
            answer = post(self._endpoint, orjson.dumps(review))
        except WebhookCallError as exc:
            raise errors.conversion_webhook_failed(gvk, str(exc)) from None
        converted = self._converted_objects(gvk, review_version, uid, answer)
        if len(converted) != 1:
            raise errors.conversion_webhook_count(gvk, len(converted), 1)
        return _checked(gvk, obj, converted[0], target_api_version)

    @staticmethod
    def _converted_objects(gvk: str, review_version: str, uid: str, answer: bytes) -> list[Any]:
        """The response's ``convertedObjects``, once the review is known to answer this request."""
        try:
            doc = orjson.loads(answer)
        except orjson.JSONDecodeError as exc:
            raise errors.conversion_webhook_failed(gvk, str(exc)) from None
        if not isinstance(doc, dict) or not doc.get("kind"):
            raise errors.conversion_webhook_failed(gvk, errors.object_kind_missing(answer.decode("utf-8", "replace")))
        if review_version == "v1":
            expected = f"{REVIEW_GROUP}/v1, Kind=ConversionReview"
            got = _gvk(str(doc.get("apiVersion") or ""), str(doc["kind"]))
            if got != expected:
                raise errors.conversion_webhook_failed(gvk, errors.webhook_unexpected_review(expected, got))
        response = doc.get("response")
        if not isinstance(response, dict):
            raise errors.conversion_webhook_failed(gvk, errors.WEBHOOK_NO_RESPONSE)
        answered_uid = str(response.get("uid") or "")
        if review_version == "v1" and answered_uid != uid:
            raise errors.conversion_webhook_failed(gvk, errors.webhook_uid_mismatch(uid, answered_uid))
        result = response.get("result")
        if not isinstance(result, dict):
            result = {}
        if result.get("status") != "Success":
            message = str(result.get("message") or "")
            detail = message or errors.webhook_result_not_success(str(result.get("status") or ""))
            raise errors.conversion_webhook_failed(gvk, detail)
        objects = response.get("convertedObjects")
        return objects if isinstance(objects, list) else []


def _checked(gvk: str, original: dict[str, Any], converted: Any, target_api_version: str) -> dict[str, Any]:
    """One converted object, checked as upstream checks it and given back the original's metadata."""
    if not isinstance(converted, dict) or not converted.get("kind"):
        raise errors.conversion_failed(errors.object_kind_missing(orjson.dumps(converted).decode()))
    expected_gv, got_gv = _group_version(target_api_version), _group_version(str(converted.get("apiVersion") or ""))
    if expected_gv != got_gv:
        raise errors.conversion_webhook_invalid_object_at(
            gvk, 0, errors.converted_group_version_mismatch(expected_gv, got_gv))
    if converted["kind"] != original.get("kind"):
        raise errors.conversion_webhook_invalid_object_at(
            gvk, 0, errors.converted_kind_mismatch(str(original.get("kind")), str(converted["kind"])))
    for what, key in (("name", "name"), ("namespace", "namespace"), ("UID", "uid")):
        before, after = _meta_string(original, key), _meta_string(converted, key)
        if before != after:
            raise errors.conversion_webhook_invalid_object(gvk, errors.converted_meta_changed(what, before, after))
    out = dict(converted)
    problem = _restore_metadata(original, out)
    if problem:
        raise errors.conversion_webhook_invalid_metadata(gvk, problem)
    return out


def _restore_metadata(original: Mapping[str, Any], converted: dict[str, Any]) -> str:
    """Upstream's ``restoreObjectMeta``: the original metadata, with the converted labels and annotations;
    the problem found, or ""."""
    if "metadata" not in converted:
        return errors.CONVERTED_METADATA_MISSING
    answered = converted["metadata"]
    if not isinstance(answered, dict):
        return errors.converted_metadata_type(go_type(answered))
    meta = copy.deepcopy(original.get("metadata")) if "metadata" in original else {}
    if not isinstance(meta, dict):
        return errors.converted_metadata_type(go_type(meta))
    for name in ("labels", "annotations"):
        value = answered.get(name)
        if value is None:
            meta.pop(name, None)
            continue
        if not isinstance(value, dict):
            return errors.converted_metadata_field_type(name, go_type(value))
        if meta.get(name) is not None and not isinstance(meta.get(name), dict):
            return errors.converted_metadata_field_type(name, go_type(meta.get(name)), "original")
        for key, item in value.items():
            if not isinstance(item, str):
                return errors.converted_metadata_value_type(name, key, go_type(item))
        meta[name] = value
    converted["metadata"] = meta
    return ""
