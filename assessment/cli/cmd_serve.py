"""`nzn serve`: the local web page (docs/serve.md)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from assessment.cli.app import app
from assessment.cli.common import (
    DEFAULT_FILE_MB,
    DEFAULT_UNCOMPRESSED_MB,
    MaxFileMb,
    MaxRows,
    MaxText,
    MaxUncompressedMb,
    MethodOption,
    console,
    fail,
    guard,
    limits_from,
)
from assessment.i18n import _
from assessment.io.limits import DEFAULT_LIMITS


@app.command("serve")
@guard
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on (default: this computer only).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on (0: a free one, printed at start).", min=0, max=65535)] = 8765,
    store: Annotated[
        Optional[str],
        typer.Option(
            "--store", help="History store to list and record in: a URL or a .sqlite file; --store alone: the default store. Default: none."
        ),
    ] = None,
    method: MethodOption = None,
    max_file_mb: MaxFileMb = DEFAULT_FILE_MB,
    max_uncompressed_mb: MaxUncompressedMb = DEFAULT_UNCOMPRESSED_MB,
    max_rows: MaxRows = DEFAULT_LIMITS.max_table_rows,
    max_text: MaxText = DEFAULT_LIMITS.max_text_chars,
) -> None:
    """Start the local web page: download the template, upload a workbook, see its problems or its scorecard, download the outputs."""
    import socket

    import uvicorn  # start-up: the web stack loads only for nzn serve

    from assessment.serve import create_app

    limits = limits_from(max_file_mb, max_uncompressed_mb, max_rows, max_text)
    if store is not None:
        from assessment.store import open_store

        open_store(store).close()  # a store that cannot be opened is reported now, not on the first page
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        fail(_("cannot listen on {host}:{port}: {reason}").format(host=host, port=port, reason=exc.strerror or exc))
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    console.print(_("nzn serve: open http://{host}:{port}/ in a browser (Ctrl-C to stop)").format(host=shown, port=actual))
    server = uvicorn.Server(uvicorn.Config(create_app(store, limits, str(method) if method else None), log_level="warning"))
    server.run(sockets=[sock])
