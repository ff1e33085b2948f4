"""The Django project: settings, routing, health and the per-loop database start-up."""
