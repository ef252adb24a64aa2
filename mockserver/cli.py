"""The `fleetbox` command: `serve` runs the sandbox; `check` runs the conformance suite."""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

# httpx imports its own command-line client (click, rich, pygments: about 0.1 CPU seconds of every start-up)
# when those are installed; the server never runs it, so httpx gets its stand-in `main` instead.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

from .defaults import (  # noqa: E402
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_SANDBOX,
    DEFAULT_SEED,
    DEFAULT_SIZE,
    DEFAULT_STORE_PATH,
    MAX_SIZE,
)

DEFAULT_STORE = f"sqlite:///{DEFAULT_STORE_PATH}"

# Read by `fleetbox check` too (conformance/cli.py), so one variable serves a CI job's server and suite.
CONTROL_TOKEN_VARIABLE = "FLEETBOX_CONTROL_TOKEN"


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The command line; `check`'s options only when `argv` may ask for them (all when it is None)."""
    parser = argparse.ArgumentParser(prog="fleetbox", description="Sandbox and conformance kit for vehicle-fleet APIs.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the sandbox server")
    serve.add_argument("--host", default="127.0.0.1", metavar="HOST", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, metavar="PORT", help="port to bind (default 8080)")
    serve.add_argument(
        "--seed",
        type=_bounded(0, 2**31 - 1),
        metavar="N",
        default=DEFAULT_SEED,
        help=f"seed of the default sandbox's world (default {DEFAULT_SEED})",
    )
    serve.add_argument(
        "--size",
        type=_bounded(1, 100_000),
        metavar="N",
        default=DEFAULT_SIZE,
        help=f"vehicles per fleet account in the default sandbox (default {DEFAULT_SIZE})",
    )
    serve.add_argument(
        "--max-size",
        type=_bounded(1, 100_000),
        metavar="N",
        default=MAX_SIZE,
        help=f"the biggest size a client may create or reset a sandbox with (default {MAX_SIZE}; "
        "a world of 100,000 takes minutes to build, while the server waits)",
    )
    serve.add_argument(
        "--max-body-bytes",
        type=_bounded(1, 2**31 - 1),
        metavar="N",
        default=DEFAULT_MAX_BODY_BYTES,
        help=f"longest request body a vendor API reads; longer ones get a 413 (default {DEFAULT_MAX_BODY_BYTES})",
    )
    serve.add_argument(
        "--validate-responses",
        action="store_true",
        help="check every response against its spec (slower; for debugging)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--webhook-host",
        action="append",
        default=[],
        metavar="HOST",
        help="a host beyond loopback that webhooks may call (repeatable)",
    )
    serve.add_argument(
        "--tls", action="store_true", help="serve HTTPS with a local certificate (Hourfleet's APIs are HTTPS only)"
    )
    serve.add_argument(
        "--tls-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the local certificate authority is kept (default ~/.fleetbox/tls)",
    )
    serve.add_argument(
        "--http-port",
        type=int,
        default=None,
        metavar="PORT",
        help="with --tls: also listen for plain HTTP on PORT, refusing every request with a 403",
    )
    serve.add_argument(
        "--amqp",
        default=None,
        metavar="URL",
        help="also publish invers events to this AMQP broker, as INVERS does (amqp://USER:PASS@HOST:PORT/VHOST)",
    )
    serve.add_argument(
        "--amqp-admin",
        default=None,
        metavar="URL",
        help="with --amqp: RabbitMQ's management API (http://USER:PASS@HOST:15672), to give each fleet's "
        "event consumer a broker user that reads only its own queues",
    )
    serve.add_argument(
        "--amqp-buffer",
        type=_bounded(1, 10_000_000),
        default=None,
        metavar="N",
        help="with --amqp: events kept while the broker is unreachable; more are dropped (default 10000)",
    )

    serve.add_argument(
        "--store",
        default=os.environ.get("FLEETBOX_STORE", DEFAULT_STORE),
        metavar="URL",
        help="where sandboxes are kept: sqlite:///PATH (default, durable: "
        f"{DEFAULT_STORE}; or $FLEETBOX_STORE), memory (nothing written), or redis://HOST:PORT/DB "
        "(shared by several workers and instances)",
    )
    serve.add_argument("--fresh", action="store_true", help="forget every sandbox the store holds and start over")
    serve.add_argument(
        "--workers",
        type=_bounded(1, 64),
        default=1,
        metavar="N",
        help="worker processes serving one port over the shared store (not with --store memory)",
    )

    serve.add_argument(
        "--control-token",
        default=os.environ.get(CONTROL_TOKEN_VARIABLE) or None,
        metavar="TOKEN",
        help=f"bearer token every control-plane call then needs (default ${CONTROL_TOKEN_VARIABLE}; none: open)",
    )
    serve.add_argument(
        "--insecure-control",
        action="store_true",
        help="serve the control plane open (no control token) on a --host that is not loopback",
    )

    check = commands.add_parser("check", help="judge an implementation of a profile, rule by rule")
    # The suite's options import pytest and every profile's rules (a quarter second of `serve`'s start-up).
    if argv is None or "check" in argv:
        from conformance.cli import add_arguments

        add_arguments(check)
    return parser


