"""``fakekube check``: manifests held to the API server's contract, across Kubernetes versions, without a cluster.

Each document goes through the same pipeline as ``kubectl apply --server-side --dry-run=server`` against an
in-process ``FakeCluster`` of each target version; the report says what kube-apiserver would answer.
"""
