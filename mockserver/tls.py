"""HTTPS for `fleetbox serve --tls`: a local certificate authority kept on disk (so a client trusts it
once), a server certificate it signs at each start, and the plain-HTTP listener that refuses.

Hourfleet's APIs are "HTTPS only; HTTP access is forbidden". A plain request sent to the TLS port
fails its handshake (the connection closes without an answer); `--http-port` adds a plain listener
whose every answer is a 403 in the vendor's error format, naming the HTTPS URL to use instead.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import trustme
from starlette.types import Receive, Scope, Send

from .engine.errors import Forbidden
from .http.profile import Profile, RequestFacts
from .http.routes import RouteTable

DEFAULT_DIRECTORY = Path.home() / ".fleetbox" / "tls"
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class LocalCertificate:
    authority: Path  # what clients trust (curl --cacert, SSL_CERT_FILE)
    certificate: Path
    key: Path


def local_certificate(directory: Path = DEFAULT_DIRECTORY, host: str = "127.0.0.1") -> LocalCertificate:
    """The server certificate for `host` (and loopback), signed by the authority kept in `directory`,
    which is created on first use and reused afterwards."""
    directory.mkdir(parents=True, exist_ok=True)
    authority_cert, authority_key = directory / "ca.pem", directory / "ca.key"
    if authority_cert.is_file() and authority_key.is_file():
        authority = trustme.CA.from_pem(authority_cert.read_bytes(), authority_key.read_bytes())
    else:
        authority = trustme.CA(organization_name="fleetbox local sandbox")
        authority.cert_pem.write_to_path(str(authority_cert))
        authority.private_key_pem.write_to_path(str(authority_key))
        authority_key.chmod(0o600)
    names = list(dict.fromkeys((*LOCAL_NAMES, host))) if host not in ("0.0.0.0", "::") else list(LOCAL_NAMES)
    issued = authority.issue_cert(*names)
    certificate, key = directory / "server.pem", directory / "server.key"
    with certificate.open("wb") as chain:
        for blob in issued.cert_chain_pems:
            chain.write(blob.bytes())
    issued.private_key_pem.write_to_path(str(key))
    key.chmod(0o600)
    return LocalCertificate(authority_cert, certificate, key)


class HttpsOnly:
    """The plain-HTTP listener of a TLS server: every request gets the owning profile's 403."""

    def __init__(self, routes: RouteTable, fallback: Profile, https_origin: str) -> None:
        self._routes = routes
        self._fallback = fallback
        self._origin = https_origin

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path = scope["path"]
        profile = self._routes.profile_for(path) or self._fallback
        query = scope.get("query_string", b"").decode("latin-1")
        secure_url = f"{self._origin}{path}" + (f"?{query}" if query else "")
        facts = RequestFacts(method=scope["method"], url=f"http://{path}", path=path, content_type="")
        rendered = profile.render_error(Forbidden(f"HTTP access is forbidden: use HTTPS ({secure_url})."), facts)
        headers = [
            (b"content-type", rendered.content_type.encode()),
            *((k.encode(), v.encode()) for k, v in rendered.headers.items()),
        ]
        await send({"type": "http.response.start", "status": rendered.status, "headers": headers})
        await send({"type": "http.response.body", "body": json.dumps(rendered.body).encode()})
