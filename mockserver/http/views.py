"""build_views_once_on_add_api: Connexion's Flask views, their decorators built once per operation.

Connexion 3.3's FlaskOperation builds a new FlaskDecorator on every call, whose wrapper then builds
the parameter and response decorators (`inspect.signature` of the handler included) and a new URI
parser for every request; profiled under a batch-POST load, that was ~8% of the server's CPU time. The
chain and the parser depend only on the operation, which a Flask view always serves, so each view
builds them on its first request (the parser needs Connexion's operation context, which only a
request has) and reuses them.
"""

from __future__ import annotations

import functools
import typing as t

import flask
from connexion.apps.flask import FlaskASGIApp, FlaskOperation
from connexion.decorators import FlaskDecorator


class OnceBuiltDecorator(FlaskDecorator):
    """A FlaskDecorator whose wrapper builds the decorated handler and URI parser on first use."""

    def __call__(self, function: t.Callable) -> t.Callable:
        built: dict = {}

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            if not built:  # two first requests racing both build the same, stateless, pair
                built["parser"] = self.uri_parser
                built["handler"] = self.decorate(function)
            request = self.framework.get_request(uri_parser=built["parser"])
            return built["handler"](request)

        return wrapper


def build_views_once(app: flask.Flask) -> None:
    """Replace every Connexion operation view of `app` with one that keeps its decorator chain."""
    for endpoint, view in list(app.view_functions.items()):
        if isinstance(view, FlaskOperation):
            decorator = OnceBuiltDecorator(pythonic_params=view.pythonic_params, jsonifier=view.jsonifier)
            app.view_functions[endpoint] = decorator(view._fn)


def build_views_once_on_add_api(middleware_app: FlaskASGIApp) -> None:
    """Have `middleware_app` rebuild its views after each API it adds.

    Connexion adds the APIs to Flask only when it builds its middleware stack, on start-up or on
    the first request, so the views do not exist yet when the app is created.
    """
    add_api = middleware_app.add_api

    def add_api_then_build_views(*args, **kwargs):
        api = add_api(*args, **kwargs)
        build_views_once(middleware_app.app)
        return api

    middleware_app.add_api = add_api_then_build_views  # type: ignore[method-assign]
