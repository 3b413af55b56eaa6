"""Imports go downward only, and HTTP stays out of storage and the registry (checked on the source)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "fakekube"
LAYERS = [
    {"errors", "schema_files", "yaml_input", "kubeconfig", "name_formats", "clock", "patch"},
    {"catalog", "selectors", "field_labels"},
    {"storage"},
    {"validation", "metadata_validation", "kind_validation", "defaults", "strategies", "conversion", "registry",
     "listing", "watch", "virtual", "manifests", "scale"},
    {"negotiation", "tables", "discovery", "openapi", "routes", "handlers", "app", "protobuf", "request_options",
     "watch_http"},
    {"cluster", "cli", "__init__", "__main__"},
]
LAYER_OF = {name: index for index, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imports(path: Path) -> set[str]:
    """Top-level names imported at run time (imports under ``if TYPE_CHECKING:`` do not count)."""
    tree = ast.parse(path.read_text())
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:  # relative import inside a subpackage
                found.add(f"fakekube.{module_name(path)}")
            elif node.module == "fakekube":
                found.update(f"fakekube.{alias.name}" for alias in node.names)
            else:
                found.add(node.module)
    return found


def test_every_module_has_a_layer():
    names = {module_name(p) for p in PACKAGE.rglob("*.py")}
    assert names <= set(LAYER_OF), names - set(LAYER_OF)


def test_imports_go_downward_and_aiohttp_stays_in_the_http_layer():
    problems = []
    for path in sorted(PACKAGE.rglob("*.py")):
        own = module_name(path)
        for name in imports(path):
            if name.split(".")[0] == "aiohttp" and LAYER_OF[own] < LAYER_OF["handlers"] and own != "kubeconfig":
                problems.append(f"{path.relative_to(PACKAGE)} imports aiohttp")
            if name.startswith("fakekube."):
                target = name.split(".")[1]
                if target in LAYER_OF and LAYER_OF[target] > LAYER_OF[own]:
                    problems.append(f"{path.relative_to(PACKAGE)} ({own}) imports {target} from a higher layer")
    assert problems == []
