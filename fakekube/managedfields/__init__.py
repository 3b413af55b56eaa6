"""Server-side apply's field ownership, as sigs.k8s.io/structured-merge-diff computes it.

``fieldpath`` (sets of field paths and their ``FieldsV1`` form), ``typed`` (objects walked through their
``Schema``: field sets, comparison, merge, removal), ``merge`` (who owns what after an update or an
apply, and conflicts) and ``entries`` (``metadata.managedFields`` read and written).  Pure functions of
objects and schemas: the registry's field manager (``fakekube.registry.fieldmanager``) drives them.
"""
