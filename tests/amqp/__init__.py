"""INVERS events over a real RabbitMQ (issue 15): the broker the tests start, and what consumers see."""
