"""The `fleetbox` command: `serve` runs the sandbox; `check` runs the conformance suite."""

from __future__ import annotations

import argparse
import sys

from .engine.registry import DEFAULT_SANDBOX, DEFAULT_SEED, DEFAULT_SIZE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fleetbox", description="Sandbox and conformance kit for vehicle-fleet APIs.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the sandbox server")
    serve.add_argument("--host", default="127.0.0.1", metavar="HOST", help="interface to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8080, metavar="PORT", help="port to bind (default 8080)")
    serve.add_argument("--seed", type=_bounded(0, 2**31 - 1), metavar="N", default=DEFAULT_SEED, help=f"seed of the default sandbox's world (default {DEFAULT_SEED})")
    serve.add_argument("--size", type=_bounded(1, 2000), metavar="N", default=DEFAULT_SIZE, help=f"vehicles per fleet account in the default sandbox (default {DEFAULT_SIZE})")
    serve.add_argument("--validate-responses", action="store_true", help="check every response against its spec (slower; for debugging)")
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument("--webhook-host", action="append", default=[], metavar="HOST", help="a host beyond loopback that webhooks may call (repeatable)")

    check = commands.add_parser("check", help="judge an implementation of a profile, rule by rule")
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


def serve(args: argparse.Namespace) -> int:
    import warnings

    # Connexion imports Starlette's test client, which warns about httpx on every start-up.
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    import uvicorn

    from .app import create_app
    from .http.context import PROFILES_KEY, REGISTRY_KEY
    from .settings import Settings

    settings = Settings(
        host=args.host, port=args.port, seed=args.seed, size=args.size,
        validate_responses=args.validate_responses, access_log=args.access_log,
        webhook_hosts=frozenset(args.webhook_host),
    )
    app = create_app(settings)
    print(banner(settings, app.app.extensions[REGISTRY_KEY], app.app.extensions[PROFILES_KEY]), flush=True)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level="warning", access_log=settings.access_log)
    return 0


def banner(settings, registry, profiles) -> str:
    """Where each profile is served, and the default sandbox's credentials."""
    root = f"http://{settings.host}:{settings.port}"
    lines = [f"fleetbox sandbox on {root}", ""]
    for profile in profiles:
        lines.append(f"  {profile.name:<10} {root}{profile.base_path}   (Swagger UI: {root}{profile.base_path}/ui/)")
    lines.append(f"  {'control':<10} {root}/__sandbox   (Swagger UI: {root}/__sandbox/ui/)")
    default = registry.get(DEFAULT_SANDBOX)
    lines += ["", f"default sandbox (seed {default.seed}, size {default.size}):"]
    for profile in profiles:
        if profile.describe_credentials is not None:
            credentials = default.world(profile.name).credentials()
            lines += [f"  {profile.name:<9} {line}" for line in profile.describe_credentials(credentials)]
    lines += ["", "Press Ctrl+C to stop."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve(args)
    from conformance.cli import run

    return run(args)


if __name__ == "__main__":
    sys.exit(main())
