"""The sandbox control plane, served from openapi/sandbox.yaml under /__sandbox."""

from mockserver.http.profile import Profile

from . import handlers
from .errors import render_problem

PROFILE = Profile(
    name="control",
    spec="sandbox.yaml",
    base_path="/__sandbox",
    handlers=(handlers,),
    render_error=render_problem,
)
