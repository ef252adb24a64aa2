"""AmqpPublisher: one background thread that declares queues and publishes messages to an AMQP broker,
in order, at least once, from a bounded buffer, without ever making its callers wait.

Callers (event listeners running inside a vendor API call) only append a job to the buffer. The thread
takes the oldest job, performs it and only then removes it: a job interrupted by a lost connection is
performed again after reconnecting (publisher confirms tell when the broker has a message), so nothing
is lost while the broker is down and a message may come twice. Jobs are performed one at a time on one
channel, so messages keep their order in every queue. When the buffer is full, new messages are
refused and counted as dropped; a broker that never comes back costs memory up to the bound, nothing more.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import pika
import pika.exceptions

from .rabbitmq_admin import AdminRefused, BrokerUnavailable, RabbitAdmin, User

DEFAULT_BUFFER = 10_000
IDLE_SECONDS = 1.0
RETRY_SECONDS = (0.2, 0.5, 1.0, 2.0)
NOT_FOUND = 404

log = logging.getLogger("fleetbox.amqp")
# pika logs every failed connection attempt as an error; the publisher reports its state itself.
logging.getLogger("pika").setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Message:
    """One message for one exchange; `owner` (a sandbox id) is what pending counts and clean-ups go by."""

    owner: str
    exchange: str
    routing_key: str
    body: bytes
    properties: pika.BasicProperties


@dataclass(frozen=True)
class Topology:
    """What one owner has on the broker: durable direct exchanges, durable queues bound to them with one
    routing key each (queue, exchange, key), and the users that consume from them."""

    owner: str
    exchanges: tuple[str, ...] = ()
    queues: tuple[tuple[str, str, str], ...] = ()
    users: tuple[User, ...] = ()


@dataclass(frozen=True)
class _Declare:
    topology: Topology


@dataclass(frozen=True)
class _Remove:
    topology: Topology


@dataclass
class Status:
    connected: bool = False
    # Whether the thread has tried to connect yet (until then, nobody knows whether the broker is there).
    attempted: bool = False
    published: Counter = field(default_factory=Counter)
    dropped: Counter = field(default_factory=Counter)
    last_error: str | None = None


def redacted(url: str) -> str:
    """`url` without its password, for banners and the control plane."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def vhost_of(url: str) -> str:
    """The virtual host an AMQP URL names (`/` when it names none)."""
    path = urlsplit(url).path
    return unquote(path[1:]) if len(path) > 1 else "/"


