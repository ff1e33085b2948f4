"""The contract between hadra's server and its clients: every WebSocket frame, every HTTP body, the
export file format and the one set of error codes, each defined once, in pydantic.

Why one package: the consumer, ``chat/``, ``api/`` and the Ollama gateway build and parse through
these models, and the web app's TypeScript types are generated from their JSON Schema
(``python -m contract``), so a shape cannot drift between the parts. This package depends on
pydantic alone; every other package may import it.
"""
