"""The metrics every hadra process keeps, in prometheus-client's default registry.

Why per process: daphne processes share no memory, and Prometheus scrapes each one (each target's
series are summed or split by ``instance`` at query time), as the client library's docs advise for
servers that are not forked workers. Labels stay few and bounded: an Ollama host is one of
OLLAMA_HOSTS, never a user or a model name typed by a person.
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram, start_http_server

ANSWERS_IN_FLIGHT = Gauge("hadra_answers_in_flight", "Answers this process is streaming from an Ollama host.", ["host"])
ANSWERS_QUEUED = Gauge(
    "hadra_answers_queued", "Answers of this process waiting for a slot on an Ollama host.", ["host"]
)
OLLAMA_HOST_UP = Gauge(
    "hadra_ollama_host_up", "1 when the last health check of the Ollama host succeeded, 0 otherwise.", ["host"]
)

SOCKETS_OPEN = Gauge("hadra_sockets_open", "WebSockets this process has accepted and not yet closed.", ["kind"])

# Answers take seconds: a first token within a second on a warm GPU, tens of seconds on a CPU or
# behind a cold model load; a whole answer up to minutes (HADRA_MAX_ANSWER_TOKENS at a few tokens/s).
TTFT_BUCKETS_S = (0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)
DURATION_BUCKETS_S = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200)
ANSWER_TTFT = Histogram(
    "hadra_answer_ttft_seconds",
    "Time from an answer's start (its admission, when it waited) to its first token.",
    buckets=TTFT_BUCKETS_S,
)
ANSWER_DURATION = Histogram(
    "hadra_answer_duration_seconds",
    "Time from an answer's start (its admission, when it waited) to its end, by how it ended.",
    ["status"],
    buckets=DURATION_BUCKETS_S,
)
ANSWERS_ENDED = Counter("hadra_answers_ended", "Answers that ended, by how (complete, stopped, failed).", ["status"])
TOKENS_DELIVERED = Counter(
    "hadra_tokens_delivered", "Tokens of the answers that ended (Ollama's count, or the pieces streamed)."
)

CHECKPOINT_WRITES = Counter(
    "hadra_checkpoint_writes",
    "Writes of answers to MongoDB: texts while they stream (progress) and their endings; failed ones are retried.",
    ["kind", "outcome"],
)

CHANNEL_LAYER_ERRORS = Counter(
    "hadra_channel_layer_errors",
    "Channel-layer trouble, by kind: publish (a send gave up on Redis), subscribe (a group joined while Redis"
    " was away), subscription (the Redis subscription was lost), lagging (a socket's backlog was dropped).",
    ["kind"],
)


# Series that exist from the start, at zero: Prometheus sees a counter's first increase, and a
# dashboard shows 0 rather than no data.
SOCKETS_OPEN.labels("chat")
for _status in ("complete", "stopped", "failed"):
    ANSWERS_ENDED.labels(_status)
for _kind in ("progress", "endings"):
    for _outcome in ("ok", "failed"):
        CHECKPOINT_WRITES.labels(_kind, _outcome)
for _kind in ("publish", "subscribe", "subscription", "lagging"):
    CHANNEL_LAYER_ERRORS.labels(_kind)


_serving = False


def serve(port: int, addr: str) -> None:
    """The metrics on a listener of their own (``HADRA_METRICS_PORT``), for a Prometheus that cannot
    sign in; once per process (it is a thread of the process, whatever its event loops)."""
    global _serving
    if port and not _serving:
        _serving = True
        start_http_server(port, addr)
