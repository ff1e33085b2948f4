"""Settings come from the environment, with embedded defaults for everything that is not secret.

Nothing secret has a default here: ``make run`` generates a SECRET_KEY into ``var/`` for a
local install, and production sets it in the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from telemetry import logs

BASE_DIR = Path(__file__).resolve().parent.parent


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "SECRET_KEY is not set. Set it in the environment (e.g. `export SECRET_KEY=$(python -c "
        "'import secrets; print(secrets.token_urlsafe(50))')`), or start hadra with `make run`, "
        "which keeps one in var/secret_key."
    )
DEBUG = os.environ.get("DEBUG", "") == "1"
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
# Browser origins allowed to open the WebSocket and post with CSRF (scheme://host:port).
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

MONGODB_URI = os.environ.get("MONGODB_URI", "mongodb://127.0.0.1:27017/hadra?directConnection=true")
REDIS_URL = os.environ.get("REDIS_URL", "")
# The Ollama hosts answers go to (chat/host_choice.py): OLLAMA_HOSTS, comma-separated, for a fleet;
# OLLAMA_HOST, the one-host form, otherwise. OLLAMA_HOST is the first of them (single-host tools).
OLLAMA_HOSTS = [
    h.strip().rstrip("/")
    for h in (os.environ.get("OLLAMA_HOSTS") or os.environ.get("OLLAMA_HOST") or "http://127.0.0.1:11434").split(",")
    if h.strip()
]
OLLAMA_HOST = OLLAMA_HOSTS[0]
# How often each process asks every Ollama host whether it is up and which models it has.
OLLAMA_HEALTH_INTERVAL_S = float(os.environ.get("HADRA_OLLAMA_HEALTH_INTERVAL_S") or 5)
DEFAULT_MODEL = os.environ.get("DEFAULT_MODEL", "hadra-gemma3")
# Longest answer in tokens (Ollama's num_predict): without a cap a rambling model runs until its
# context is full, which some Ollama builds end by dropping the connection.
MAX_ANSWER_TOKENS = _int("HADRA_MAX_ANSWER_TOKENS", 1024)
# Longest silence accepted from Ollama mid-answer (a cold model load on CPU can take a while).
OLLAMA_READ_TIMEOUT_S = float(os.environ.get("HADRA_OLLAMA_READ_TIMEOUT_S") or 300)
# Admission control (chat/admission.py): answers one Ollama host streams at once, for all hadra
# processes together; the rest wait in one first-in-first-out queue, shown to their users.
# Ollama does not report its OLLAMA_NUM_PARALLEL; its own default is 4 when memory allows (1
# otherwise) and past it Ollama queues silently. 4 matches that default: set it to the host's
# OLLAMA_NUM_PARALLEL (lower wastes the host, higher hides the queue inside Ollama again).
# HADRA_ prefixed: OLLAMA_MAX_QUEUE is Ollama's own variable, and the embedded Ollama shares the environment.
OLLAMA_MAX_PARALLEL = _int("HADRA_OLLAMA_MAX_PARALLEL", 4)
# Answers that may wait per host; past it a send is refused (model_queue_full). At 4 in parallel
# and some 10 s an answer, the 64th waits about 3 minutes: longer, and a person is better told.
OLLAMA_MAX_QUEUE = _int("HADRA_OLLAMA_MAX_QUEUE", 64)
# With Redis: how long a slot or a place in the queue outlives a process that stopped renewing it
# (renewed every third of it), so a killed process blocks the queue for at most this long.
OLLAMA_LEASE_S = float(os.environ.get("HADRA_OLLAMA_LEASE_S") or 30)

# Limits, each answered with a clear error frame or HTTP 4xx.
HADRA_LIMITS = {
    "max_frame_bytes": _int("HADRA_MAX_FRAME_BYTES", 64 * 1024),
    "max_content_chars": _int("HADRA_MAX_CONTENT_CHARS", 32_000),
    "messages_per_minute": _int("HADRA_MESSAGES_PER_MINUTE", 20),
    "generations_per_user": _int("HADRA_GENERATIONS_PER_USER", 3),
    # conversation.open and message.sync from a client, each counted per user (a person clicking
    # through the sidebar stays far below it; the sync the server sends after an open is not counted).
    "reads_per_minute": _int("HADRA_READS_PER_MINUTE", 120),
    # Per username from one address (and sign-ups per address): guesses from elsewhere never lock
    # the owner out. The per-address limit is larger, so it is not the same limit twice.
    "login_attempts_per_minute": _int("HADRA_LOGIN_ATTEMPTS_PER_MINUTE", 10),
    "login_attempts_per_address_per_minute": _int(
        "HADRA_LOGIN_ATTEMPTS_PER_ADDRESS_PER_MINUTE", 3 * _int("HADRA_LOGIN_ATTEMPTS_PER_MINUTE", 10)
    ),
    "token_creations_per_minute": _int("HADRA_TOKEN_CREATIONS_PER_MINUTE", 20),
    "max_import_bytes": _int("HADRA_MAX_IMPORT_BYTES", 16 * 1024 * 1024),
}

INSTALLED_APPS = [
    "daphne",
    "channels",
    "api",  # for its management command, create_staff_user
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "asgi_app.content_security_policy.ContentSecurityPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "access.session_middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "asgi_app.middleware.DatabaseMiddleware",
]

# Headers on every response (SecurityMiddleware, XFrameOptionsMiddleware and
# asgi_app.content_security_policy): no framing, no referrer sent to other sites, no MIME sniffing,
# and pages load scripts, styles, images and connections from their own origin only, so an image
# an answer points at on another site is never fetched (its URL could carry data away).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}

ROOT_URLCONF = "asgi_app.urls"
ASGI_APPLICATION = "asgi_app.asgi.application"

# No relational database: every document lives in MongoDB (models/), sessions included.
DATABASES: dict = {}
SESSION_ENGINE = "access.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "") == "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# Sockets of this process are served directly; with REDIS_URL, other processes through Redis
# pub/sub (asgi_app/channel_layer.py says why not a layer Channels ships). ``capacity``: messages a
# socket may have waiting before it is told it lags (about 40 s of one answer's deltas).
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "asgi_app.channel_layer.FanoutLayer",
        "CONFIG": {"redis_url": REDIS_URL or None, "capacity": 1000},
    }
}

WEB_DIST = Path(os.environ.get("HADRA_WEB_DIST", BASE_DIR / "web" / "dist"))

TEMPLATES: list = []
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Every line (Django's, daphne's, hadra's) as text, or as one JSON object with HADRA_LOG_FORMAT=json;
# lines about an answer or a client's frame carry its answer_id / request_id (telemetry/logs.py).
HADRA_LOG_FORMAT = os.environ.get("HADRA_LOG_FORMAT") or "text"
if HADRA_LOG_FORMAT not in logs.FORMATS:
    raise ImproperlyConfigured(f"HADRA_LOG_FORMAT must be one of {', '.join(logs.FORMATS)}, got {HADRA_LOG_FORMAT!r}")
LOGGING = logs.logging_config(HADRA_LOG_FORMAT, os.environ.get("LOG_LEVEL", "INFO"))

# /metrics is for staff (a session, or a staff user's token as `Authorization: Bearer`). For a
# Prometheus that should not hold one, HADRA_METRICS_PORT serves them on a listener of their own,
# on HADRA_METRICS_ADDR (loopback unless set): off by default, never public unless asked.
HADRA_METRICS_PORT = _int("HADRA_METRICS_PORT", 0)
HADRA_METRICS_ADDR = os.environ.get("HADRA_METRICS_ADDR") or "127.0.0.1"
