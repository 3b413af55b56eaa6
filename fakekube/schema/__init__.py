"""What fakekube knows about the shape of API objects: one schema model and what reads it.

* ``Schema`` (``model``): the resolved schema of a type, read by validation, pruning, strategic
  merge patch and the OpenAPI documents.  ``builtin_schema`` gives the shared, lazily resolved node
  of a built-in definition (``builtin``); ``custom_schema`` the node of a CRD's ``openAPIV3Schema``
  (``custom``).
* ``validator_for`` (``validation``): the compiled validator of a node, which decodes, prunes and
  validates a request body the way kube-apiserver does for that kind of resource.
* ``files``: the generated schema files shipped with the package (``schemas/v1.NN``).

The modules import nothing above this layer; nothing here is built until it is first used.
"""

from __future__ import annotations

from fakekube.schema.builtin import builtin_definition_names, builtin_schema
from fakekube.schema.custom import custom_schema
from fakekube.schema.model import GroupVersionKind, Schema
from fakekube.schema.validation import Validator, validator_for

__all__ = [
    "GroupVersionKind",
    "Schema",
    "Validator",
    "builtin_definition_names",
    "builtin_schema",
    "custom_schema",
    "validator_for",
]
