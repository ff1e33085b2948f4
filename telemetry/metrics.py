"""The metrics every hadra process keeps, in prometheus-client's default registry.

Why per process: daphne processes share no memory, and Prometheus scrapes each one (each target's
series are summed or split by ``instance`` at query time), as the client library's docs advise for
servers that are not forked workers. Labels stay few and bounded: an Ollama host is one of
OLLAMA_HOSTS, never a user or a model name typed by a person.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

ANSWERS_IN_FLIGHT = Gauge("hadra_answers_in_flight", "Answers this process is streaming from an Ollama host.", ["host"])
ANSWERS_QUEUED = Gauge(
    "hadra_answers_queued", "Answers of this process waiting for a slot on an Ollama host.", ["host"]
)
OLLAMA_HOST_UP = Gauge(
    "hadra_ollama_host_up", "1 when the last health check of the Ollama host succeeded, 0 otherwise.", ["host"]
)
