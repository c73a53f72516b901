#!/usr/bin/env python3
"""The latest, over some logs, of the timestamp of each log's first line
matching a pattern after an offset: when the last node concerned logged
something (a new membership, say). Shared by bench/race_corosync.sh and
bench/failover.sh.

  bench/logged_ms.py tandem|corosync PATTERN FILE:OFFSET...

tandem logs start with an ISO time in UTC ("2026-12-07T00:08:49.047Z");
corosync's with "Dec 06 21:16:40.363" in UTC (run with TZ=UTC), without a
year: this year's. Prints Unix milliseconds; exits 1 naming the first log
with no matching line yet.
"""
import datetime
import re
import sys


def first_match_ms(path, offset, pattern, style, year):
    with open(path, "rb") as f:
        f.seek(offset)
        lines = f.read().decode(errors="replace").splitlines()
    for line in lines:
        if not pattern.search(line):
            continue
        if style == "corosync":
            t = datetime.datetime.strptime(f"{year} {line[:19]}", "%Y %b %d %H:%M:%S.%f")
        else:
            t = datetime.datetime.strptime(line[:23], "%Y-%m-%dT%H:%M:%S.%f")
        return round(t.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000)
    return None


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("tandem", "corosync"):
        sys.exit(__doc__)
    style, pattern = sys.argv[1], re.compile(sys.argv[2])
    year = datetime.datetime.now(datetime.timezone.utc).year
    latest = None
    for spec in sys.argv[3:]:
        path, offset = spec.rsplit(":", 1)
        stamp = first_match_ms(path, int(offset), pattern, style, year)
        if stamp is None:
            sys.exit(f"{path}: no line matches {pattern.pattern}")
        latest = stamp if latest is None else max(latest, stamp)
    print(latest)


if __name__ == "__main__":
    main()
