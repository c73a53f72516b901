#!/usr/bin/env python3
"""A process group client for cpg_test.sh.

    cpg_probe.py SOCKET GROUP LOG --members N --send COUNT --tag TAG

Joins GROUP, writes every line the sidecar sends to LOG as it arrives, and
once a membership event shows N members sends COUNT messages TAG-0,
TAG-1, ... one at a time (each after the reply to the one before, again
after "try_again"), one every 2 ms at most. Runs until SIGTERM.
"""

import argparse
import json
import signal
import socket
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("socket")
    parser.add_argument("group")
    parser.add_argument("log")
    parser.add_argument("--members", type=int, required=True)
    parser.add_argument("--send", type=int, default=0)
    parser.add_argument("--tag", default="m")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(args.socket)
    sock.settimeout(0.002)
    log = open(args.log, "w")
    sock.sendall((json.dumps({"op": "join", "group": args.group}) + "\n").encode())
    inbox = b""
    sending = False
    sent = 0
    waiting = False  # for the reply to a message
    while True:
        try:
            chunk = sock.recv(65536)
            if not chunk:
                log.write('{"type":"closed"}\n')
                log.flush()
                return 1
            inbox += chunk
        except socket.timeout:
            pass
        while b"\n" in inbox:
            line, inbox = inbox.split(b"\n", 1)
            log.write(line.decode() + "\n")
            event = json.loads(line)
            kind = event.get("type")
            if kind == "membership" and len(event["members"]) >= args.members:
                sending = True
            if kind in ("ok", "error") and event.get("op") == "mcast":
                waiting = False
                if kind == "ok":
                    sent += 1
                elif event.get("code") != "try_again":
                    print("cpg_probe: " + line.decode(), file=sys.stderr)
                    return 1
        log.flush()
        if sending and not waiting and sent < args.send:
            request = {"op": "mcast", "group": args.group, "data": f"{args.tag}-{sent}"}
            sock.sendall((json.dumps(request) + "\n").encode())
            waiting = True
            time.sleep(0.002)


if __name__ == "__main__":
    sys.exit(main())
