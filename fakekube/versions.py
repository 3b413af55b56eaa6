"""The Kubernetes versions fakekube emulates.

A module that imports nothing, so that what only needs the list (the pytest plugin's options, the
command line's ``--help``) does not load the server to get it.
"""

SUPPORTED_VERSIONS = ("v1.33", "v1.34", "v1.35", "v1.36", "v1.37")
DEFAULT_VERSION = "v1.37"


def minor_of(kubernetes_version: str) -> int:
    """The minor release of ``v1.NN`` (behaviour that changed between releases is keyed on it)."""
    return int(kubernetes_version.rpartition(".")[2])
