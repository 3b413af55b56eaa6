"""Events, in the core group and in ``events.k8s.io`` (one stored resource, two shapes).

Both may be created by a PUT (``AllowCreateOnUpdate``), and each group has its own field labels:
``events.k8s.io`` names are renamed onto the core Event's field set, and the core spellings
(``involvedObject.*``) are not accepted there.
"""

from __future__ import annotations

from types import MappingProxyType

from fakekube.kinds.field_labels import EVENT_READERS, INVOLVED, META, KindFields, fields, first, string
from fakekube.kinds.strategy import GC_UNSUPPORTED, Strategy
from fakekube.kinds.validation.core_events import validate_event

# Events take no propagation policy (``eventStrategy.DefaultGarbageCollectionPolicy``: Unsupported).
CORE_EVENT = Strategy(
    allow_create_on_update=True,
    validate=validate_event,
    validation_ported=True,
    default_gc_policy=GC_UNSUPPORTED,
    # core/v1 Events skip ObjectMeta name validation for compatibility
    name_rule="none",
    kube_finalizers=True,
    field_labels=fields({
        **{f"involvedObject.{f}": string(f"involvedObject.{f}") for f in INVOLVED},
        **EVENT_READERS,
        "reportingComponent": string("reportingComponent"),
        "source": first(string("source.component"), string("reportingComponent")),
    }),
)

EVENTS_V1_EVENT = Strategy(
    allow_create_on_update=True,
    invalid_group="",
    validate=validate_event,
    validation_ported=True,
    default_gc_policy=GC_UNSUPPORTED,
    kube_finalizers=True,
    field_labels=KindFields(
        MappingProxyType({
            **{name: name for name in (*META, "reason", "type", "source")},
            **{f"regarding.{f}": f"involvedObject.{f}" for f in INVOLVED},
            "reportingController": "reportingComponent",
        }),
        MappingProxyType({
            **{f"involvedObject.{f}": string(f"regarding.{f}") for f in INVOLVED},
            **EVENT_READERS,
            "reportingComponent": string("reportingController"),
            "source": first(string("deprecatedSource.component"), string("reportingController")),
        }),
    ),
)
