"""How kube-apiserver reaches a conversion webhook: one HTTPS POST, worded as Go words its failures.

The webhook's ``clientConfig`` names a ``url`` or a ``service`` (namespace, name, path, port 443 by
default).  As apiserver's webhook ``ClientManager`` does, a service is addressed as
``https://<name>.<namespace>.svc:<port><path>`` (also the TLS server name), and only the dial goes to
where the service resolves.  There is no cluster network here, so a service resolves through the
cluster's ``service_addresses`` setting (as envtest points webhooks at the test process): keys
``"<name>.<namespace>.svc:<port>"`` or ``"<name>.<namespace>.svc"``, values ``"host:port"``; an unknown
service fails as the service lister would (``service "x" not found``).

The call is synchronous (the registry is), with the standard library, trusting the ``caBundle`` (else
the system roots), with apiserver's 30 s timeout and its ``?timeout=30s`` query.  Failures raise
``WebhookCallError`` whose text is what client-go's rest client reports: Go's ``*url.Error`` for a
failed connection, ``NewGenericServerResponse`` for an error status without a ``Status`` body.
"""

from __future__ import annotations

import base64
import functools
import http.client
import ipaddress
import socket
import ssl
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from fakekube import errors

TIMEOUT = 30.0  # apiserver's defaultRequestTimeout for every webhook request
USER_AGENT = "kube-apiserver-admission"
MAX_TEXT_BODY = 2048  # client-go keeps at most this much of a text error body

ServiceAddresses = Mapping[str, str]


class WebhookCallError(Exception):
    """The call did not yield a decodable 2xx answer; ``str()`` is client-go's error text."""


@dataclass(frozen=True)
class Endpoint:
    """Where one webhook is called: the URL Go shows, the TLS name and Host, and the address dialled."""

    url: str
    server_name: str
    host_header: str
    dial: tuple[str, int] | None  # None: the service resolves to nothing
    unresolved: str  # why, when ``dial`` is None
    ca_bundle: bytes

    @functools.cached_property
    def tls(self) -> ssl.SSLContext:
        """The TLS settings of every call to this webhook, made once: loading the system roots (no
        ``caBundle``) costs milliseconds, and a list converts each object with a call of its own."""
        return _context(self.ca_bundle)


def _clean_path(path: str) -> str:
    """Go's ``path.Join("/", p)``: rooted, no trailing slash, no empty or dot segments."""
    parts: list[str] = []
    for seg in path.split("/"):
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts:
                parts.pop()
            continue
        parts.append(seg)
    return "/" + "/".join(parts)


def _split_host_port(text: str, default_port: int) -> tuple[str, int]:
    parsed = urllib.parse.urlsplit("//" + text)
    return parsed.hostname or "", parsed.port or default_port


def _ca_bundle(client_config: Mapping[str, Any]) -> bytes:
    raw = client_config.get("caBundle") or ""
    try:
        data = base64.b64decode(raw) if isinstance(raw, str) else b""
    except ValueError:
        data = b""
    return data if data.strip() else b""  # a whitespace-only bundle counts as none, as upstream


def endpoint_for(client_config: Mapping[str, Any], service_addresses: ServiceAddresses) -> Endpoint:
    """The endpoint a CRD's ``spec.conversion.webhook.clientConfig`` names."""
    ca = _ca_bundle(client_config)
    query = f"?timeout={int(TIMEOUT)}s"
    service = client_config.get("service")
    if isinstance(service, Mapping):
        name, namespace = str(service.get("name", "")), str(service.get("namespace", ""))
        port = int(service.get("port") or 443)
        server_name = f"{name}.{namespace}.svc"
        host = f"{server_name}:{port}"
        target = service_addresses.get(host) or service_addresses.get(server_name)
        dial = _split_host_port(target, port) if target else None
        return Endpoint(f"https://{host}{_clean_path(str(service.get('path') or ''))}{query}", server_name, host,
                        dial, errors.service_not_found(name), ca)
    url = urllib.parse.urlsplit(str(client_config.get("url") or ""))
    hostname = url.hostname or ""
    return Endpoint(f"{url.scheme}://{url.netloc}{_clean_path(url.path)}{query}", hostname, url.netloc,
                    (hostname, url.port or 443), "", ca)


class _Connection(http.client.HTTPSConnection):
    """HTTPS to ``dial`` while verifying and naming ``server_name`` (a service's DNS name)."""

    def __init__(self, endpoint: Endpoint, dial: tuple[str, int], context: ssl.SSLContext) -> None:
        super().__init__(endpoint.server_name, dial[1], timeout=TIMEOUT, context=context)
        self._dial = dial
        self._tls = context
        self._server_name = endpoint.server_name

    def connect(self) -> None:
        sock = socket.create_connection(self._dial, self.timeout)
        self.sock = self._tls.wrap_socket(sock, server_hostname=self._server_name)


