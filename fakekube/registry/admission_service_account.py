"""The ServiceAccount admission plugin (``plugin/pkg/admission/serviceaccount``): every pod runs as a
ServiceAccount that exists, and gets its API credentials mounted.

A new pod naming no account runs as ``default`` (``serviceAccountName`` and the deprecated ``serviceAccount``).
The account must exist in the pod's namespace, else the pod is refused (kube-apiserver retries a missing
``default`` for about a second, waiting for the controller; here a write runs to its end at once, so the
account must be there before the pod).  Unless the pod or the account turns ``automountServiceAccountToken``
off, a projected ``kube-api-access-<5 random characters>`` volume (a bound token, the cluster's CA bundle, the
namespace) is added and mounted read-only at ``/var/run/secrets/kubernetes.io/serviceaccount`` in every init
container and container that has nothing mounted there.  A pod without image pull secrets takes the account's.
An account annotated ``kubernetes.io/enforce-mountable-secrets: "true"`` limits the secrets its pods may use to
the ones it lists.  Mirror pods (kubelet's static pods) may reference no account, secret or token.
"""

from __future__ import annotations

from typing import Any

from fakekube import errors
from fakekube.name_rules import generate_name
from fakekube.registry.admission_attributes import CREATE, Attributes, stored
from fakekube.storage import Store

DEFAULT_ACCOUNT = "default"
VOLUME_PREFIX = "kube-api-access-"
MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror"
ENFORCE_MOUNTABLE_SECRETS = "kubernetes.io/enforce-mountable-secrets"
# ``serviceaccount.WarnOnlyBoundTokenExpirationSeconds``: an hour and seven seconds
TOKEN_EXPIRATION_SECONDS = 3607


def token_volume(name: str) -> dict[str, Any]:
    """``TokenVolumeSource``: the projected volume of a pod's API credentials."""
    return {"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace",
                                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ]}}


def _pod(attrs: Attributes) -> dict[str, Any] | None:
    if not attrs.is_core("pods") or attrs.obj is None or not isinstance(attrs.obj.get("spec"), dict):
        return None
    return attrs.obj


def _is_mirror(pod: dict[str, Any]) -> bool:
    annotations = pod["metadata"].get("annotations")
    return isinstance(annotations, dict) and MIRROR_POD_ANNOTATION in annotations


def _forbidden(attrs: Attributes, detail: str) -> errors.StatusError:
    return errors.admission_forbidden(attrs.resource.plural, attrs.resource.group, attrs.name, detail)


def _account(store: Store, attrs: Attributes, name: str) -> dict[str, Any]:
    found = stored(store, "serviceaccounts", attrs.namespace, name)
    if found is None:
        raise _forbidden(attrs, errors.service_account_lookup_failed(attrs.namespace, name))
    return found


def _automount(account: dict[str, Any], spec: dict[str, Any]) -> bool:
    if isinstance(spec.get("automountServiceAccountToken"), bool):
        return bool(spec["automountServiceAccountToken"])
    if isinstance(account.get("automountServiceAccountToken"), bool):
        return bool(account["automountServiceAccountToken"])
    return True


def _mount_token(spec: dict[str, Any]) -> None:
    volumes = spec.get("volumes") if isinstance(spec.get("volumes"), list) else []
    assert isinstance(volumes, list)
    existing = next((v["name"] for v in volumes if isinstance(v, dict) and isinstance(v.get("name"), str)
                     and v["name"].startswith(VOLUME_PREFIX)), None)
    name = existing or generate_name(VOLUME_PREFIX)
    mounted = False
    for field in ("initContainers", "containers"):
        for container in spec.get(field) or []:
            if not isinstance(container, dict):
                continue
            mounts = container.get("volumeMounts") if isinstance(container.get("volumeMounts"), list) else []
            assert isinstance(mounts, list)
            if any(isinstance(m, dict) and m.get("mountPath") == MOUNT_PATH for m in mounts):
                continue
            container["volumeMounts"] = [*mounts, {"name": name, "readOnly": True, "mountPath": MOUNT_PATH}]
            mounted = True
    if existing is None and mounted:
        spec["volumes"] = [*volumes, token_volume(name)]


def admit(store: Store, attrs: Attributes) -> None:
    pod = _pod(attrs)
    if pod is None or attrs.operation != CREATE or _is_mirror(pod):
        return
    spec = pod["spec"]
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = DEFAULT_ACCOUNT
        spec["serviceAccount"] = DEFAULT_ACCOUNT
    account = _account(store, attrs, spec["serviceAccountName"])
    if _automount(account, spec):
        _mount_token(spec)
    if not spec.get("imagePullSecrets"):
        secrets = [{"name": s.get("name", "")} for s in account.get("imagePullSecrets") or [] if isinstance(s, dict)]
        if secrets:
            spec["imagePullSecrets"] = secrets
        else:
            spec.pop("imagePullSecrets", None)


