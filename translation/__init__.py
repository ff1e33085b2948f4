"""Resumable, quota-wise translation of Algerian Darija segments into English.

Pipeline: ``sources`` (read) → ``clean`` → ``batcher`` → a backend (``backends.groq`` or
``backends.ollama``) → ``validate`` → ``store`` (append-only JSONL), driven by ``engine`` and
the ``cli`` (``python -m translation run|clean``). Output records are
``{id, text, translation, backend, model, created_at}``, the format ``finetune/`` reads.
"""
