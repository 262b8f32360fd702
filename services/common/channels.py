"""How one part of CourtFlow dials another over gRPC (the gateway its services, the case service
the node service): the same channel settings everywhere."""
from __future__ import annotations

# round_robin over every address the name resolves to (a headless Service lists all replicas).
# Reconnect quickly after a service restarts: gRPC's default backoff grows to two minutes, and
# its minimum connect timeout (grpc.min_reconnect_backoff_ms) is 20 s, so a call would wait for
# an address that does not answer; here an attempt gets 100 ms at least, and attempts come at
# most 500 ms apart.
CHANNEL_OPTIONS = (("grpc.lb_policy_name", "round_robin"), ("grpc.initial_reconnect_backoff_ms", 100),
                   ("grpc.min_reconnect_backoff_ms", 100), ("grpc.max_reconnect_backoff_ms", 500))
