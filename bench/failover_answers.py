#!/usr/bin/env python3
"""Waits until a TCP service answers, as a client sees it.

    failover_answers.py ADDRESS PORT LIMIT_MS

Starts a new non-blocking connect every EVERY_MS (20) milliseconds and
keeps each pending for up to a second, so that an attempt sent while the
client still has the dead node's MAC address for ADDRESS does not hold up
the next ones; the first to be accepted wins. Prints the wall clock (Unix
ms) at which it was accepted; exit 1 when LIMIT_MS passes. Run from a
client on the cluster's network (bench/failover.sh runs it in the lab's hub
namespace) once the node that served ADDRESS is dead: whoever accepts then
is another node.
"""

import errno
import os
import selectors
import socket
import sys
import time


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    address, port, limit_ms = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    every = int(os.environ.get("EVERY_MS", "20")) / 1000
    deadline = time.monotonic() + limit_ms / 1000
    selector = selectors.DefaultSelector()
    pending = {}  # socket -> when it was started
    next_attempt = time.monotonic()
    try:
        while time.monotonic() < deadline:
            now = time.monotonic()
            if now >= next_attempt:
                s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                s.setblocking(False)
                code = s.connect_ex((address, port))
                if code in (0, errno.EINPROGRESS):
                    pending[s] = now
                    selector.register(s, selectors.EVENT_WRITE)
                else:
                    s.close()
                next_attempt = now + every
            for s, started in list(pending.items()):
                if now - started > 1.0:
                    selector.unregister(s)
                    s.close()
                    del pending[s]
            timeout = max(0.0, min(next_attempt, deadline) - time.monotonic())
            for key, _ in selector.select(timeout):
                s = key.fileobj
                accepted = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
                if accepted:
                    print(round(time.time() * 1000))
                    return 0
                selector.unregister(s)
                s.close()
                del pending[s]
        return 1
    finally:
        for s in pending:
            s.close()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
