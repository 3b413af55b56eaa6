"""How kube-apiserver's printers write labels, selectors and containers in a cell (``labels.FormatLabels``,
``metav1.FormatLabelSelector``, ``layoutContainerCells``)."""

from __future__ import annotations

from typing import Any


def as_dict(value: Any) -> dict[str, Any]:
    """A field that should hold an object, or an empty one (odd stored shapes print as empty cells)."""
    return value if isinstance(value, dict) else {}


def container_cells(template: Any) -> tuple[str, str]:
    """A pod template's container names and images, comma-separated ("" without containers)."""
    containers = [as_dict(c) for c in as_dict(as_dict(template).get("spec")).get("containers") or []]
    return (",".join(str(c.get("name", "")) for c in containers),
            ",".join(str(c.get("image", "")) for c in containers))


def format_labels(labels: Any) -> str:
    """``k=v`` pairs sorted by key, ``<none>`` when there are none."""
    pairs = sorted(as_dict(labels).items())
    return ",".join(f"{k}={v}" for k, v in pairs) or "<none>"


_OPERATORS = {"In": " in ", "NotIn": " notin "}


def format_label_selector(selector: Any) -> str:
    """A ``LabelSelector`` as the selector string it stands for, requirements sorted by key; ``<none>`` when it
    selects by nothing (unset or empty)."""
    selector = as_dict(selector)
    labels = as_dict(selector.get("matchLabels"))
    requirements: list[tuple[str, str]] = [(str(k), f"{k}={v}") for k, v in labels.items()]
    for expression in selector.get("matchExpressions") or []:
        expression = as_dict(expression)
        key, operator = str(expression.get("key", "")), expression.get("operator")
        values = sorted(str(v) for v in expression.get("values") or [])
        if operator in _OPERATORS:
            requirements.append((key, f"{key}{_OPERATORS[operator]}({','.join(values)})"))
        elif operator == "Exists":
            requirements.append((key, key))
        elif operator == "DoesNotExist":
            requirements.append((key, "!" + key))
        else:
            return "<error>"
    requirements.sort(key=lambda r: r[0])
    return ",".join(text for _, text in requirements) or "<none>"


def human_duration(seconds: float) -> str:
    """The short ages kubectl shows: 5s, 3m20s, 45m, 5h10m, 3d4h, 400d, 2y30d."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        return f"{minutes}m{s % 60}s" if s % 60 else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        return f"{hours}h{minutes % 60}m" if minutes % 60 else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    days = hours // 24
    if hours < 24 * 8:
        return f"{days}d{hours % 24}h" if hours % 24 else f"{days}d"
    if days < 365 * 2:
        return f"{days}d"
    years = days // 365
    if days < 365 * 8:
        return f"{years}y{days % 365}d" if days % 365 else f"{years}y"
    return f"{years}y"
