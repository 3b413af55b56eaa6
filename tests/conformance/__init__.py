"""Differential conformance: fakekube replayed against kube-apiserver's recorded answers."""