def _bounded(low: int, high: int):
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def control_refusal(host: str, control_token: str | None, insecure: bool) -> str | None:
    """Why `fleetbox serve` must not start with this control plane, or None."""
    from .control.access import is_loopback

    if control_token is not None and (not control_token or any(c.isspace() for c in control_token)):
        return "the control token must be non-empty and without spaces (it is sent as `Bearer <token>`)"
    if control_token or insecure or is_loopback(host):
        return None
    return (
        f"--host {host} is not a loopback address, and without a control token anyone who reaches it could "
        f"read, reset and delete every sandbox through /__sandbox. Give one with --control-token TOKEN (or "
        f"${CONTROL_TOKEN_VARIABLE}), or pass --insecure-control to serve the control plane open anyway."
    )


def serve(args: argparse.Namespace) -> int:
    # Start-up makes some 100,000 objects that live as long as the server (modules, classes, specs, the app)
    # and next to no garbage, yet the cyclic collector traverses them again and again while they are made:
    # about 0.1 CPU seconds of every start. So it is off until the app is built; what exists then is frozen
    # (never traversed again, which also spares every later full collection) and collection resumes for what
    # serving makes. The price: a start-up object that later becomes part of a garbage cycle (the default
    # sandbox's world, after a reset or a delete) is not reclaimed; that is at most what start-up made, once.
    gc.disable()
    try:
        return _serve(args)
    finally:
        gc.enable()


# A full collection traverses every object the server holds, and a server's objects are its sandboxes' worlds:
# long-lived, rarely garbage. Each costs a pause of the event loop that grows with the worlds (180 ms at 120,000
# trimble vehicles), and Python starts one after every ten collections of the middle generation once the
# objects held have grown by a quarter, which a growing fleet keeps doing: in a batch POST load that pause was
# the p99. After a hundred, instead: young garbage is collected as before; a deleted sandbox's world that has
# reached the oldest generation (its cycles need the collector) waits ten times as long to be reclaimed.
FULL_COLLECTION_AFTER = 100


def space_full_collections() -> None:
    """Full collections ten times rarer than Python's default (see FULL_COLLECTION_AFTER); young ones as before."""
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_COLLECTION_AFTER)


def _serve(args: argparse.Namespace) -> int:
    import warnings

    # Connexion imports Starlette's test client, which warns about httpx on every start-up.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from .deferred import DEFERRED_BY_SERVE, defer

    defer(*DEFERRED_BY_SERVE)
    import asyncio

    import uvicorn

    from .app import create_app
    from .engine.store import StoreError
    from .http.context import NOTES_KEY, PROFILES_KEY, REGISTRY_KEY, ROUTES_KEY
    from .profiles import CONTROL
    from .settings import Settings

    if args.http_port is not None and not args.tls:
        print("fleetbox serve: --http-port only makes sense with --tls", file=sys.stderr)
        return 2
    refusal = control_refusal(args.host, args.control_token, args.insecure_control)
    if refusal:
        print(f"fleetbox serve: {refusal}", file=sys.stderr)
        return 2
    if args.insecure_control and not args.control_token:
        print(
            f"fleetbox serve: --insecure-control: the control plane on {args.host} is open to anyone", file=sys.stderr
        )
    if args.workers > 1 and args.store == "memory":
        print(
            "fleetbox serve: --workers needs a store the workers share; --store memory keeps each worker's "
            "sandboxes to itself (use the default SQLite store, or --store redis://HOST:PORT/DB)",
            file=sys.stderr,
        )
        return 2
    if args.workers > 1 and args.http_port is not None:
        print("fleetbox serve: --http-port is served by a single worker only; drop --workers", file=sys.stderr)
        return 2
    if (args.amqp_admin or args.amqp_buffer) and not args.amqp:
        print("fleetbox serve: --amqp-admin and --amqp-buffer only make sense with --amqp", file=sys.stderr)
        return 2
    if args.amqp and not args.amqp.startswith(("amqp://", "amqps://")):
        print(f"fleetbox serve: --amqp must be an amqp:// or amqps:// URL, not {args.amqp!r}", file=sys.stderr)
        return 2
    if args.amqp and args.workers > 1:
        print("fleetbox serve: --amqp publishes from one worker process only for now; drop --workers", file=sys.stderr)
        return 2
    settings = Settings(
        host=args.host,
        port=args.port,
        seed=args.seed,
        size=args.size,
        max_size=args.max_size,
        validate_responses=args.validate_responses,
        access_log=args.access_log,
        webhook_hosts=frozenset(args.webhook_host),
        max_body_bytes=args.max_body_bytes,
        store=args.store,
        fresh=args.fresh,
        control_token=args.control_token,
    )
    try:
        app = create_app(settings)
    except StoreError as error:
        print(f"fleetbox serve: {error}", file=sys.stderr)
        return 2
    event_bus = None
    if args.amqp:
        from .invers import amqp

        try:
            event_bus = amqp.enable(app.app.extensions[REGISTRY_KEY], args.amqp, args.amqp_admin, args.amqp_buffer)
        except ValueError as error:
            print(f"fleetbox serve: {error}", file=sys.stderr)
            return 2
    # No WebSocket is served: without ws="none" uvicorn would import a WebSocket implementation at start-up.
    options = dict(host=settings.host, log_level="warning", access_log=settings.access_log, ws="none")
    servers = []
    scheme = "http"
    if args.tls:
        from .tls import DEFAULT_DIRECTORY, HttpsOnly, local_certificate

        scheme = "https"
        certificate = local_certificate(args.tls_dir or DEFAULT_DIRECTORY, settings.host)
        options.update(ssl_certfile=str(certificate.certificate), ssl_keyfile=str(certificate.key))
        if args.http_port is not None:
            origin = f"https://{settings.host}:{settings.port}"
            refuser = HttpsOnly(app.app.extensions[ROUTES_KEY], CONTROL, origin)
            servers.append(
                uvicorn.Server(uvicorn.Config(refuser, host=settings.host, port=args.http_port, log_level="warning"))
            )
    notes = [amqp.banner_line(event_bus)] if event_bus is not None else []
    registry, profiles = app.app.extensions[REGISTRY_KEY], app.app.extensions[PROFILES_KEY]
    print(banner(settings, registry, profiles, scheme, notes), flush=True)
    print(store_lines(registry.store.url, args.workers, app.app.extensions[NOTES_KEY]), flush=True)
    if args.tls:
        print(tls_advice(certificate.authority, f"https://{settings.host}:{settings.port}", args.http_port), flush=True)
    if args.workers > 1:
        from .workers import serve_workers

        registry.store.close()
        gc.enable()  # the workers build their own apps; this process only watches them
        return serve_workers(settings, args.workers, options)
    servers.insert(0, uvicorn.Server(uvicorn.Config(app, port=settings.port, **options)))

    async def run_all() -> None:
        await asyncio.gather(*(server.serve() for server in servers))

    # Built: see `serve`.
    gc.freeze()
    space_full_collections()
    gc.enable()
    # uvicorn's own loop choice (uvloop when installed), which `asyncio.run` would not make.
    with asyncio.Runner(loop_factory=servers[0].config.get_loop_factory()) as runner:
        runner.run(run_all())
    if event_bus is not None:
        # Give the broker a moment for what is still buffered; a broker that is gone does not hold up the exit.
        event_bus.publisher.wait_until_idle(5)
        event_bus.publisher.close()
    return 0


