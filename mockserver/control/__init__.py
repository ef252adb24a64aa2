"""The sandbox control plane, served from openapi/sandbox.yaml under /__sandbox."""

from conformance.contract import ProfileContract, spec_path
from mockserver.http.profile import Profile

from . import handlers
from .errors import render_problem

PROFILE = Profile(
    # fleetbox's own API, not a vendor's: no suite judges it, and its spec describes no profile.
    contract=ProfileContract(
        name="control", base_path="/__sandbox", spec=spec_path("sandbox.yaml"), sandbox=__name__, suite=""
    ),
    handlers=(handlers,),
    render_error=render_problem,
)
