"""HTTP routes: the JSON API under /api/, health, metrics (staff), and the built web app for everything else."""

from django.urls import include, path, re_path

from asgi_app import health, metrics_view, webapp

urlpatterns = [
    path("healthz", health.healthz),
    path("metrics", metrics_view.metrics),
    path("api/", include("api.urls")),
    re_path(r"^assets/(?P<path>.+)$", webapp.asset),
    re_path(r"^(?!api/|ws/).*$", webapp.index),
]
