"""Start the reference the way envtest does: etcd and kube-apiserver on loopback, an admin kubeconfig.

etcd gets a temporary data directory and skips fsync (envtest does too: the data is thrown away).
kube-apiserver gets a generated client CA, an admin client certificate in ``system:masters``, a
service-account signing key, ``--authorization-mode=RBAC`` and the admission plugins a default
cluster enables (nothing is switched off, unlike envtest's ``ServiceAccount``), and the service
range kubeadm uses, so that the ``kubernetes`` Service is ``10.96.0.1`` as on fakekube. The advertised
address is 172.18.0.2 (a kind node's), never bound: the endpoint reconciler refuses a loopback one. Its serving
certificate is the self-signed one it makes for itself in ``--cert-dir``; clients skip verification.

The same ``Reference`` object starts them for ``python -m tools.reference start``, for recording,
for the live comparison and for the benchmark.
"""

from __future__ import annotations

import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from tools.reference.build import DEFAULT_KUBERNETES, Binaries, build


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


POLL_SECONDS = 0.05


def wait_ready(url: str, context: ssl.SSLContext | None, alive: Callable[[], None], timeout: float) -> bool:
    """Poll ``url``'s ``/readyz`` on a new connection every 50 ms until it answers 200 (True) or ``timeout``
    passes (False); ``alive`` raises when the server's processes have died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        alive()
        try:
            with urllib.request.urlopen(f"{url}/readyz", context=context, timeout=2) as answer:
                if answer.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(POLL_SECONDS)
    return False


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_credentials(directory: Path) -> None:
    """A client CA, an admin client certificate and a service-account key pair, with openssl."""
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=fakekube-reference-ca",
             "-keyout", "ca.key", "-out", "ca.crt", cwd=directory)
    _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/O=system:masters/CN=reference-admin",
             "-keyout", "admin.key", "-out", "admin.csr", cwd=directory)
    _openssl("x509", "-req", "-in", "admin.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
             "-days", "2", "-out", "admin.crt", cwd=directory)
    _openssl("genrsa", "-out", "sa.key", "2048", cwd=directory)
    _openssl("rsa", "-in", "sa.key", "-pubout", "-out", "sa.pub", cwd=directory)


class Reference:
    """A running etcd and kube-apiserver; ``with Reference() as ref: ref.url``."""

    def __init__(self, kubernetes: str = DEFAULT_KUBERNETES, binaries: Binaries | None = None,
                 extra_args: tuple[str, ...] = ()) -> None:
        self.kubernetes = kubernetes
        self.binaries = binaries or build(kubernetes)
        self.extra_args = extra_args
        self.workdir = Path(tempfile.mkdtemp(prefix="fakekube-reference-"))
        self.url = ""
        self.kubeconfig_path = self.workdir / "kubeconfig"
        self.etcd: subprocess.Popen[bytes] | None = None
        self.apiserver: subprocess.Popen[bytes] | None = None
        self.start_seconds = 0.0
        self._logs: list[BinaryIO] = []

    @property
    def client_cert(self) -> tuple[str, str]:
        return str(self.workdir / "admin.crt"), str(self.workdir / "admin.key")

    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.load_cert_chain(*self.client_cert)
        return context

    def start(self, timeout: float = 120.0) -> str:
        started = time.monotonic()
        make_credentials(self.workdir)
        etcd_port, peer_port, api_port = free_port(), free_port(), free_port()
        etcd_url = f"http://127.0.0.1:{etcd_port}"
        log = (self.workdir / "etcd.log").open("wb")
        self._logs.append(log)
        self.etcd = subprocess.Popen(
            [str(self.binaries.etcd), "--data-dir", str(self.workdir / "etcd"), "--listen-client-urls", etcd_url,
             "--advertise-client-urls", etcd_url, "--listen-peer-urls", f"http://127.0.0.1:{peer_port}",
             "--unsafe-no-fsync=true", "--log-level", "warn"], stdout=log, stderr=log)
        w = self.workdir
        log = (w / "kube-apiserver.log").open("wb")
        self._logs.append(log)
        self.apiserver = subprocess.Popen(
            [str(self.binaries.kube_apiserver), f"--etcd-servers={etcd_url}", "--bind-address=127.0.0.1",
             "--advertise-address=172.18.0.2", f"--secure-port={api_port}", f"--cert-dir={w / 'serving'}",
             f"--client-ca-file={w / 'ca.crt'}", "--authorization-mode=RBAC", "--allow-privileged=true",
             f"--service-account-key-file={w / 'sa.pub'}", f"--service-account-signing-key-file={w / 'sa.key'}",
             "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
             "--service-cluster-ip-range=10.96.0.0/12", *self.extra_args],
            stdout=log, stderr=log)
        self.url = f"https://127.0.0.1:{api_port}"
        self._wait_ready(timeout)
        self.start_seconds = time.monotonic() - started
        self._write_kubeconfig()
        return self.url

    def _wait_ready(self, timeout: float) -> None:
        def alive() -> None:
            for process, name in ((self.etcd, "etcd"), (self.apiserver, "kube-apiserver")):
                if process is not None and process.poll() is not None:
                    tail = (self.workdir / f"{name}.log").read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{tail}")

        if not wait_ready(self.url, self.ssl_context(), alive, timeout):
            raise TimeoutError(f"kube-apiserver not ready after {timeout} s; see {self.workdir}")

    def _write_kubeconfig(self) -> None:
        crt, key = self.client_cert
        self.kubeconfig_path.write_text(
            "apiVersion: v1\nkind: Config\ncurrent-context: reference\n"
            f"clusters:\n- name: reference\n  cluster:\n    server: {self.url}\n    insecure-skip-tls-verify: true\n"
            f"users:\n- name: admin\n  user:\n    client-certificate: {crt}\n    client-key: {key}\n"
            "contexts:\n- name: reference\n  context:\n    cluster: reference\n    user: admin\n")

    def pids(self) -> list[int]:
        return [p.pid for p in (self.etcd, self.apiserver) if p is not None]

    def stop(self) -> None:
        for process in (self.apiserver, self.etcd):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        for log in self._logs:
            log.close()
        self._logs.clear()
        if not os.environ.get("FAKEKUBE_REFERENCE_KEEP"):
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self) -> Reference:
        try:
            self.start()
        except BaseException:
            self.stop()  # etcd may be up when kube-apiserver fails: never leave it running
            raise
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.stop()
