"""The pod spec that Pods and every workload's template share: its defaults and its container rules.

As ``pkg/apis/core/v1/defaults.go`` and ``pkg/apis/core/validation`` apply them wherever a
``PodSpec`` appears (Pods, and the templates of Deployments, Jobs, ...).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from fakekube import errors
from fakekube.errors import FieldError
from fakekube.kinds.validation.common import canonical_quantity, quantity

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
LIFECYCLE_HANDLERS = ("postStart", "preStop")
# SetDefaults_Probe: a field that is unset or 0 gets these.
PROBE_DEFAULTS = (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1), ("failureThreshold", 3))
# The mode of the files a secret, config map, downward API or projected volume writes (0644).
VOLUME_DEFAULT_MODE = 0o644
TOKEN_EXPIRATION_SECONDS = 3600


def _http_get_defaults(action: Any) -> None:
    """SetDefaults_HTTPGetAction: an empty path is ``/`` and an empty scheme ``HTTP``."""
    if isinstance(action, dict):
        if not action.get("path"):
            action["path"] = "/"
        if not action.get("scheme"):
            action["scheme"] = "HTTP"


def probe_defaults(probe: Any) -> None:
    """A probe as the generated defaulters leave it: its timings (``SetDefaults_Probe``), its ``httpGet``
    (``SetDefaults_HTTPGetAction``) and its ``grpc.service`` (``+default=""``)."""
    if not isinstance(probe, dict):
        return
    for name, value in PROBE_DEFAULTS:
        if not probe.get(name):
            probe[name] = value
    _http_get_defaults(probe.get("httpGet"))
    grpc = probe.get("grpc")
    if isinstance(grpc, dict):
        grpc.setdefault("service", "")


def _field_ref_defaults(ref: Any) -> None:
    """SetDefaults_ObjectFieldSelector: a field reference reads ``v1`` unless it says otherwise."""
    if isinstance(ref, dict) and not ref.get("apiVersion"):
        ref["apiVersion"] = "v1"


# distribution/reference's grammar, as ParseNormalizedNamed reads an image (domain, path, tag, digest).
_DOMAIN_PART = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_PART}(?:\.{_DOMAIN_PART})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_PATH_PART = r"[a-z0-9]+(?:(?:[_.]|__|[-]+)[a-z0-9]+)*"
_IMAGE_REFERENCE = re.compile(
    rf"((?:{_DOMAIN}/)?{_PATH_PART}(?:/{_PATH_PART})*)(?::([\w][\w.-]{{0,127}}))?"
    r"(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?")
_HEX64 = re.compile(r"[a-f0-9]{64}")


def image_tag(image: str) -> str:
    """``parsers.ParseImageName``'s tag: the image's tag, ``latest`` when it has neither tag nor digest, and
    empty when it has only a digest or is not a valid reference."""
    if _HEX64.fullmatch(image):
        return ""
    slash = image.find("/")
    first = image[:slash]
    if slash == -1 or (not any(ch in first for ch in ".:") and first != "localhost" and first.lower() == first):
        image, remainder = "docker.io/" + image, image
    else:
        remainder = image[slash + 1:]
    if remainder.split(":", 1)[0].lower() != remainder.split(":", 1)[0]:
        return ""
    match = _IMAGE_REFERENCE.fullmatch(image)
    if match is None or len(match.group(1)) > 255:
        return ""
    tag, digest = match.group(2) or "", match.group(3) or ""
    return "latest" if not tag and not digest else tag


def resource_list_defaults(resources: Any) -> None:
    """``SetDefaults_ResourceList``: every quantity rounded up to milli-units, then stored as Go encodes it
    (``Quantity.String()``: ``0.5`` is ``500m``, ``1024Mi`` is ``1Gi``)."""
    if not isinstance(resources, dict):
        return
    for key, value in resources.items():
        found = quantity(value)
        if found is None:
            continue
        milli = found.value * 1000
        if milli != milli.to_integral_value():
            text = str(value).strip()
            exponent = text.lstrip("+-0123456789.")[:1] in ("e", "E")
            value = f"{math.ceil(milli)}{'e-3' if exponent else 'm'}"
        resources[key] = canonical_quantity(value) or value


def _requirements_defaults(resources: Any) -> None:
    if isinstance(resources, dict):
        for field in ("limits", "requests"):
            resource_list_defaults(resources.get(field))


def container_defaults(c: dict[str, Any]) -> None:
    """``SetDefaults_Container`` and what the generated defaulters set inside a container (ports, field
    references, probes, lifecycle handlers, resource lists); the same for init and ephemeral containers.
    An empty string is unset, as in Go."""
    if not c.get("terminationMessagePath"):
        c["terminationMessagePath"] = "/dev/termination-log"
    if not c.get("terminationMessagePolicy"):
        c["terminationMessagePolicy"] = "File"
    if not c.get("imagePullPolicy"):
        c["imagePullPolicy"] = "Always" if image_tag(str(c.get("image", ""))) == "latest" else "IfNotPresent"
    for port in c.get("ports") or []:
        if isinstance(port, dict) and not port.get("protocol"):
            port["protocol"] = "TCP"
    for env in c.get("env") or []:
        value_from = env.get("valueFrom") if isinstance(env, dict) else None
        if isinstance(value_from, dict):
            _field_ref_defaults(value_from.get("fieldRef"))
            file_key_ref = value_from.get("fileKeyRef")
            if isinstance(file_key_ref, dict):
                file_key_ref.setdefault("optional", False)
    c.setdefault("resources", {})
    _requirements_defaults(c.get("resources"))
    for name in PROBES:
        probe_defaults(c.get(name))
    lifecycle = c.get("lifecycle")
    if isinstance(lifecycle, dict):
        for name in LIFECYCLE_HANDLERS:
            handler = lifecycle.get(name)
            if isinstance(handler, dict):
                _http_get_defaults(handler.get("httpGet"))


def _downward_items_defaults(source: Any) -> None:
    if isinstance(source, dict):
        for item in source.get("items") or []:
            if isinstance(item, dict):
                _field_ref_defaults(item.get("fieldRef"))


def claim_spec_defaults(spec: dict[str, Any]) -> None:
    """SetDefaults_PersistentVolumeClaimSpec: a claim asks for a filesystem unless it says ``Block``
    (a claim, a StatefulSet's claim templates, an ephemeral volume's)."""
    spec.setdefault("volumeMode", "Filesystem")


def claim_defaults(claim: dict[str, Any]) -> None:
    """A PersistentVolumeClaim's defaults where one is embedded whole (a StatefulSet's claim templates):
    its spec's, and the ``Pending`` phase of ``SetDefaults_PersistentVolumeClaim``."""
    spec = claim.get("spec")
    if isinstance(spec, dict):
        claim_spec_defaults(spec)
    status = claim.setdefault("status", {})
    if isinstance(status, dict) and not status.get("phase"):
        status["phase"] = "Pending"


