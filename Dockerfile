# fleetbox sandbox image: a build stage installs the project into a virtual environment (the
# `pip install` the Makefile runs, without the `dev` extra); a slim runtime stage copies it and
# runs as an unprivileged user.
#   docker build -t fleetbox .
#   docker run --rm -p 8080:8080 fleetbox

FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/fleetbox
COPY pyproject.toml README.md ./
COPY mockserver ./mockserver
COPY conformance ./conformance
COPY fixtures ./fixtures
COPY openapi ./openapi
RUN /opt/fleetbox/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/fleetbox/bin/pip install --no-cache-dir .

FROM python:3.11-slim
LABEL org.opencontainers.image.title="fleetbox" \
      org.opencontainers.image.description="Stateful sandbox and conformance kit for vehicle-fleet APIs"
RUN useradd --system --uid 10001 --no-create-home fleetbox \
 && mkdir /data && chown fleetbox /data
COPY --from=build /opt/fleetbox /opt/fleetbox
# Sandboxes are kept in /data (mount a volume to keep them across containers; FLEETBOX_STORE=memory keeps nothing).
ENV PATH="/opt/fleetbox/bin:$PATH" PYTHONUNBUFFERED=1 FLEETBOX_STORE=sqlite:////data/store.sqlite
VOLUME /data
USER fleetbox
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/__sandbox/health')"
ENTRYPOINT ["fleetbox"]
# A container must bind 0.0.0.0; its published port is the door. Set FLEETBOX_CONTROL_TOKEN to protect
# the control plane (--insecure-control then changes nothing).
CMD ["serve", "--host", "0.0.0.0", "--port", "8080", "--insecure-control"]