def store_lines(url: str, workers: int, notes: list[str]) -> str:
    """Where the sandboxes are kept, and what start-up found there."""
    kept = "nothing is written; stopping the server forgets every sandbox" if url == "memory" else "durable"
    lines = [f"sandboxes kept in {url} ({kept})"]
    if workers > 1:
        lines.append(f"{workers} worker processes share it")
    return "\n".join(lines + [f"NOTE: {note}" for note in notes])


def tls_advice(authority: Path, origin: str, http_port: int | None) -> str:
    """How to trust the local certificate authority."""
    lines = [
        f"HTTPS with a local certificate authority: {authority}",
        f"  curl --cacert {authority} {origin}/__sandbox/health",
        f"  Python (httpx, requests): SSL_CERT_FILE={authority}   Node: NODE_EXTRA_CA_CERTS={authority}",
        "  Plain HTTP to this port is refused (the TLS handshake fails).",
    ]
    if http_port is not None:
        lines.append(f'  Plain HTTP on port {http_port} answers every request with 403 "HTTP access is forbidden".')
    return "\n".join(lines)


def banner(settings, registry, profiles, scheme: str = "http", notes: list[str] | None = None) -> str:
    """Where each profile is served, the default sandbox's credentials, and `notes` (where events go)."""
    root = f"{scheme}://{settings.host}:{settings.port}"
    lines = [f"fleetbox sandbox on {root}", ""]
    for profile in profiles:
        lines.append(f"  {profile.name:<10} {root}{profile.base_path}   (Swagger UI: {root}{profile.base_path}/ui/)")
    lines.append(f"  {'control':<10} {root}/__sandbox   (Swagger UI: {root}/__sandbox/ui/)")
    lines.append(f"  {'dashboard':<10} {root}/")
    default = registry.get(DEFAULT_SANDBOX)
    lines += ["", f"default sandbox (seed {default.seed}, size {default.size}):"]
    for profile in profiles:
        if profile.describe_credentials is not None:
            credentials = default.world(profile.name).credentials()
            lines += [f"  {profile.name:<9} {line}" for line in profile.describe_credentials(credentials)]
    if notes:
        lines += ["", *notes]
    if settings.control_token:
        lines += ["", "control plane: every call but /__sandbox/health needs `Authorization: Bearer <control token>`"]
    lines += ["", "Press Ctrl+C to stop."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(argv).parse_args(argv)
    if args.command == "serve":
        return serve(args)
    from conformance.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