def volume_defaults(volume: dict[str, Any]) -> None:
    """The defaults of a volume's source: an empty directory when it names none (``SetDefaults_Volume``),
    file modes, a host path's type, a projected token's lifetime."""
    if set(volume) <= {"name"}:
        volume["emptyDir"] = {}
    for source in ("secret", "configMap", "downwardAPI", "projected"):
        found = volume.get(source)
        if isinstance(found, dict):
            found.setdefault("defaultMode", VOLUME_DEFAULT_MODE)
    host_path = volume.get("hostPath")
    if isinstance(host_path, dict):
        host_path.setdefault("type", "")
    image = volume.get("image")
    if isinstance(image, dict) and not image.get("pullPolicy"):
        latest = image_tag(str(image.get("reference", ""))) == "latest"
        image["pullPolicy"] = "Always" if latest else "IfNotPresent"
    ephemeral = volume.get("ephemeral")
    claim = ephemeral.get("volumeClaimTemplate") if isinstance(ephemeral, dict) else None
    if isinstance(claim, dict) and isinstance(claim.get("spec"), dict):
        claim_spec_defaults(claim["spec"])
    _downward_items_defaults(volume.get("downwardAPI"))
    projected = volume.get("projected")
    for source in (projected.get("sources") or []) if isinstance(projected, dict) else []:
        if isinstance(source, dict):
            _downward_items_defaults(source.get("downwardAPI"))
            token = source.get("serviceAccountToken")
            if isinstance(token, dict):
                token.setdefault("expirationSeconds", TOKEN_EXPIRATION_SECONDS)


def defaults(spec: dict[str, Any]) -> None:
    """``SetDefaults_PodSpec`` and the defaults of what a pod spec holds (volumes, containers), as the
    generated ``SetObjectDefaults_*`` apply them to a Pod and to every pod template."""
    for volume in spec.get("volumes") or []:
        if isinstance(volume, dict):
            volume_defaults(volume)
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for c in spec.get(field) or []:
            if isinstance(c, dict):
                container_defaults(c)
    # the deprecated serviceAccount is an alias kept equal to serviceAccountName, which wins when both are set
    if not spec.get("serviceAccountName") and spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    else:
        spec.pop("serviceAccount", None)
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    resource_list_defaults(spec.get("overhead"))
    _requirements_defaults(spec.get("resources"))


def template_defaults(obj: dict[str, Any]) -> None:
    """Defaults of a workload's ``spec.template.spec``."""
    pod_template_defaults(obj.setdefault("spec", {}).get("template"))


def pod_template_defaults(template: Any) -> None:
    """Defaults of a ``PodTemplateSpec``'s pod spec (a workload's, a CronJob's job template's, a PodTemplate's)."""
    if isinstance(template, dict):
        defaults(template.setdefault("spec", {}))


def containers(pod_spec: Mapping[str, Any], path: str) -> list[FieldError]:
    """Containers required, each with an image, names unique across init and regular containers."""
    out: list[FieldError] = []
    regular = pod_spec.get("containers")
    if regular is not None and not regular:
        out.append(errors.required(f"{path}.containers"))
    seen: set[str] = set()
    for field in ("initContainers", "containers"):
        for i, container in enumerate(pod_spec.get(field) or []):
            if not isinstance(container, dict):
                continue
            name = container.get("name")
            if isinstance(name, str) and name:
                if name in seen:
                    out.append(errors.FieldError("FieldValueDuplicate", f"{path}.{field}[{i}].name", name))
                seen.add(name)
            if not container.get("image"):
                out.append(errors.required(f"{path}.{field}[{i}].image"))
    return out


def as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def template_spec(obj: Mapping[str, Any]) -> dict[str, Any]:
    return as_dict(as_dict(as_dict(obj.get("spec")).get("template")).get("spec"))


def template_containers(obj: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [c for c in template_spec(obj).get("containers") or [] if isinstance(c, dict)]
