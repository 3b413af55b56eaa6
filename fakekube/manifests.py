"""Reading manifests: YAML/JSON text, files, directories, dicts; multi-document; with their origin for errors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fakekube import yaml_input

Source = str | Path | dict[str, Any] | Iterable[Any]
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


class ManifestError(Exception):
    """A manifest that cannot be read or applied; the message names the file and document."""


@dataclass(frozen=True)
class Document:
    origin: str  # file path or "<inline>"
    index: int  # 0-based position among the documents of its origin
    body: dict[str, Any]

    def where(self) -> str:
        return f"{self.origin} (document {self.index + 1})"


def _parse_text(text: str, origin: str) -> Iterator[Document]:
    try:
        docs = yaml_input.load_all(text)
    except yaml.YAMLError as exc:
        raise ManifestError(f"{origin}: invalid YAML: {exc}") from None
    index = 0
    for doc in docs:
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise ManifestError(f"{origin} (document {index + 1}): expected a mapping, got {type(doc).__name__}")
        kind = doc.get("kind")
        if isinstance(kind, str) and kind.endswith("List") and isinstance(doc.get("items"), list):
            for item in doc["items"]:
                yield Document(origin, index, yaml_input.jsonable(item))
                index += 1
            continue
        yield Document(origin, index, yaml_input.jsonable(doc))
        index += 1


def _files(path: Path) -> list[Path]:
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


def read_documents(source: Source) -> list[Document]:
    """Every document in ``source``: a path, YAML text, a dict, or an iterable of any of these."""
    if isinstance(source, dict):
        return [Document("<inline>", 0, source)]
    if isinstance(source, Path):
        out: list[Document] = []
        for file in _files(source):
            try:
                text = file.read_text()
            except OSError as exc:
                raise ManifestError(f"{file}: {exc.strerror}") from None
            out.extend(_parse_text(text, str(file)))
        return out
    if isinstance(source, str):
        if "\n" not in source and ":" not in source.split("/")[0] and Path(source).exists():
            return read_documents(Path(source))
        if "\n" not in source and source.endswith(MANIFEST_SUFFIXES) and not Path(source).exists():
            raise ManifestError(f"{source}: no such file or directory")
        return list(_parse_text(source, "<inline>"))
    docs: list[Document] = []
    for item in source:
        docs.extend(read_documents(item))
    return docs
