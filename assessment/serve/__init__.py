"""``nzn serve``: a local web page over the same library functions as the CLI (docs/serve.md).

FastAPI with pages rendered on the server by Jinja2 (autoescaped), a plain ``multipart/form-data`` form that works
without JavaScript, nothing loaded from another origin, a strict Content-Security-Policy, and uploads held to the
CLI's limits (assessment/io/limits.py).
"""

from assessment.serve.app import create_app

__all__ = ["create_app"]
