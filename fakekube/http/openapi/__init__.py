"""The OpenAPI documents a cluster serves: ``/openapi/v2`` (Swagger 2.0, as JSON or as gnostic protobuf)
and ``/openapi/v3`` (an index plus one OpenAPI 3.0 document per group-version, group and discovery root).

Everything is built from the resource catalog (paths, operations, parameters) and the stripped
definitions of the cluster's Kubernetes version (schemas); nothing is copied from an upstream document,
and the only description texts are those custom resources bring in their own schemas (plus the HTTP
status texts of responses).

The shape follows what kube-apiserver produces, as far as clients look at it:

* kubectl ``explain`` (v3) finds the GVK on an operation of the resource's list/item path and then the
  ``components.schemas`` entry whose ``x-kubernetes-group-version-kind`` list holds it;
* kubectl's field-validation probe (v3) looks at a PATCH operation of the GVK for a ``fieldValidation``
  query parameter, and ``kubectl apply`` only computes strategic merge patches when that PATCH's
  ``requestBody.content`` lists ``application/strategic-merge-patch+json`` (never for custom resources);
* kubectl validates ``kind: List`` manifests itself, with ``/openapi/v2`` fetched as protobuf;
* v3 schemas wrap every ``$ref`` that sits in a property, array item or map value in ``allOf``, value
  fields carry ``default``, and IntOrString/Quantity are ``oneOf`` like in kube-openapi's v3 output.

Serving contract (kube-apiserver's): ``/openapi/v2`` answers ``build_v2_protobuf`` with Content-Type
``V2_PROTOBUF_CONTENT_TYPE`` when Accept names one of ``V2_PROTOBUF_ACCEPT``, else ``build_v2`` as JSON.
``/openapi/v3`` answers ``build_v3_index``; ``/openapi/v3/<path>`` answers ``build_v3_document`` (404 when
None).  When the request carries ``?hash=`` different from ``document_hash(data)``, kube-apiserver
redirects (301) to the current ``serverRelativeURL``; with a matching hash it adds
``Cache-Control: public, immutable``.  The ETag is the quoted ``document_hash``.

Documents are serialized with sorted keys so that equal inputs give equal bytes, and cached per process:
the v2 document by (Kubernetes version, served resources, gitVersion), each v3 document by (Kubernetes
version, document path, the resources it describes), so adding a custom resource rebuilds only the
documents of its group.  The v3 index carries the SHA-512 of every document's bytes (uppercase hex, like
kube-apiserver's ETag); building the index therefore builds each v3 document once, while a request
for one document builds only that document.

The modules, by job: ``constants`` (names, media types, parameters), ``routes`` (one operation each,
naming, discovery routes), ``paths`` (the operations of a resource), ``definitions`` (definition names
and the referenced closure), ``v3_schemas`` and ``custom`` (schema shapes), ``render`` (paths of either
version, serialization, hash), ``cache``, and the builders ``v2``, ``v2_protobuf`` and ``v3``.
"""

from __future__ import annotations

from fakekube.http.openapi.cache import clear_caches
from fakekube.http.openapi.constants import DISCOVERY_PATHS
from fakekube.http.openapi.constants import STATUS_TEXT as STATUS_TEXT
from fakekube.http.openapi.definitions import custom_definition_name
from fakekube.http.openapi.render import document_hash
from fakekube.http.openapi.v2 import build_v2
from fakekube.http.openapi.v2_protobuf import V2_PROTOBUF_ACCEPT, V2_PROTOBUF_CONTENT_TYPE, build_v2_protobuf
from fakekube.http.openapi.v3 import build_v3_document, build_v3_index, v3_document_paths

__all__ = [
    "DISCOVERY_PATHS",
    "V2_PROTOBUF_ACCEPT",
    "V2_PROTOBUF_CONTENT_TYPE",
    "build_v2",
    "build_v2_protobuf",
    "build_v3_document",
    "build_v3_index",
    "clear_caches",
    "custom_definition_name",
    "document_hash",
    "v3_document_paths",
]
