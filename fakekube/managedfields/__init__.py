"""Server-side apply's field ownership, as sigs.k8s.io/structured-merge-diff computes it.

``fieldpath`` (sets of field paths and their ``FieldsV1`` form), ``shapes`` (how a ``Schema`` node is
walked), ``fieldsets`` (the sets values set), ``typed`` (comparison, merge, removal), ``merge`` (who owns
what after an update or an apply, and conflicts) and ``entries`` (``metadata.managedFields`` read and
written).  Pure functions of
objects and schemas: the registry's field manager (``fakekube.registry.fieldmanager``) drives them.
"""
