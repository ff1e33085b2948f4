"""The services hadra starts itself when nothing is configured: MongoDB-protocol, Redis, a CPU Ollama.

Each runs as its own process group with a PID file and a log under ``var/``, so a later
``make run`` reuses it and a stop takes its children with it.
"""
