"""The root CA certificate publisher: every namespace has the ``kube-root-ca.crt`` ConfigMap.

As kube-controller-manager's ``root-ca-cert-publisher`` (``pkg/controller/certificates/rootcacertpublisher/
publisher.go``): a namespace added, or updated while ``Active``, is queued, and so is the namespace of a
``kube-root-ca.crt`` ConfigMap that is deleted or updated.  Syncing creates the ConfigMap when it is
missing (``data: {ca.crt: <PEM>}`` and the ``kubernetes.io/description`` annotation, no labels), and puts
the data and the annotation back when someone changed them.  Upstream does not look at the namespace's
phase: a create refused because the namespace is gone or terminating is simply dropped, as here.

The certificate: fakekube serves no TLS yet, so there is no cluster CA to publish.  ``ROOT_CA`` is a
placeholder, a self-signed ``CN=kubernetes`` CA certificate (as kubeadm's) generated once with openssl and
committed, its key thrown away: the same bytes in every cluster, costing nothing at start.  The issue that
gives each cluster its own CA replaces it with that CA's certificate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson

from fakekube.controllers.namespace_queue import NamespaceQueue, create_ignoring_terminating
from fakekube.registry.context import Context, UserInfo
from fakekube.storage import ADDED, DELETED, Event, Store

CONFIG_MAP = "kube-root-ca.crt"
TABLE = "configmaps"
DESCRIPTION_ANNOTATION = "kubernetes.io/description"
DESCRIPTION = ("Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints "
               "such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
               "distributions of Kubernetes clusters.")
ROOT_CA = """\
-----BEGIN CERTIFICATE-----
MIIDGzCCAgOgAwIBAgIUWAuvxeao0RNkNpQbxh8J3f8N05gwDQYJKoZIhvcNAQEL
BQAwFTETMBEGA1UEAwwKa3ViZXJuZXRlczAeFw0yNjEyMDIxMTM2MDlaFw0zNjEx
MjkxMTM2MDlaMBUxEzARBgNVBAMMCmt1YmVybmV0ZXMwggEiMA0GCSqGSIb3DQEB
AQUAA4IBDwAwggEKAoIBAQCs5ee20nrOB0YSajPuORQmUfj8hr/IvgKlugliwrlt
CoQy1VjJpoSG4keLBC2dNZhnAkum7nzAxMCEZFtjmFKISjtBrbunCJi3p4/dOUjw
tGUOAxk41t52JQ+vJMSmyZYwdZwhMOptPnAKGqV6WToCc8Nvfg5b1C0r5oIyGjbS
UX2J/ZyrhwWrqSbHJV5Ss9IEcqxmkmk1rQfV4k6JsA+hFSmWciptGaZbF84xW4FN
CngjK3LMoqtO/ut2VuP3s07xtrgLc6XaOobs7fkr5jKAQVKj69BV9oO+lGkrkbc4
CpXwTdXtBf5JFNxsbPuHWq6+sRN0GMf44zdlHchqP+M5AgMBAAGjYzBhMB0GA1Ud
DgQWBBR/HxiS7iYLc1JgDUIUI+92Y0LIZDAfBgNVHSMEGDAWgBR/HxiS7iYLc1Jg
DUIUI+92Y0LIZDAOBgNVHQ8BAf8EBAMCAqQwDwYDVR0TAQH/BAUwAwEB/zANBgkq
hkiG9w0BAQsFAAOCAQEAoZgFwLIw/pOLlbRRXcpuWKNQSYkvQ8/Aq3kvtlq92Lo1
IAUMQX7i5R8x0Y9LBx5RUtuHlX2OiidONKnWjncNlWZ2Wb+KktTR0ThOEc9IGH6L
g6KJgwhYCPI6feypeg6HDIYoYHu9UJtTTjcS93bt1gc+NgBcNVXnvC25jAkW6FeY
2Uegep/aXVv0T70VZOoalUIQvZqSR6IxFb8bqCJDE5ND9gHFVvn7I+OVNXhZaXKz
12Avq0maFhPB1ur+nf9AfaS6+/i4m2+M2YZIy8Vuunlp3fMW3DaPkhWBS3IUQdVH
Rs6uDYnZxQVIaeTU0h7UszHy+C2DJyo5AhOty9oSSQ==
-----END CERTIFICATE-----
"""
IDENTITY = Context(user=UserInfo("system:serviceaccount:kube-system:root-ca-cert-publisher",
                                 ("system:serviceaccounts", "system:serviceaccounts:kube-system",
                                  "system:authenticated")),
                   user_agent="kube-controller-manager/v1 (linux/amd64) kubernetes/fakekube/root-ca-cert-publisher")


class RootCAPublisher(NamespaceQueue):
    name = "root-ca-cert-publisher"

    def start(self, store: Store, notify: Callable[[], None]) -> None:
        super().start(store, notify)
        store.subscribe("namespaces", self._on_namespace)
        store.subscribe(TABLE, self._on_config_map)

    def _on_namespace(self, event: Event) -> None:
        if event.type == ADDED or (event.type != DELETED and b'"phase":"Active"' in event.data):
            self._enqueue(event.key[1])

    def _on_config_map(self, event: Event) -> None:
        if event.type != ADDED and event.key[1] == CONFIG_MAP:
            self._enqueue(event.key[0])

    def process_one(self) -> None:
        namespace = self._next()
        res = self.registry.catalog.get("", "v1", TABLE)
        if res is None:
            return
        data = self.registry.store.get(TABLE, (namespace, CONFIG_MAP))
        if data is None:
            if self.registry.store.get("namespaces", ("", namespace)) is not None:
                create_ignoring_terminating(self.registry, IDENTITY, res, namespace, {
                    "metadata": {"name": CONFIG_MAP, "annotations": {DESCRIPTION_ANNOTATION: DESCRIPTION}},
                    "data": {"ca.crt": ROOT_CA}})
            return
        config_map: dict[str, Any] = orjson.loads(data)
        annotations = config_map["metadata"].get("annotations") or {}
        if config_map.get("data") == {"ca.crt": ROOT_CA} and annotations.get(DESCRIPTION_ANNOTATION):
            return
        config_map["data"] = {"ca.crt": ROOT_CA}
        config_map["metadata"]["annotations"] = {**annotations, DESCRIPTION_ANNOTATION: DESCRIPTION}
        self.registry.update(IDENTITY, res, namespace, CONFIG_MAP, config_map)
