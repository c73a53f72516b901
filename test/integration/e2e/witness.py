#!/usr/bin/env python3
"""A singleton's stand-in for the end-to-end tests: while it runs it appends
"NODE UNIX_MS" to a shared log every 20 ms, so that a checker can tell
afterwards whether two copies ever ran at the same time, whatever Tandem
itself reported. The node is the network namespace it runs in.

    witness.py LOG [NAMESPACE_PREFIX] [--port N [--ready-after SECONDS]
                                       [--fail-dir DIR]]
                                      [--while-file FILE --while-content TEXT]

--port: listen on 127.0.0.1:N (inside the node's namespace) for a
tcpConnect health probe; --ready-after: only after that long, so that its
start takes that long; --fail-dir: when DIR/fail-NODE appears, remove it
and stop listening (the process keeps running and logging), so that the
next monitor fails. --while-file: log only while FILE holds TEXT (an
agent's state, such as pacemaker:Stateful's "Promoted"); started by the
test inside a node's namespace, it dies with the node.

Exits on SIGTERM (writing "NODE stop UNIX_MS"), and by itself after an hour
so that nothing outlives a broken test for long.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("log")
parser.add_argument("prefix", nargs="?", default="")
parser.add_argument("--port", type=int)
parser.add_argument("--ready-after", type=float, default=0.0)
parser.add_argument("--fail-dir")
parser.add_argument("--while-file")
parser.add_argument("--while-content")
args = parser.parse_args()

try:
    ns = subprocess.run(["ip", "netns", "identify", str(os.getpid())], capture_output=True,
                        text=True, timeout=5).stdout.strip()
except (OSError, subprocess.SubprocessError):
    ns = ""
node = ns[len(args.prefix):] if args.prefix and ns.startswith(args.prefix) else (ns or "unknown")
fd = os.open(args.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)


def write(text):
    os.write(fd, (text + "\n").encode())


def holds():
    if not args.while_file:
        return True
    try:
        with open(args.while_file) as f:
            return f.read().strip() == args.while_content
    except OSError:
        return False


def stop(_signum, _frame):
    write(f"{node} stop {int(time.time() * 1000)}")
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
started = time.monotonic()
deadline = started + 3600
listener = None
failed = False
fail_flag = os.path.join(args.fail_dir, f"fail-{node}") if args.fail_dir else None
while time.monotonic() < deadline:
    if holds():
        write(f"{node} {int(time.time() * 1000)}")
    if args.port and listener is None and not failed and \
            time.monotonic() - started >= args.ready_after:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", args.port))
        listener.listen(16)
        listener.setblocking(False)
    if listener is not None:
        # Probes connect and go; accepting keeps the backlog from filling.
        try:
            while True:
                listener.accept()[0].close()
        except BlockingIOError:
            pass
    if fail_flag and os.path.exists(fail_flag):
        os.unlink(fail_flag)
        failed = True
        if listener is not None:
            listener.close()
            listener = None
    time.sleep(0.02)
