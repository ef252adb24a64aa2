"""Maps the specs' neutral operationIds to handler functions, and refuses to start if one is missing."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import connexion.resolver
import inflection
from connexion.exceptions import ResolverError


def find_handler(operation_id: str, modules: tuple[ModuleType, ...]) -> Callable:
    """`createVehicles` -> the first `create_vehicles` among `modules`; `ResolverError` if none."""
    name = inflection.underscore(operation_id)
    for module in modules:
        handler = getattr(module, name, None)
        if callable(handler):
            return handler
    searched = ", ".join(module.__name__ for module in modules)
    raise ResolverError(f"No handler '{name}' for operationId '{operation_id}' in {searched}")


class HandlerResolver(connexion.resolver.Resolver):
    """A Connexion resolver over one profile's handler modules."""

    def __init__(self, modules: tuple[ModuleType, ...]) -> None:
        super().__init__(function_resolver=lambda operation_id: find_handler(operation_id, modules))

    def resolve_operation_id(self, operation) -> str:
        operation_id = operation.operation_id
        if not operation_id:
            raise ResolverError(f"Operation {operation.method.upper()} {operation.path} has no operationId")
        return operation_id
