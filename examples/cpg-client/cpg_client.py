#!/usr/bin/env python3
"""Joins a process group on the local tandem-sidecar and chats in it.

Prints every message and membership change of the group, in the group's
total order (every member on every node sees the same sequence), and sends
each line read from standard input as a message. Python 3 standard library
only; the protocol is in docs/sidecar-membership.md, "Ordered messaging for
applications".

    cpg_client.py [--socket PATH] [--json] [--leave-at-eof] GROUP
"""

import argparse
import collections
import json
import os
import selectors
import socket
import sys
import time

DEFAULT_SOCKET = "/var/lib/tandem/membership/cpg.sock"
RETRY_DELAY = 0.05  # seconds before sending again after "try_again"


def member_text(member):
    return "node {node} client {client} (pid {pid})".format(**member)


def describe(event):
    """One human line for an event or reply, or None for quiet replies."""
    kind = event.get("type")
    if kind == "hello":
        return "# connected to node {node} as client {client} (pid {pid})".format(**event)
    if kind == "message":
        return "[{group} ring {ring} seq {seq}] {who}: {data}".format(
            who=member_text(event["sender"]), **event)
    if kind == "membership":
        changes = ["+ " + member_text(m) + " (" + m["reason"] + ")" for m in event["joined"]]
        changes += ["- " + member_text(m) + " (" + m["reason"] + ")" for m in event["left"]]
        members = ", ".join("{node}/{client}".format(**m) for m in event["members"]) or "none"
        return "# {} ring {}: {}; members now: {}".format(
            event["group"], event["ring"], "; ".join(changes), members)
    if kind == "error":
        return "! {}: {}: {}".format(event.get("op", "request"), event["code"], event["error"])
    return None


class Client:
    def __init__(self, path, group, raw, leave_at_eof):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(path)
        self.group = group
        self.raw = raw
        self.leave_at_eof = leave_at_eof
        self.inbox = b""
        self.outgoing = collections.deque()  # stdin lines not yet accepted
        self.waiting = None  # the request whose reply is awaited
        self.retry_at = None
        self.again = None  # the request refused with "try_again"
        self.stdin_open = True
        self.done = False
        self.failed = False
        self.me = {"node": None, "client": None}

    def request(self, **fields):
        self.waiting = fields
        self.sock.sendall((json.dumps(fields) + "\n").encode())

    def show(self, event, line):
        if self.raw:
            print(line.decode(), flush=True)
            return
        text = describe(event)
        if text is not None:
            print(text, flush=True)

    def on_line(self, line):
        event = json.loads(line)
        kind = event.get("type")
        if kind in ("ok", "error") and self.waiting is not None:
            sent, self.waiting = self.waiting, None
            if kind == "error" and event.get("code") == "try_again":
                # In order: the same request goes again, then the rest.
                self.again = sent
                self.retry_at = time.monotonic() + RETRY_DELAY
                return
            if sent["op"] == "mcast" and kind == "ok":
                return
            if sent["op"] == "join" and kind == "error":
                self.show(event, line)
                self.failed = True
                self.done = True
                return
        if kind == "hello":
            self.me = {"node": event["node"], "client": event["client"]}
        if kind == "membership" and any(
                m["node"] == self.me["node"] and m["client"] == self.me["client"]
                and m["reason"] == "leave" for m in event["left"]):
            self.done = True  # the last event: this client's own leave
        self.show(event, line)

    def pump(self):
        if self.waiting is not None or self.done:
            return
        if self.retry_at is not None and time.monotonic() < self.retry_at:
            return
        self.retry_at = None
        if self.again is not None:
            again, self.again = self.again, None
            self.request(**again)
        elif self.outgoing:
            self.request(op="mcast", group=self.group, data=self.outgoing.popleft())
        elif not self.stdin_open and self.leave_at_eof:
            self.request(op="leave", group=self.group)

    def run(self):
        # select() rather than epoll: standard input may be a regular file.
        selector = selectors.SelectSelector()
        selector.register(self.sock, selectors.EVENT_READ, "socket")
        selector.register(sys.stdin, selectors.EVENT_READ, "stdin")
        self.request(op="join", group=self.group)
        while not self.done:
            timeout = None
            if self.retry_at is not None:
                timeout = max(0.0, self.retry_at - time.monotonic())
            for key, _ in selector.select(timeout):
                if key.data == "socket":
                    chunk = self.sock.recv(65536)
                    if not chunk:
                        print("# the sidecar closed the connection", file=sys.stderr)
                        return 1
                    self.inbox += chunk
                    while b"\n" in self.inbox:
                        line, self.inbox = self.inbox.split(b"\n", 1)
                        self.on_line(line)
                else:
                    line = sys.stdin.readline()
                    if line:
                        self.outgoing.append(line.rstrip("\n"))
                    else:
                        self.stdin_open = False
                        selector.unregister(sys.stdin)
            self.pump()
        return 1 if self.failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("group", help="the group to join")
    parser.add_argument("--socket", default=os.environ.get("TANDEM_CPG_SOCKET", DEFAULT_SOCKET),
                        help="the sidecar's socket (default: $TANDEM_CPG_SOCKET, else %(default)s)")
    parser.add_argument("--json", action="store_true", help="print events as the JSON lines received")
    parser.add_argument("--leave-at-eof", action="store_true",
                        help="leave the group and exit once standard input ends and its lines are sent")
    args = parser.parse_args()
    try:
        client = Client(args.socket, args.group, args.json, args.leave_at_eof)
    except OSError as error:
        print("cpg_client.py: cannot connect to {}: {}".format(args.socket, error.strerror),
              file=sys.stderr)
        return 2
    try:
        return client.run()
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
