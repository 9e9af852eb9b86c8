"""Ports for the servers the suite starts (SMTP, an LRS, app servers).

Each is a port the system has just handed out as free, so that test processes running side by
side (pytest-xdist workers, two checkouts on one machine) never reach each other's servers.
"""

import socket


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def free_ports(count: int) -> tuple[int, ...]:
    """`count` distinct free ports (held open together while chosen, so none repeats)."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return tuple(probe.getsockname()[1] for probe in probes)
    finally:
        for probe in probes:
            probe.close()
