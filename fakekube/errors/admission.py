"""Texts of the built-in admission plugins (``plugin/pkg/admission``), each refusal a 403 ``Forbidden`` made by
``admission.NewForbidden`` from the plugin's own error."""

from __future__ import annotations

from fakekube.errors.status import StatusError, qualified

__all__ = [
    "MIRROR_POD_SECRETS",
    "MIRROR_POD_SERVICE_ACCOUNT",
    "MIRROR_POD_TOKEN",
    "admission_forbidden",
    "limit_ranger_forbidden",
    "preemption_policy_given",
    "priority_class_not_found",
    "priority_default_exists",
    "priority_value_given",
    "pull_secret_not_allowed",
    "secret_env_from_not_allowed",
    "secret_env_not_allowed",
    "secret_volume_not_allowed",
    "service_account_lookup_failed",
    "service_account_unspecified",
]


def admission_forbidden(resource: str, group: str, name: str, detail: str) -> StatusError:
    """``errors.NewForbidden`` of the written resource and name (none for a name not known yet)."""
    what = f'{qualified(resource, group)} "{name}"' if name else qualified(resource, group)
    return StatusError(403, "Forbidden", f"{what} is forbidden: {detail}", name, group, resource)


def service_account_lookup_failed(namespace: str, name: str) -> str:
    """ServiceAccount: a pod names an account that does not exist (after the retries for ``default``)."""
    return f'error looking up service account {namespace}/{name}: serviceaccount "{name}" not found'


def priority_class_not_found(name: str) -> str:
    return f"no PriorityClass with name {name} was found"


def priority_value_given(given: int, computed: int) -> str:
    return (f"the integer value of priority ({given}) must not be provided in pod spec; priority admission "
            f"controller computed {computed} from the given PriorityClass name")


def preemption_policy_given(given: str, computed: str) -> str:
    return (f"the string value of PreemptionPolicy ({given}) must not be provided in pod spec; priority admission "
            f"controller computed {computed} from the given PriorityClass name")


def priority_default_exists(name: str) -> str:
    return f"PriorityClass {name} is already marked as default. Only one default can exist"


def limit_ranger_forbidden(details: list[str]) -> str:
    """LimitRanger's validation: every limit a pod breaks, joined as ``utilerrors.NewAggregate`` prints them."""
    if len(details) == 1:
        return details[0]
    return "[" + ", ".join(details) + "]"


MIRROR_POD_SERVICE_ACCOUNT = "a mirror pod may not reference service accounts"
MIRROR_POD_SECRETS = "a mirror pod may not reference secrets"
MIRROR_POD_TOKEN = "a mirror pod may not use ServiceAccountToken volume projections"


def service_account_unspecified(namespace: str, name: str) -> str:
    return f"no service account specified for pod {namespace}/{name}"


def secret_volume_not_allowed(secret: str, account: str) -> str:
    return (f'volume with secret.secretName="{secret}" is not allowed because service account {account} does not '
            "reference that secret")


def secret_env_not_allowed(what: str, container: str, env: str, secret: str, account: str) -> str:
    return (f'{what} {container} with envVar {env} referencing secret.secretName="{secret}" is not allowed because '
            f"service account {account} does not reference that secret")


def secret_env_from_not_allowed(what: str, container: str, secret: str, account: str) -> str:
    return (f'{what} {container} with envFrom referencing secret.secretName="{secret}" is not allowed because '
            f"service account {account} does not reference that secret")


def pull_secret_not_allowed(index: int, secret: str, account: str) -> str:
    return (f'imagePullSecrets[{index}].name="{secret}" is not allowed because service account {account} does not '
            "reference that imagePullSecret")
