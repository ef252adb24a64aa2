"""A fleet's event consumer, as an integrator writes one: an AMQP connection with the consumer's own
credentials (`event_consumer` of a credentials entry), reading the queue of each topic.

Rules claim only the messages their own requests caused (by the `Flow-ID` header, which INVERS' events
share with the request's `X-INVERS-Flow-ID`) and acknowledge only those; every other message is left
unacknowledged and goes back to its queue when the consumer closes, so a check never eats events a real
fleet's pipeline is waiting for.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pika
import pika.exceptions

CONNECT_SECONDS = 10


@dataclass
class Received:
    """One message as a consumer got it: its topic (the queue's), properties, headers and body."""

    topic: str
    queue: str
    properties: pika.BasicProperties
    body: bytes
    delivery_tag: int

    @property
    def headers(self) -> dict:
        return dict(self.properties.headers or {})

    @property
    def flow_id(self) -> str | None:
        return self.headers.get("Flow-ID")

    @property
    def message_type(self) -> str | None:
        return self.headers.get("Message-Type")

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def names(self, text: str) -> bool:
        """Whether the body mentions `text` (a vehicle id) anywhere."""
        return text in self.body.decode("utf-8", errors="replace")


class ConsumerRefused(Exception):
    """The broker refused the consumer (its credentials, or a queue it may not read); `code` is the AMQP
    reply code when the broker gave one (403: access refused, 404: no such queue)."""

    def __init__(self, message: str, code: int | None = None) -> None:
        super().__init__(message)
        self.code = code


class EventConsumer:
    """Reads every queue of one fleet's event consumer (or the queues given) until closed."""

    def __init__(self, consumer: dict, queues: dict[str, str] | None = None) -> None:
        self.queues = dict(queues if queues is not None else consumer["queues"])
        self.received: list[Received] = []
        parameters = pika.URLParameters(consumer["url"])
        parameters.socket_timeout = CONNECT_SECONDS
        parameters.connection_attempts = 1
        try:
            self._connection = pika.BlockingConnection(parameters)
        except pika.exceptions.AMQPConnectionError as error:
            raise ConsumerRefused(f"could not connect as the consumer ({type(error).__name__}: {error})") from error
        self._channel = self._connection.channel()
        try:
            for topic, queue in self.queues.items():
                self._channel.basic_consume(queue, self._on_message(topic, queue), auto_ack=False)
        except pika.exceptions.ChannelClosedByBroker as closed:
            self._connection.close()
            raise ConsumerRefused(f"{closed.reply_code} {closed.reply_text}", closed.reply_code) from closed

    def _on_message(self, topic: str, queue: str) -> Callable:
        def received(channel, method, properties, body) -> None:
            self.received.append(Received(topic, queue, properties, body, method.delivery_tag))

        return received

    def of_flows(self, flow_ids: Iterable[str], topic: str | None = None) -> list[Received]:
        """The messages received so far that the requests with `flow_ids` caused, in arrival order."""
        wanted = set(flow_ids)
        return [m for m in self.received if m.flow_id in wanted and topic in (None, m.topic)]

    def wait(self, condition: Callable[[], bool], seconds: float) -> bool:
        """Read messages until `condition()` holds or `seconds` pass; whether it held."""
        deadline = time.monotonic() + seconds
        while not condition():
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self._connection.process_data_events(time_limit=min(left, 0.1))
        return True

    def settle(self, seconds: float) -> None:
        """Read whatever else arrives within `seconds` (to see that something did not)."""
        self.wait(lambda: False, seconds)

    def close(self, claimed: Iterable[str] = ()) -> None:
        """Acknowledge the messages of the `claimed` flows; the rest go back to their queues."""
        wanted = set(claimed)
        try:
            for message in self.received:
                if message.flow_id in wanted:
                    self._channel.basic_ack(message.delivery_tag)
            self._connection.close()
        except pika.exceptions.AMQPError:
            pass
