"""Every error fakekube returns, worded and serialized as kube-apiserver does.

Clients such as kubectl print ``message`` verbatim and some compare whole bodies, so the wording
follows ``k8s.io/apimachinery/pkg/api/errors``, ``pkg/util/validation/field`` and the component that
words each error upstream, and ``StatusError.to_bytes`` keeps the Go field order of ``metav1.Status``.
This package is the only place that words errors, one module per area; the other layers use the
constructors through this package (``errors.not_found(...)``), which re-exports every module's names.
"""

from __future__ import annotations

from fakekube.errors.admission import *  # noqa: F403
from fakekube.errors.apply import *  # noqa: F403
from fakekube.errors.cel import *  # noqa: F403
from fakekube.errors.cel_runtime import *  # noqa: F403
from fakekube.errors.conversion import *  # noqa: F403
from fakekube.errors.core_validation import *  # noqa: F403
from fakekube.errors.crd import *  # noqa: F403
from fakekube.errors.crd_schema import *  # noqa: F403
from fakekube.errors.crd_webhook import *  # noqa: F403
from fakekube.errors.custom_resources import *  # noqa: F403
from fakekube.errors.fields import *  # noqa: F403
from fakekube.errors.group_validation import *  # noqa: F403
from fakekube.errors.lifecycle import *  # noqa: F403
from fakekube.errors.pipeline import *  # noqa: F403
from fakekube.errors.pod_validation import *  # noqa: F403
from fakekube.errors.pod_warnings import *  # noqa: F403
from fakekube.errors.runtime_config import *  # noqa: F403
from fakekube.errors.status import *  # noqa: F403
from fakekube.errors.workload_validation import *  # noqa: F403
