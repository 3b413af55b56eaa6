"""The ``kubernetes`` Service of the ``default`` namespace, its Endpoints and its EndpointSlice.

kube-apiserver's ``kubernetesservice`` controller (``pkg/controlplane/controller/kubernetesservice``)
creates the Service that points in-cluster clients at the API server, and its endpoint reconciler
(``pkg/controlplane/reconcilers``, the default ``lease`` one, through ``EndpointsAdapter``) writes the
Endpoints and mirrors them into an EndpointSlice.  What each stores, field for field:

* Service: labels ``component: apiserver`` and ``provider: kubernetes``; one port ``https``, TCP, 443,
  ``targetPort`` the secure port; ``clusterIP`` the first address of the service range (10.96.0.1 here),
  ``SingleStack``, ``sessionAffinity: None``, type ``ClusterIP``, no selector;
* Endpoints: label ``endpointslice.kubernetes.io/skip-mirror: "true"`` (the mirroring controller leaves it
  alone), one subset with the API server's address and the port ``https``/TCP/secure port;
* EndpointSlice ``kubernetes``: label ``kubernetes.io/service-name: kubernetes`` only (no ``managed-by``:
  the API server writes it itself), ``addressType: IPv4``, one ready endpoint, the same port.

Address and port: upstream's are the advertise address and ``--secure-port`` (6443).  Here the address
is the cluster's own host (127.0.0.1 unless it serves on another IP; an unspecified or non-IP host gives
127.0.0.1), and the port is the one it serves on when the settings fix it; with an ephemeral port (the
default) it is 6443, as upstream: the objects are created with the cluster, before a port is chosen, and
rewriting them at every start would cost writes and events a test did not make.  A client that reads the
Endpoints to find the API server therefore reaches it when the cluster is given a fixed port.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from fakekube.registry.context import Context
from fakekube.registry.rest import Registry

SERVICE_NAME = "kubernetes"
NAMESPACE = "default"
SERVICE_IP = "10.96.0.1"  # the first address of the service range (``Registry.allocate_cluster_ip`` skips it)
SECURE_PORT = 6443


def endpoint_address(host: str) -> str:
    """The address the Endpoints give for the API server: the cluster's host when it is a usable IP."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return "127.0.0.1"
    return "127.0.0.1" if ip.is_unspecified else str(ip)


def endpoint_port(port: int) -> int:
    return port or SECURE_PORT


def _objects(address: str, port: int) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(group, version, plural, body) of each object, in the order upstream writes them."""
    ipv6 = ":" in address
    service = {
        "metadata": {"name": SERVICE_NAME, "namespace": NAMESPACE,
                     "labels": {"provider": "kubernetes", "component": "apiserver"}},
        "spec": {"ports": [{"name": "https", "protocol": "TCP", "port": 443, "targetPort": port}],
                 "clusterIP": SERVICE_IP, "type": "ClusterIP", "sessionAffinity": "None",
                 "ipFamilyPolicy": "SingleStack"},
    }
    endpoints = {
        "metadata": {"name": SERVICE_NAME, "namespace": NAMESPACE,
                     "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
        "subsets": [{"addresses": [{"ip": address}], "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}],
    }
    endpoint_slice = {
        "metadata": {"name": SERVICE_NAME, "namespace": NAMESPACE,
                     "labels": {"kubernetes.io/service-name": SERVICE_NAME}},
        "addressType": "IPv6" if ipv6 else "IPv4",
        "endpoints": [{"addresses": [address], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "protocol": "TCP", "port": port}],
    }
    return [("", "v1", "services", service), ("", "v1", "endpoints", endpoints),
            ("discovery.k8s.io", "v1", "endpointslices", endpoint_slice)]


def create_kubernetes_service(registry: Registry, ctx: Context, host: str, port: int) -> None:
    """Write the three objects through the registry as kube-apiserver (a resource not served is skipped, as
    a disabled API group leaves its object out)."""
    for group, version, plural, body in _objects(endpoint_address(host), endpoint_port(port)):
        res = registry.catalog.get(group, version, plural)
        if res is not None:
            registry.create(ctx, res, NAMESPACE, body)