class AmqpPublisher:
    """Publishes to the broker at `url`; users are managed through `admin` when there is one."""

    def __init__(self, url: str, admin: RabbitAdmin | None = None, buffer: int = DEFAULT_BUFFER) -> None:
        self.url = url
        self.admin = admin
        self.buffer = buffer
        self.status = Status()
        self._parameters = pika.URLParameters(url)
        self._parameters.connection_attempts = 1
        self._parameters.socket_timeout = 5
        self._parameters.blocked_connection_timeout = 30
        self._jobs: deque = deque()
        self._waiting = 0
        self._declared: dict[str, Topology] = {}
        self._changed = threading.Condition()
        self._stopping = False
        self._connection: pika.BlockingConnection | None = None
        self._channel = None
        self._thread = threading.Thread(target=self._run, name="fleetbox-amqp", daemon=True)
        self._thread.start()

    # --- what callers do (never waits for the broker) -------------------------------------------

    def publish(self, message: Message) -> bool:
        """Queue `message`; False (and counted as dropped) when the buffer is full."""
        with self._changed:
            if self._waiting >= self.buffer:
                self.status.dropped[message.owner] += 1
                return False
            self._jobs.append(message)
            self._waiting += 1
            self._changed.notify()
        return True

    def declare(self, topology: Topology, wait: float = 0.0) -> None:
        """Create what `topology` names (idempotent); kept, and declared again after every reconnection.

        With `wait`, and a broker connected, waits up to that many seconds for it to exist, so consumers
        told of their queues a moment later find them.
        """
        job = _Declare(topology)
        self._control(job)
        deadline = time.monotonic() + wait
        with self._changed:
            # Not for a broker known to be away: its queues will come when it does.
            while (
                (self.status.connected or not self.status.attempted)
                and any(queued is job for queued in self._jobs)
                and time.monotonic() < deadline
            ):
                self._changed.wait(0.05)

    def remove(self, topology: Topology, forget_messages: bool = True) -> None:
        """Delete what `topology` names, dropping its owner's messages still waiting (they go nowhere now)."""
        with self._changed:
            if forget_messages:
                kept = [job for job in self._jobs if not (isinstance(job, Message) and job.owner == topology.owner)]
                self._waiting -= len(self._jobs) - len(kept)
                self._jobs = deque(kept)
        self._control(_Remove(topology))

    def pending(self, owner: str | None = None) -> int:
        """Messages not yet confirmed by the broker (of `owner`, or of all)."""
        with self._changed:
            return sum(1 for job in self._jobs if isinstance(job, Message) and owner in (None, job.owner))

    def wait_until_idle(self, timeout: float) -> bool:
        """True once every job is done (for tests and an orderly shutdown)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._jobs:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.1))
        return True

    def close(self) -> None:
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._thread.join(timeout=10)
        if self.admin is not None:
            self.admin.close()

    def _control(self, job) -> None:
        # Declarations and removals are few and never dropped: the buffer bounds messages only.
        with self._changed:
            self._jobs.append(job)
            self._changed.notify()

    # --- the thread --------------------------------------------------------------------------------

    def _run(self) -> None:
        failures = 0
        while True:
            with self._changed:
                if not self._jobs and not self._stopping:
                    self._changed.wait(IDLE_SECONDS)
                if self._stopping:
                    break
                job = self._jobs[0] if self._jobs else None
            try:
                self._connect()
                if job is None:
                    # Idle: answer the broker's heartbeats, and notice a lost connection early.
                    self._connection.process_data_events(0)
                    continue
                self._perform(job)
            except pika.exceptions.ChannelClosedByBroker as closed:
                # The broker refused this job itself (a queue declared otherwise, a missing permission):
                # trying it again would be refused again, so it is skipped and the reason shown.
                self._refused(job, closed)
            except (pika.exceptions.AMQPError, BrokerUnavailable, OSError) as error:
                self._lost(error)
                time.sleep(RETRY_SECONDS[min(failures, len(RETRY_SECONDS) - 1)])
                failures += 1
                continue
            failures = 0
            self._done(job)
        self._disconnect()

    def _refused(self, job, closed: pika.exceptions.ChannelClosedByBroker) -> None:
        self._channel = None
        self.status.last_error = (
            f"the broker refused {type(job).__name__.strip('_')}: {closed.reply_code} {closed.reply_text}"
        )
        log.warning("fleetbox: %s", self.status.last_error)
        if isinstance(job, Message):
            self.status.dropped[job.owner] += 1

    def _done(self, job) -> None:
        with self._changed:
            if self._jobs and self._jobs[0] is job:
                self._jobs.popleft()
                if isinstance(job, Message):
                    self._waiting -= 1
            self._changed.notify_all()

    def _connect(self) -> None:
        if self._channel is not None and self._channel.is_open and self._connection.is_open:
            return
        try:
            if self._connection is None or not self._connection.is_open:
                self._connection = pika.BlockingConnection(self._parameters)
        finally:
            self.status.attempted = True
        self._open_channel()
        for topology in list(self._declared.values()):
            try:
                self._declare_on_broker(topology)
            except pika.exceptions.ChannelClosedByBroker as closed:
                self.status.last_error = f"the broker refused to declare again: {closed.reply_code} {closed.reply_text}"
                self._open_channel()
        if not self.status.connected:
            log.warning("fleetbox: connected to the AMQP broker at %s", redacted(self.url))
        self.status.connected = True

    def _open_channel(self) -> None:
        self._channel = self._connection.channel()
        self._channel.confirm_delivery()

    def _lost(self, error: Exception) -> None:
        text = f"{type(error).__name__}: {error}"
        if self.status.connected:
            log.warning("fleetbox: lost the AMQP broker (%s); events wait in a buffer of %d", text, self.buffer)
        self.status.connected = False
        self.status.last_error = text
        self._disconnect()

    def _disconnect(self) -> None:
        try:
            if self._connection is not None and self._connection.is_open:
                self._connection.close()
        except (pika.exceptions.AMQPError, OSError):
            pass
        self._connection = self._channel = None

    def _perform(self, job) -> None:
        if isinstance(job, Message):
            self._publish(job)
        elif isinstance(job, _Declare):
            self._declare_on_broker(job.topology)
            self._declared[job.topology.owner] = job.topology
        else:
            self._declared.pop(job.topology.owner, None)
            self._remove_on_broker(job.topology)

    def _publish(self, message: Message) -> None:
        try:
            self._channel.basic_publish(message.exchange, message.routing_key, message.body, message.properties)
        except pika.exceptions.ChannelClosedByBroker as closed:
            # Its exchange is gone (its sandbox was deleted): the message has nowhere to go.
            if closed.reply_code != NOT_FOUND:
                raise
            self._channel = None
            self.status.last_error = f"dropped a message for the missing exchange {message.exchange!r}"
            return
        self.status.published[message.owner] += 1

    def _declare_on_broker(self, topology: Topology) -> None:
        for exchange in topology.exchanges:
            self._channel.exchange_declare(exchange, exchange_type="direct", durable=True)
        for queue, exchange, key in topology.queues:
            self._channel.queue_declare(queue, durable=True)
            self._channel.queue_bind(queue, exchange, routing_key=key)
        for user in topology.users:
            self._admin(lambda admin, user=user: admin.put_user(user))

    def _remove_on_broker(self, topology: Topology) -> None:
        for queue, _, _ in topology.queues:
            self._channel.queue_delete(queue)
        for exchange in topology.exchanges:
            self._channel.exchange_delete(exchange)
        for user in topology.users:
            self._admin(lambda admin, user=user: admin.delete_user(user.name))

    def _admin(self, call) -> None:
        if self.admin is None:
            return
        try:
            call(self.admin)
        except AdminRefused as refused:
            # Trying again would be refused again; the control plane shows why consumers cannot log in.
            self.status.last_error = str(refused)
            log.warning("fleetbox: the RabbitMQ management API refused: %s", refused)
