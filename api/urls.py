"""JSON API routes; the paths are a contract (DESIGN.md, HTTP)."""

urlpatterns: list = []
