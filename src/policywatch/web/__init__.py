"""The web interface: a JSON API under /api/v1 and server-rendered pages (FastAPI + Jinja2)."""
