"""kube-apiserver's validation of built-in kinds (``pkg/apis/<group>/validation``), ported rule by rule.

One module per area: the pod spec and what it holds (``pod_*``), the workloads (``apps``, ``batch``,
``autoscaling``, ``policy``), the other core kinds (``core_*``) and the other groups.  Each function
returns ``FieldError``s with upstream's field paths, types and texts (worded in ``fakekube.errors``),
and is called from the kind's ``Strategy.validate`` in ``fakekube/kinds``.  Rules shared by several
kinds (label selectors, labels, quantities, non-negative numbers) live in ``common``.
"""
