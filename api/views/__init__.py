"""HTTP views by resource. Each module declares its operations; api/urls.py binds them to paths."""
