"""CEL for custom resources: ``x-kubernetes-validations`` rules compiled, cost-estimated and evaluated
as kube-apiserver does, with the Kubernetes CEL libraries."""
