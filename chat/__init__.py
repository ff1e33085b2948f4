"""The generation service: start, stop, resume, checkpoints, titles, the in-process task registry."""