def _context(ca_bundle: bytes) -> ssl.SSLContext:
    # A bundle replaces the system roots, as a Go TLS config with RootCAs does.
    context = ssl.create_default_context(cadata=ca_bundle.decode("ascii", "replace") if ca_bundle else None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2  # Go's client default
    context.set_alpn_protocols(["http/1.1"])
    return context


def _certificate_names(dial: tuple[str, int], ca_bundle: bytes) -> tuple[list[str], list[str]]:
    """The DNS and IP names of the (trusted) certificate ``dial`` presents, for Go's hostname error."""
    context = _context(ca_bundle)
    context.check_hostname = False
    with socket.create_connection(dial, TIMEOUT) as sock, context.wrap_socket(sock) as tls:
        cert = tls.getpeercert() or {}
    names: tuple[tuple[str, str], ...] = cert.get("subjectAltName", ())  # type: ignore[assignment]
    return [v for k, v in names if k == "DNS"], [v.rstrip("\n") for k, v in names if k == "IP Address"]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _address(dial: tuple[str, int]) -> str:
    host, port = dial
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _connection_error(endpoint: Endpoint, dial: tuple[str, int], exc: Exception) -> str:
    """Go's text for a connection that failed before an answer came."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        if exc.verify_code in (62, 64):  # X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH
            try:
                dns_names, ip_names = _certificate_names(dial, endpoint.ca_bundle)
            except (OSError, ssl.SSLError):
                return errors.WEBHOOK_UNKNOWN_AUTHORITY
            host = endpoint.server_name
            return errors.webhook_certificate_name_mismatch(dns_names, ip_names, host, _is_ip(host))
        return errors.WEBHOOK_UNKNOWN_AUTHORITY
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return errors.WEBHOOK_DEADLINE
    if isinstance(exc, ConnectionRefusedError):
        return errors.dial_failed(_address(dial), errors.DIAL_REFUSED)
    if isinstance(exc, socket.gaierror):
        return errors.dial_failed(_address(dial), errors.dial_no_such_host(dial[0]))
    if isinstance(exc, (http.client.RemoteDisconnected, ConnectionResetError, http.client.IncompleteRead)):
        return errors.WEBHOOK_EOF
    if isinstance(exc, OSError) and exc.strerror:
        return errors.dial_failed(_address(dial), errors.dial_os_error(exc.strerror.lower()))
    return str(exc)


def _status_message(body: bytes) -> str | None:
    """The message of a failed ``Status`` body, which client-go prefers to its own wording."""
    try:
        doc = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if isinstance(doc, dict) and doc.get("kind", "Status") == "Status" and doc.get("status") == "Failure":
        return str(doc.get("message") or "")
    return None


def _error_for_status(code: int, content_type: str, body: bytes) -> str:
    status_message = _status_message(body) if body else None
    if status_message is not None:
        return status_message
    media = content_type.split(";", 1)[0].strip().lower()
    is_text = not content_type or media.startswith("text/")
    message = body[:MAX_TEXT_BODY].decode("utf-8", "replace").strip() if is_text else "unknown"
    return errors.generic_server_response(code, message)


def post(endpoint: Endpoint, body: bytes) -> bytes:
    """POST ``body`` (JSON) to the webhook; its 2xx answer's bytes, or ``WebhookCallError``."""
    if endpoint.dial is None:
        raise WebhookCallError(errors.webhook_post_failed(endpoint.url, endpoint.unresolved))
    dial = endpoint.dial
    try:
        context = endpoint.tls
    except ssl.SSLError:  # a bundle without a certificate: nothing is trusted
        raise WebhookCallError(errors.webhook_post_failed(endpoint.url, errors.WEBHOOK_UNKNOWN_AUTHORITY)) from None
    conn = _Connection(endpoint, dial, context)
    path = endpoint.url.split(endpoint.host_header, 1)[1]
    try:
        conn.request("POST", path, body=body, headers={
            "Host": endpoint.host_header, "Content-Type": "application/json",
            "Accept": "application/json, */*", "User-Agent": USER_AGENT})
        response = conn.getresponse()
        data = response.read()
    except (OSError, http.client.HTTPException) as exc:
        detail = _connection_error(endpoint, dial, exc)
        raise WebhookCallError(errors.webhook_post_failed(endpoint.url, detail)) from None
    finally:
        conn.close()
    content_type = response.getheader("Content-Type") or ""
    if not 200 <= response.status <= 206:
        raise WebhookCallError(_error_for_status(response.status, content_type, data))
    if not data:
        raise WebhookCallError(errors.webhook_empty_response(response.status, content_type or "application/json"))
    return data
