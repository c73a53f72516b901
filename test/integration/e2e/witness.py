#!/usr/bin/env python3
"""A singleton's stand-in for the end-to-end tests: while it runs it appends
"NODE UNIX_MS" to a shared log every 20 ms, so that a checker can tell
afterwards whether two copies ever ran at the same time, whatever Tandem
itself reported. The node is the network namespace it runs in.

    witness.py LOG [NAMESPACE_PREFIX]

Exits on SIGTERM (writing "NODE stop UNIX_MS"), and by itself after an hour
so that nothing outlives a broken test for long.
"""
import os
import signal
import subprocess
import sys
import time

log, prefix = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
try:
    ns = subprocess.run(["ip", "netns", "identify", str(os.getpid())], capture_output=True,
                        text=True, timeout=5).stdout.strip()
except (OSError, subprocess.SubprocessError):
    ns = ""
node = ns[len(prefix):] if prefix and ns.startswith(prefix) else (ns or "unknown")
fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)


def write(text):
    os.write(fd, (text + "\n").encode())


def stop(_signum, _frame):
    write(f"{node} stop {int(time.time() * 1000)}")
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
deadline = time.monotonic() + 3600
while time.monotonic() < deadline:
    write(f"{node} {int(time.time() * 1000)}")
    time.sleep(0.02)
