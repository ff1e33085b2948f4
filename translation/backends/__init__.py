"""Translation backends: one interface (``Backend``), two providers (Groq, local Ollama)."""

from translation.backends.base import Backend, Completion

__all__ = ["Backend", "Completion"]
