# SPDX-License-Identifier: MIT
"""A real Oxigraph server on 127.0.0.1 for the store tests, and a loopback proxy that can kill it.

The server is the `oxigraph serve` binary from the `oxigraph` package (test
extra). The proxy forwards one TCP connection per request (urllib opens a new
one each time) and can SIGKILL the server at an exact point of the N-th
request: half-way through its body, or once all of it was forwarded and
before the answer. It also records request headers (to check credentials).
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OxigraphServer:
    def __init__(self, location: Path):
        binary = shutil.which("oxigraph")
        if binary is None:
            raise RuntimeError("the `oxigraph` binary is missing: pip install oxigraph (the test extra has it)")
        self.binary = binary
        self.location = location
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    def start(self) -> "OxigraphServer":
        self.location.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [self.binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited: {self.process.stderr.read().decode(errors='replace')}")
            try:
                request = urllib.request.Request(self.query_url, data=b"ASK {}", method="POST",
                                                 headers={"Content-Type": "application/sparql-query"})
                with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(request, timeout=2):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not answer within 60 s")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=30)
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process is not None and self.process.stderr:
            self.process.stderr.close()


class KillingProxy:
    """Forward 127.0.0.1:port to the server; on update request number ``kill_at`` kill the server at ``point``.

    Only requests to .../update are counted (publish also asks .../query first).

    point "half-body": after half of that request's body was forwarded (the rest never is);
    point "body-sent": after the whole request was forwarded, before any answer is read.
    """

    def __init__(self, server: OxigraphServer, kill_at: int | None = None, point: str = "body-sent",
                 delay: float = 0.0):
        self.server = server
        self.delay = delay  # body-sent: seconds to wait before the kill (the server is applying the update)
        self.kill_at = kill_at
        self.point = point
        self.port = free_port()
        self.requests = 0
        self.updates = 0
        self.headers: list[dict[str, str]] = []
        self.errors: list[str] = []  # what went wrong inside the proxy (a test shows it when it fails)
        self.killed = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", self.port))
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def query_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/query"

    def close(self) -> None:
        self._listener.close()

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            self.requests += 1
            threading.Thread(target=self._handle, args=(client,), daemon=True).start()

    def _handle(self, client: socket.socket) -> None:
        try:
            self._forward(client)
        except Exception as e:  # noqa: BLE001 - recorded for the test, never lost in a thread
            self.errors.append(f"{type(e).__name__}: {e}")

    def _forward(self, client: socket.socket) -> None:
        with client:
            upstream = socket.create_connection(("127.0.0.1", self.server.port), timeout=60)
            with upstream:
                head = b""
                while b"\r\n\r\n" not in head:
                    chunk = client.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                header_bytes, _, body = head.partition(b"\r\n\r\n")
                lines = header_bytes.decode("latin-1").split("\r\n")
                is_update = lines[0].split(" ")[1].rstrip("/").endswith("/update") if " " in lines[0] else False
                if is_update:
                    self.updates += 1
                headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
                self.headers.append(headers)
                length = int(headers.get("content-length", "0"))
                while len(body) < length:
                    chunk = client.recv(65536)
                    if not chunk:
                        return
                    body += chunk
                kill_here = is_update and self.updates == self.kill_at
                if kill_here and self.point == "half-body":
                    upstream.sendall(header_bytes + b"\r\n\r\n" + body[: length // 2])
                    time.sleep(0.2)  # let the server read the half it got
                    self._kill()
                    return
                upstream.sendall(header_bytes + b"\r\n\r\n" + body)
                if kill_here:
                    time.sleep(self.delay)
                    self._kill()
                    return
                while True:
                    chunk = upstream.recv(65536)
                    if not chunk:
                        return
                    client.sendall(chunk)

    def _kill(self) -> None:
        self.server.kill()
        self.killed.set()
