"""Reading the manifests to check: files, directories, stdin; multi-document YAML and JSON; ``List`` kinds.

``fakekube.manifests`` reads manifests for ``FakeCluster.apply``; a check also needs the line each document
starts on, so that a report (and a GitHub annotation) points at it.  The YAML is read node by node with the
same guarded loader (aliases that expand without bound and runaway nesting are refused), noting each
document's and each ``List`` item's first line.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from fakekube import yaml_input
from fakekube.manifests import MANIFEST_SUFFIXES, NO_SUCH_FILE

STDIN = "-"


@dataclass(frozen=True)
class InputDocument:
    """One document to send: where it is (file, 0-based index, 1-based first line) and its body."""

    file: str
    index: int
    line: int
    body: dict[str, Any]
    # keys the document sets twice in one map, as (line in its file, key): a strict reading of the body refuses
    # them (kubectl turns YAML into JSON first, which keeps the last silently; the server reading the YAML does not)
    duplicates: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class InputProblem:
    """A file or a document that could not be read (``index`` None: the whole file)."""

    file: str
    index: int | None
    line: int
    message: str


class MissingInput(Exception):
    """A path on the command line that does not exist: a usage error (exit 2), as a missing ``-f`` file is."""


# libyaml's parser where PyYAML was built with it: the pure-Python one took three quarters of a check's time.
if TYPE_CHECKING:  # the C loader has SafeLoader's interface
    _Parser = yaml.SafeLoader
else:
    _Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineNotingLoader(_Parser):
    """Notes where each document starts, and where the items of a ``List`` document start; guarded as every
    input is (``yaml_input``: aliases that expand without bound, runaway nesting)."""

    def construct_document(self, node: yaml.Node) -> Any:
        yaml_input.guard(node)
        self.starts: list[tuple[int, list[int], list[tuple[int, str]]]] = getattr(self, "starts", [])
        items: list[int] = []
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value == "items" and isinstance(value, yaml.SequenceNode):
                    items = [item.start_mark.line + 1 for item in value.value]
        self.starts.append((node.start_mark.line + 1, items, yaml_input.duplicate_keys(node)))
        return super().construct_document(node)


def _load(text: str) -> list[tuple[Any, int, list[int], list[tuple[int, str]]]]:
    """Every document of ``text`` with its first line, its ``items``' first lines and its keys set twice."""
    loader = _LineNotingLoader(text)
    try:
        docs = []
        while loader.check_data():  # type: ignore[no-untyped-call]
            docs.append(loader.get_data())
    except RecursionError:
        raise yaml_input.YAMLLimitError(f"exceeded max depth of {yaml_input.MAX_DEPTH}") from None
    finally:
        loader.dispose()
    starts = getattr(loader, "starts", [])
    return [(doc, *start) for doc, start in zip(docs, starts, strict=True)]


def parse(text: str, file: str) -> tuple[list[InputDocument], list[InputProblem]]:
    """The documents of one file's text; a document that is no mapping is a problem and reading goes on,
    a YAML syntax error is a problem of the whole file (kubectl applies none of its documents)."""
    docs: list[InputDocument] = []
    problems: list[InputProblem] = []
    try:
        loaded = _load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return [], [InputProblem(file, None, mark.line + 1 if mark is not None else 0,
                                 f"error parsing {file}: {yaml_input.go_yaml_error(exc)}")]
    index = 0
    for body, line, item_lines, duplicates in loaded:
        if body is None:
            continue
        if not isinstance(body, dict):
            problems.append(InputProblem(file, index, line, f"expected a mapping, got {type(body).__name__}"))
            index += 1
            continue
        kind = body.get("kind")
        if isinstance(kind, str) and kind.endswith("List") and isinstance(body.get("items"), list):
            ends = [*item_lines[1:], None]
            for item, item_line, end in zip(body["items"], item_lines, ends, strict=True):
                if isinstance(item, dict):
                    within = tuple(d for d in duplicates if d[0] >= item_line and (end is None or d[0] < end))
                    docs.append(InputDocument(file, index, item_line, yaml_input.jsonable(item), within))
                else:
                    problems.append(InputProblem(file, index, item_line,
                                                 f"expected a mapping, got {type(item).__name__}"))
                index += 1
            continue
        docs.append(InputDocument(file, index, line, yaml_input.jsonable(body), tuple(duplicates)))
        index += 1
    return docs, problems


def files_of(path: Path) -> list[Path]:
    """The files a path stands for: itself, or the ``*.yaml``/``*.yml``/``*.json`` files under a directory
    (recursively, as ``kubectl apply -R -f DIR``), in name order so that reports are stable."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in MANIFEST_SUFFIXES)
    return [path]


def read(paths: Sequence[str]) -> tuple[list[InputDocument], list[InputProblem]]:
    """Every document under ``paths`` (``-``: stdin), in the order given.  Raises ``MissingInput`` for a
    path that does not exist, before anything is read."""
    missing = [p for p in paths if p != STDIN and not Path(p).exists()]
    if missing:
        raise MissingInput(f"the path {missing[0]!r} does not exist: {NO_SUCH_FILE}")
    docs: list[InputDocument] = []
    problems: list[InputProblem] = []
    for text, file in _texts(paths, problems):
        found, wrong = parse(text, file)
        docs.extend(found)
        problems.extend(wrong)
    return docs, problems


def _texts(paths: Sequence[str], problems: list[InputProblem]) -> Iterator[tuple[str, str]]:
    for given in paths:
        if given == STDIN:
            yield sys.stdin.read(), STDIN
            continue
        for file in files_of(Path(given)):
            try:
                yield file.read_text(encoding="utf-8"), str(file)
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(InputProblem(str(file), None, 0, getattr(exc, "strerror", None) or str(exc)))
