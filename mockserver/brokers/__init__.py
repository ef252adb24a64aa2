"""Message brokers a server delivers events to besides webhooks: AMQP (`amqp.py`) with RabbitMQ's users
(`rabbitmq_admin.py`). Profiles say what goes where (invers/amqp.py); this package only carries it."""
