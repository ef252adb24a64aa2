"""PreparedArguments: Connexion's parameter decorator with the part of its work that depends only on the
operation done once, when the operation's handler is first wrapped.

Connexion's `get_arguments` re-derives, on every request, which parameters the operation declares, their
defaults and the handler's names for them (three regular expressions per name); profiled, that was a
fifth of a list request's CPU time. The values themselves are still cast by Connexion's own
`_get_val_from_param` and bodies read by its `_get_body_argument`, so what a handler receives is unchanged.
Multipart file arguments are not supported: no fleetbox operation takes a file.
"""

from __future__ import annotations

import typing as t
from copy import deepcopy

from connexion.decorators.parameter import (
    CONTEXT_NAME,
    SyncParameterDecorator,
    _get_body_argument,
    _get_query_defaults,
    _get_val_from_param,
    unwrap_decorators,
)
from connexion.utils import inspect_function_arguments


class PreparedArguments(SyncParameterDecorator):
    """A parameter decorator for one operation, whose declared parameters are looked up once."""

    def __init__(self, *, operation, **kwargs) -> None:
        super().__init__(**kwargs)
        self.operation = operation

    def __call__(self, function: t.Callable) -> t.Callable:
        operation, sanitize = self.operation, self.sanitize_fn
        arguments, has_kwargs = inspect_function_arguments(unwrap_decorators(function))

        def wanted(name: str) -> bool:
            return has_kwargs or name in arguments

        parameters = operation.parameters
        # (name as sent, name the handler takes, definition)
        in_path = {p["name"]: (sanitize(p["name"]), p) for p in parameters if p["in"] == "path"}
        in_query = [(p["name"], sanitize(p["name"]), p) for p in parameters if p["in"] == "query"]
        in_query = [(name, key, definition) for name, key, definition in in_query if wanted(key)]
        defaults = _get_query_defaults({name: definition for name, _, definition in in_query})
        reads_body = operation.is_request_body_defined and operation.method.upper() != "TRACE"
        body_names = {operation.body_name(media_type) for media_type in operation.consumes} if reads_body else set()
        reads_body = reads_body and (has_kwargs or any(sanitize(name) in arguments for name in body_names))
        passes_context = CONTEXT_NAME in arguments

        def wrapper(request) -> t.Any:
            kwargs = {}
            for name, value in request.path_params.items():
                key, definition = in_path.get(name, (None, None))
                if definition is None:  # a path parameter the spec does not declare: passed as it is
                    kwargs[sanitize(name)] = value
                else:
                    kwargs[key] = _get_val_from_param(value, definition)
            query = request.query_params
            for name, key, definition in in_query:
                if name in query:
                    kwargs[key] = _get_val_from_param(query[name], definition)
                elif name in defaults:
                    kwargs[key] = _get_val_from_param(deepcopy(defaults[name]), definition)
            if reads_body:
                kwargs.update(
                    _get_body_argument(
                        request.get_body(),
                        operation=operation,
                        arguments=arguments,
                        has_kwargs=has_kwargs,
                        sanitize=sanitize,
                        content_type=request.mimetype,
                    )
                )
            context = request.context
            for key, value in context.items():
                if has_kwargs or key in arguments:
                    kwargs[key] = value
            if passes_context:
                kwargs[CONTEXT_NAME] = context
            return function(**kwargs)

        return wrapper
