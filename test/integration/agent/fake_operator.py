#!/usr/bin/env python3
"""A tiny stand-in for tandem-operator, for the agent's integration test.

Speaks the sidecar's side of common/protocol: GET /v1/nodes/NODE/actions
(long poll) and POST /v1/nodes/NODE/report. An action stays in the node's
batch until a report lists its outcome, as the real operator keeps it.
Test-only endpoints: POST /test/nodes/NODE/actions ({"actions": [...]})
queues actions; GET /test/nodes/NODE/report returns the newest report.
FAKE_OPERATOR_PORT in the environment picks the port (to restart on the
same one). Every report is appended to REPORTS (one JSON line each, with the time it
arrived). Listens on 127.0.0.1 only; writes the port it got to PORT_FILE.

usage: fake_operator.py PORT_FILE REPORTS [TOKEN]
"""
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

MAX_BODY = 16 << 20
MAX_WAIT_S = 10.0

lock = threading.Condition()
pending = {}  # node -> [action]
latest = {}  # node -> report
queued_at = {}  # action id -> monotonic time it was queued


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are separate writes

    def log_message(self, fmt, *args):  # quiet: the test prints what matters
        pass

    def reply(self, status, body=b"", content_type="application/json"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authorized(self):
        token = self.server.token
        if token is None:
            return True
        if self.headers.get("Authorization") == "Bearer " + token:
            return True
        self.reply(401, b'{"error":"bad token"}')
        return False

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length < 0 or length > MAX_BODY:
            raise ValueError("body too large")
        return self.rfile.read(length)

    def do_GET(self):
        url = urlparse(self.path)
        parts = url.path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["v1", "nodes"] and parts[3] == "actions":
            if not self.authorized():
                return
            node = parts[2]
            wait_ms = int(parse_qs(url.query).get("wait_ms", ["0"])[0])
            deadline = time.monotonic() + min(wait_ms / 1000.0, MAX_WAIT_S)
            with lock:
                while not pending.get(node) and time.monotonic() < deadline:
                    lock.wait(max(0.0, deadline - time.monotonic()))
                body = json.dumps({"actions": list(pending.get(node, []))}).encode()
            self.reply(200, body)
            return
        if len(parts) == 4 and parts[:2] == ["test", "nodes"] and parts[3] == "report":
            with lock:
                report = latest.get(parts[2])
            self.reply(200 if report else 404, json.dumps(report or {}).encode())
            return
        self.reply(404, b'{"error":"no such path"}')

    def do_POST(self):
        parts = urlparse(self.path).path.strip("/").split("/")
        body = self.read_body()
        if len(parts) == 4 and parts[:2] == ["v1", "nodes"] and parts[3] == "report":
            if not self.authorized():
                return
            report = json.loads(body)
            now = time.monotonic()
            with lock:
                latest[parts[2]] = report
                done = {o["actionId"] for o in report.get("outcomes", [])}
                for o in report.get("outcomes", []):
                    if o["actionId"] in queued_at:
                        report.setdefault("_latencyMs", {})[o["actionId"]] = round(
                            (now - queued_at.pop(o["actionId"])) * 1000, 1)
                pending[parts[2]] = [a for a in pending.get(parts[2], []) if a["id"] not in done]
                with open(self.server.reports, "a") as out:
                    out.write(json.dumps({"node": parts[2], "report": report}) + "\n")
                lock.notify_all()
            self.reply(200, b"{}")
            return
        if len(parts) == 4 and parts[:2] == ["test", "nodes"] and parts[3] == "actions":
            actions = json.loads(body)["actions"]
            with lock:
                for a in actions:
                    queued_at[a["id"]] = time.monotonic()
                pending.setdefault(parts[2], []).extend(actions)
                lock.notify_all()
            self.reply(200, b"{}")
            return
        self.reply(404, b'{"error":"no such path"}')


def main():
    port_file, reports = sys.argv[1], sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", int(os.environ.get("FAKE_OPERATOR_PORT", "0"))),
                                 Handler)
    server.daemon_threads = True
    server.reports = reports
    server.token = sys.argv[3] if len(sys.argv) > 3 else None
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
