"""A loopback HTTP endpoint that records the webhook POSTs a server under test sends to it."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def reaches_this_machine(base_url: str) -> bool:
    """Whether a server at `base_url` runs here, so that it can call a receiver on loopback."""
    return urlsplit(base_url).hostname in LOOPBACK_HOSTS


class WebhookReceiver:
    """Listens on 127.0.0.1 (a free port) and keeps `(headers, body)` of each POST; the first
    `failures` POSTs are answered 500 (to exercise retries), the rest 204."""

    def __init__(self, path: str = "/fleetbox-hook", failures: int = 0) -> None:
        self.received: list[tuple[dict, bytes]] = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                receiver.received.append((dict(self.headers), body))
                self.send_response(500 if len(receiver.received) <= receiver.failures else 204)
                self.end_headers()

            def log_message(self, *args):
                pass  # the server under test's calls are evidence, not console noise

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
