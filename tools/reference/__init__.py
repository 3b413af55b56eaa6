"""The real kube-apiserver as fakekube's reference.

Builds kube-apiserver and etcd from their released Go modules into a cache
outside the repository, starts them the way envtest does, runs the data-driven
scenarios of ``tests/conformance/scenarios`` against them and records the
normalized answers the default test suite replays against fakekube.
"""
