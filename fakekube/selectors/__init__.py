"""Label and field selectors, parsed and matched the way kube-apiserver does it.

Clients send ``labelSelector`` / ``fieldSelector`` as raw query strings and some of them assert
on the exact 400 text when a selector is malformed, so parsing follows
``k8s.io/apimachinery/pkg/labels`` and ``pkg/fields`` token for token (including their quirks:
the label lexer works on bytes and stops at a NUL, field terms are sorted before parsing, an
unescaped ``=`` in a field value is reported by its code point).

What the HTTP layer must send (kube-apiserver ``listOpts`` / ``DeleteCollection``): a parse
failure of either parameter is ``400`` with reason ``BadRequest`` and ``message`` exactly
``SelectorError.message`` -- the apiserver adds no prefix of its own.  (The familiar
``Unable to find "pods" that match label selector ...`` wording is added by kubectl, client
side.)  The label selector is parsed before the field selector, so when both are malformed the
label error wins; see :func:`parse_selectors`.  When a parameter is repeated only its first
value counts.  Rejections of field *names* (``field label not supported: x``) come later, from
:mod:`fakekube.field_labels`, and are 400 ``BadRequest`` too.
"""

from __future__ import annotations

from fakekube.selectors.common import SelectorError
from fakekube.selectors.fields import FieldRequirement, FieldSelector, escape_field_value, parse_field_selector
from fakekube.selectors.labels import (
    DOES_NOT_EXIST,
    EXISTS,
    IN,
    NOT_IN,
    LabelSelector,
    Requirement,
    new_requirement,
    parse_label_selector,
)

__all__ = [
    "DOES_NOT_EXIST", "EXISTS", "IN", "NOT_IN", "FieldRequirement", "FieldSelector", "LabelSelector", "Requirement",
    "SelectorError", "escape_field_value", "field_selector_error_message", "label_selector_error_message",
    "new_requirement", "parse_field_selector", "parse_label_selector", "parse_selectors",
]


def parse_selectors(label_selector: str, field_selector: str) -> tuple[LabelSelector, FieldSelector]:
    """Parse a list/watch request's two selectors in the apiserver's order (labels first)."""
    return parse_label_selector(label_selector), parse_field_selector(field_selector)


def label_selector_error_message(raw: str, err: SelectorError) -> str:
    """The 400 Status message for a bad ``labelSelector``: the parse error as is, no prefix.

    ``raw`` is accepted so callers need not know that; upstream's handler sends
    ``errors.NewBadRequest(err.Error())`` and the conversion code adds nothing.
    """
    return err.message


def field_selector_error_message(raw: str, err: SelectorError) -> str:
    """The 400 Status message for a bad ``fieldSelector``; the raw text is already in
    ``err.message`` where upstream puts it (``invalid selector: '<raw>'; ...``)."""
    return err.message
