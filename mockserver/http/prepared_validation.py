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
# Content-Type header values (bytes, or None for none) -> (media type, charset), as Connexion splits them.
_SPLIT: dict[bytes | None, tuple[str | None, str | None]] = {}


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

    def extract_content_type(self, headers: list[tuple[bytes, bytes]]) -> tuple[str, str]:
        """Connexion's answer (the media type and charset of the request, or the operation's first media
        type and UTF-8), without evaluating its typing constructs per call; a header value seen before is
        not split again. (bytes.lower: no latin-1 letter lowers into ASCII, so it finds what str.lower does.)"""
        value = next((value for name, value in headers if name.lower() == b"content-type"), None)
        split = _SPLIT.get(value)
        if split is None:
            split = utils.split_content_type(value.decode("latin-1") if value is not None else None)
            if len(_SPLIT) < 256:  # clients send few; a client sending endless variations is not remembered
                _SPLIT[value] = split
        mime_type, encoding = split
        if mime_type is None:
            # Content-type header is not required. Take a best guess.
            mime_type = self._operation.consumes[0] if self._operation.consumes else "application/octet-stream"
        return mime_type, encoding if encoding is not None else "utf-8"

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
