"""tinyfleet's sandbox: the `Profile` that serves tinyfleet.yaml from a Faker-generated world."""

from conformance.contract import contract_of
from mockserver.engine.sandbox import WorldFactory
from mockserver.http.profile import Profile

from .. import SPEC
from . import handlers
from .errors import render_error
from .world import TinyWorld, generate

PROFILE = Profile(
    contract=contract_of(SPEC),
    handlers=(handlers,),
    render_error=render_error,
    worlds=WorldFactory(generate=generate, load=TinyWorld),
    describe_credentials=lambda credentials: [f"apiKey {credentials['apiKey']}"],
)
