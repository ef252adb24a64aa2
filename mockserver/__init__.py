"""The fleetbox sandbox: Connexion serving a stateful implementation of every profile's spec.

See ARCHITECTURE.md for how the parts fit: `engine/` (sandboxes, clocks, journals, tokens), `http/`
(the Connexion wiring), one package per profile, `control/` (the /__sandbox API), `app.py`, `cli.py`.
"""

__version__ = "0.1.0"


def create_app(*args, **kwargs):
    """Build the app (see `mockserver.app.create_app`); imported lazily to keep `--help` fast."""
    from .app import create_app as build

    return build(*args, **kwargs)
