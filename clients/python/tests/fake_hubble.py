"""A stand-in for Hubble's REST API on 127.0.0.1, answering from a script."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, List, NamedTuple, Optional, Tuple


class Recorded(NamedTuple):
    method: str
    path: str
    headers: Dict[str, str]
    body: Any


class FakeHubble:
    """Records every request; answers each (method, path) with its scripted responses in turn,
    repeating the last one. Anything unscripted gets a 404 problem."""

    def __init__(self) -> None:
        self.requests: List[Recorded] = []
        self._script: Dict[Tuple[str, str], List[Tuple[int, Any]]] = {}
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._answer(self)

            def do_POST(self) -> None:
                fake._answer(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def respond(self, method: str, path: str, *responses: Tuple[int, Any]) -> None:
        with self._lock:
            self._script[(method, path)] = list(responses)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body: Optional[Any] = json.loads(raw) if raw else None
        with self._lock:
            self.requests.append(Recorded(handler.command, handler.path, {k.lower(): v for k, v in handler.headers.items()}, body))
            script = self._script.get((handler.command, handler.path))
            if script:
                status, answer = script.pop(0) if len(script) > 1 else script[0]
            else:
                status, answer = 404, {"title": "Not Found", "status": 404, "detail": f"no route {handler.path}"}
        payload = b"" if answer is None else json.dumps(answer).encode("utf-8")
        handler.send_response(status)
        if payload:
            handler.send_header("Content-Type", "application/json" if status < 400 else "application/problem+json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)