def validate(store: Store, attrs: Attributes) -> None:
    pod = _pod(attrs)
    if pod is None or attrs.operation != CREATE:
        return
    spec = pod["spec"]
    if _is_mirror(pod):
        _validate_mirror(attrs, spec)
        return
    name = spec.get("serviceAccountName")
    if not name:
        raise _forbidden(attrs, errors.service_account_unspecified(attrs.namespace, pod["metadata"].get("name", "")))
    account = _account(store, attrs, name)
    annotations = account["metadata"].get("annotations") or {}
    if str(annotations.get(ENFORCE_MOUNTABLE_SECRETS, "")).lower() in ("1", "t", "true"):
        problem = _unmountable_secret(account, spec)
        if problem:
            raise _forbidden(attrs, problem)


def _validate_mirror(attrs: Attributes, spec: dict[str, Any]) -> None:
    """A mirror pod stands for a static pod the kubelet runs: it may not use the API's credentials."""
    if spec.get("serviceAccountName"):
        raise _forbidden(attrs, errors.MIRROR_POD_SERVICE_ACCOUNT)
    if _secret_names(spec):
        raise _forbidden(attrs, errors.MIRROR_POD_SECRETS)
    for volume in spec.get("volumes") or []:
        sources = ((volume or {}).get("projected") or {}).get("sources") or []
        if any(isinstance(s, dict) and s.get("serviceAccountToken") is not None for s in sources):
            raise _forbidden(attrs, errors.MIRROR_POD_TOKEN)


def _secret_names(spec: dict[str, Any]) -> list[str]:
    """The secrets a pod spec references (``VisitPodSecretNames``, for the sources kube-apiserver checks most
    often: image pull secrets, secret volumes and projections, env and envFrom of every container)."""
    names = [s.get("name", "") for s in spec.get("imagePullSecrets") or [] if isinstance(s, dict)]
    for volume in spec.get("volumes") or []:
        if not isinstance(volume, dict):
            continue
        if isinstance(volume.get("secret"), dict):
            names.append(volume["secret"].get("secretName", ""))
        for source in (volume.get("projected") or {}).get("sources") or []:
            if isinstance(source, dict) and isinstance(source.get("secret"), dict):
                names.append(source["secret"].get("name", ""))
    for field in ("initContainers", "containers", "ephemeralContainers"):
        for container in spec.get(field) or []:
            for env in (container or {}).get("env") or []:
                ref = ((env or {}).get("valueFrom") or {}).get("secretKeyRef")
                if isinstance(ref, dict):
                    names.append(ref.get("name", ""))
            for env_from in (container or {}).get("envFrom") or []:
                ref = (env_from or {}).get("secretRef")
                if isinstance(ref, dict):
                    names.append(ref.get("name", ""))
    return names


def _unmountable_secret(account: dict[str, Any], spec: dict[str, Any]) -> str:
    """``limitSecretReferences``: the first secret the pod uses that its account does not list, worded."""
    account_name = account["metadata"].get("name", "")
    mountable = {s.get("name", "") for s in account.get("secrets") or [] if isinstance(s, dict)}
    for volume in spec.get("volumes") or []:
        secret = (volume or {}).get("secret")
        if isinstance(secret, dict) and secret.get("secretName", "") not in mountable:
            return errors.secret_volume_not_allowed(secret.get("secretName", ""), account_name)
    for field, what in (("initContainers", "init container"), ("containers", "container")):
        for container in spec.get(field) or []:
            container_name = (container or {}).get("name", "")
            for env in (container or {}).get("env") or []:
                ref = ((env or {}).get("valueFrom") or {}).get("secretKeyRef")
                if isinstance(ref, dict) and ref.get("name", "") not in mountable:
                    return errors.secret_env_not_allowed(what, container_name, env.get("name", ""),
                                                         ref.get("name", ""), account_name)
            for env_from in (container or {}).get("envFrom") or []:
                ref = (env_from or {}).get("secretRef")
                if isinstance(ref, dict) and ref.get("name", "") not in mountable:
                    return errors.secret_env_from_not_allowed(what, container_name, ref.get("name", ""),
                                                              account_name)
    pull = {s.get("name", "") for s in account.get("imagePullSecrets") or [] if isinstance(s, dict)}
    for i, ref in enumerate(spec.get("imagePullSecrets") or []):
        if isinstance(ref, dict) and ref.get("name", "") not in pull:
            return errors.pull_secret_not_allowed(i, ref.get("name", ""), account_name)
    return ""
