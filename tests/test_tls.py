"""`fleetbox serve --tls`: HTTPS with a local certificate authority that is kept and reused, plain HTTP
refused on the TLS port, and a plain listener that answers every request with the vendor's 403."""

from __future__ import annotations

import ssl
import subprocess
import sys
import time

import httpx
import pytest

from mockserver.tls import local_certificate

from .support import HOURFLEET_BASE, free_port


def test_the_authority_is_kept_and_reused(tmp_path):
    first = local_certificate(tmp_path, "127.0.0.1")
    authority = first.authority.read_bytes()
    second = local_certificate(tmp_path, "127.0.0.1")
    assert second.authority.read_bytes() == authority
    context = ssl.create_default_context(cafile=str(second.authority))
    context.load_cert_chain(str(second.certificate), str(second.key))  # the pair matches


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    """The real command line serving HTTPS on one loopback port and refusing plain HTTP on another."""
    directory = tmp_path_factory.mktemp("tls")
    port, plain = free_port(), free_port()
    command = [
        sys.executable,
        "-m",
        "mockserver",
        "serve",
        "--tls",
        "--tls-dir",
        str(directory),
        "--port",
        str(port),
        "--http-port",
        str(plain),
        "--size",
        "5",
    ]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    authority = directory / "ca.pem"
    deadline = time.monotonic() + 30
    while True:
        try:
            if (
                httpx.get(
                    f"https://127.0.0.1:{port}/__sandbox/health",
                    verify=ssl.create_default_context(cafile=str(authority)),
                    timeout=2,
                ).status_code
                == 200
            ):
                break
        except (httpx.HTTPError, FileNotFoundError, ssl.SSLError):
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail(f"the TLS server did not start: {process.stdout.read() if process.stdout else ''}")
        time.sleep(0.2)
    yield port, plain, authority, process
    process.terminate()
    process.wait(timeout=10)


def test_https_serves_the_apis_with_the_local_authority(tls_server):
    port, _, authority, _ = tls_server
    verify = ssl.create_default_context(cafile=str(authority))
    response = httpx.post(
        f"https://127.0.0.1:{port}{HOURFLEET_BASE}/oauth/token",
        data={"grant_type": "client_credentials"},
        verify=verify,
    )
    assert response.status_code == 401 and response.json()["ResponseStatus"]["ErrorCode"] == "invalid_client"
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"https://127.0.0.1:{port}/__sandbox/health", timeout=5)  # untrusted without the authority


def test_plain_http_to_the_tls_port_gets_no_answer(tls_server):
    port = tls_server[0]
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"http://127.0.0.1:{port}{HOURFLEET_BASE}/cars", timeout=5)


def test_the_plain_listener_forbids_http_in_the_vendors_format(tls_server):
    port, plain, _, _ = tls_server
    response = httpx.get(f"http://127.0.0.1:{plain}{HOURFLEET_BASE}/cars?limit=1", timeout=5)
    assert response.status_code == 403
    status = response.json()["ResponseStatus"]
    assert (
        status["ErrorCode"] == "Forbidden"
        and f"https://127.0.0.1:{port}{HOURFLEET_BASE}/cars?limit=1" in status["Message"]
    )


def test_the_banner_says_how_to_trust_the_authority(tls_server):
    _, _, authority, process = tls_server
    process.terminate()
    output = process.communicate(timeout=10)[0]
    assert f"curl --cacert {authority}" in output and "https://127.0.0.1:" in output
