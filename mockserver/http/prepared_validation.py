"""PreparedRequestValidation: Connexion's request validation middleware, its validators built once per
operation instead of once per request.

Connexion 3.3's RequestValidationOperation builds, for every request, two URI parsers, a parameter
validator, a media-type table and a body validator, all from the operation alone. Here each is built on
the operation's first request and kept; the checks themselves (and so every answer) are Connexion's and
`http/validation.py`'s.
"""

from __future__ import annotations

import logging

from connexion import utils
from connexion.datastructures import MediaTypeDict
from connexion.exceptions import UnsupportedMediaTypeProblem
from connexion.middleware.request_validation import (
    RequestValidationAPI,
    RequestValidationMiddleware,
    RequestValidationOperation,
)
from starlette.types import Receive, Scope, Send

logger = logging.getLogger(__name__)
_UNSET = object()


class PreparedValidationOperation(RequestValidationOperation):
    """One operation's request validation, with what it needs built on first use."""

    _parameters = None
    _consumes: MediaTypeDict | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._bodies: dict[tuple[str, str], object] = {}

    def _parameter_validator(self):
        if self._parameters is None:
            operation = self._operation
            uri_parser = operation._uri_parser_class(operation.parameters, operation.body_definition())
            self._parameters = self._validator_map["parameter"](
                operation.parameters,
                uri_parser=uri_parser,
                strict_validation=self.strict_validation,
                security_query_params=self.security_query_params,
            )
        return self._parameters

    def validate_mime_type(self, mime_type: str) -> None:
        if not self._operation.consumes:
            return
        if self._consumes is None:
            # A MediaTypeDict, as Connexion's, so media ranges (`*/*json`) match.
            self._consumes = MediaTypeDict([(media_type.lower(), None) for media_type in self._operation.consumes])
        if mime_type.lower() not in self._consumes:
            raise UnsupportedMediaTypeProblem(
                detail=f"Invalid Content-type ({mime_type}), expected {self._operation.consumes}"
            )

    def _body_validator(self, mime_type: str, encoding: str):
        """The body validator for `mime_type` (None when there is nothing to validate)."""
        validator = self._bodies.get((mime_type, encoding), _UNSET)
        if validator is _UNSET:
            validator = self._bodies[(mime_type, encoding)] = self._new_body_validator(mime_type, encoding)
        return validator

    def _new_body_validator(self, mime_type: str, encoding: str):
        operation = self._operation
        schema = operation.body_schema(mime_type)
        if not schema:
            return None
        try:
            validator_class = self._validator_map["body"][mime_type]
        except KeyError:
            logger.info("Skipping validation. No validator registered for content type: %s.", mime_type)
            return None
        return validator_class(
            schema=schema,
            required=operation.request_body.get("required", False),
            nullable=utils.is_nullable(operation.body_definition(mime_type)),
            encoding=encoding,
            strict_validation=self.strict_validation,
            uri_parser=operation.uri_parser_class(operation.parameters, operation.body_definition()),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._parameter_validator().validate(scope)
        mime_type, encoding = self.extract_content_type(scope["headers"])
        self.validate_mime_type(mime_type)
        validator = self._body_validator(mime_type, encoding)
        if validator is not None:
            receive, scope = await validator.wrap_receive(receive, scope=scope)
        await self.next_app(scope, receive, send)


class PreparedValidationAPI(RequestValidationAPI):
    def make_operation(self, operation) -> PreparedValidationOperation:
        return PreparedValidationOperation(
            self.next_app,
            operation=operation,
            strict_validation=self.strict_validation,
            validator_map=self.validator_map,
        )


class PreparedRequestValidation(RequestValidationMiddleware):
    """Connexion's request validation middleware over `PreparedValidationOperation`s."""

    api_cls = PreparedValidationAPI
