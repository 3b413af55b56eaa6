"""Reading manifests: YAML/JSON text, files, directories, dicts; multi-document; with their origin for errors."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fakekube import yaml_input

Source = str | Path | dict[str, Any] | Iterable[Any]
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
NO_SUCH_FILE = os.strerror(errno.ENOENT)  # as reading the file would have said


@dataclass(frozen=True)
class Problem:
    """One document (or a whole file, ``index`` None) that could not be read or applied."""

    origin: str  # file path or "<inline>"
    index: int | None  # 0-based position among the documents of its origin; None: the file itself
    message: str

    def __str__(self) -> str:
        where = self.origin if self.index is None else f"{self.origin} (document {self.index + 1})"
        return f"{where}: {self.message}"


class ManifestError(Exception):
    """Manifests that cannot be read or applied.  ``problems`` lists every one of them (file, document,
    message), so a test or a CI job sees all that is wrong in one run, as ``kubectl apply`` reports it."""

    def __init__(self, problems: str | Sequence[Problem]):
        self.problems: list[Problem] = ([Problem("<inline>", None, problems)] if isinstance(problems, str)
                                        else list(problems))
        if isinstance(problems, str):
            text = problems
        elif len(self.problems) == 1:
            text = str(self.problems[0])
        else:
            text = f"{len(self.problems)} invalid documents:\n" + "\n".join(f"  {p}" for p in self.problems)
        super().__init__(text)


@dataclass(frozen=True)
class Document:
    origin: str  # file path or "<inline>"
    index: int  # 0-based position among the documents of its origin
    body: dict[str, Any]

    def where(self) -> str:
        return f"{self.origin} (document {self.index + 1})"

    def problem(self, message: str) -> Problem:
        return Problem(self.origin, self.index, message)


def _parse_text(text: str, origin: str, problems: list[Problem]) -> Iterator[Document]:
    """The documents of one file; a document that is not an object becomes a problem and reading goes on
    (a YAML syntax error is a problem of the whole file: none of its documents is applied)."""
    index = 0
    try:
        for doc in yaml_input.load_all(text):
            if doc is None:
                continue
            if not isinstance(doc, dict):
                problems.append(Problem(origin, index, f"expected a mapping, got {type(doc).__name__}"))
                index += 1
                continue
            kind = doc.get("kind")
            if isinstance(kind, str) and kind.endswith("List") and isinstance(doc.get("items"), list):
                for item in doc["items"]:
                    if isinstance(item, dict):
                        yield Document(origin, index, yaml_input.jsonable(item))
                    else:
                        problems.append(Problem(origin, index, f"expected a mapping, got {type(item).__name__}"))
                    index += 1
                continue
            yield Document(origin, index, yaml_input.jsonable(doc))
            index += 1
    except yaml.YAMLError as exc:
        problems.append(Problem(origin, None, f"invalid YAML: {exc}"))


def manifest_files(path: Path) -> list[Path]:
    """The files a path stands for, as ``kubectl apply -f DIR -R`` reads them: the path itself, or the
    YAML and JSON files under a directory, in name order."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in MANIFEST_SUFFIXES)
    return [path]


# Kinds other objects depend on are applied first, whatever the file order (as Helm orders installs).
FIRST_KINDS = ("Namespace", "CustomResourceDefinition")


def in_apply_order(docs: list[Document]) -> list[Document]:
    def rank(doc: Document) -> int:
        kind = doc.body.get("kind")
        return FIRST_KINDS.index(kind) if kind in FIRST_KINDS else len(FIRST_KINDS)

    return sorted(docs, key=rank)


def read_documents(source: Source, problems: list[Problem] | None = None) -> list[Document]:
    """Every document in ``source``: a path, YAML text, a dict, or an iterable of any of these.

    With ``problems``, files and documents that cannot be read are added to it and the rest is read;
    without, the first one raises ``ManifestError``."""
    found: list[Problem] = [] if problems is None else problems
    docs = list(_read(source, found))
    if problems is None and found:
        raise ManifestError(found)
    return docs


def names_a_path(text: str) -> bool:
    """One line that is no YAML mapping or flow collection (``key: value``, ``{...}``, ``[...]``) is a path."""
    line = text.strip()
    return "\n" not in line and ": " not in line and not line.endswith(":") and not line.startswith(("{", "["))


def _read(source: Source, problems: list[Problem]) -> Iterator[Document]:
    if isinstance(source, dict):
        yield Document("<inline>", 0, source)
    elif isinstance(source, Path):
        if not source.exists():
            problems.append(Problem(str(source), None, NO_SUCH_FILE))
            return
        for file in manifest_files(source):
            try:
                text = file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(Problem(str(file), None, getattr(exc, "strerror", None) or str(exc)))
                continue
            yield from _parse_text(text, str(file), problems)
    elif isinstance(source, str):
        if not source.strip():
            return  # no documents (and not Path(""), which is the current directory)
        if names_a_path(source):
            yield from _read(Path(source), problems)
        else:
            yield from _parse_text(source, "<inline>", problems)
    else:
        for item in source:
            yield from _read(item, problems)
