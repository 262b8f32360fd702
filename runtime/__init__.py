"""The whole system on one machine: embedded PostgreSQL and NATS, the six components as child
processes, the demo province, the operator command.

Processes here start children while they hold gRPC channels (health checks, the demo loader, the
tests' clients). grpcio 1.81 and later can then crash a child between fork and exec, before it
runs any of our code ("epoll_wait error: Bad file descriptor", signal 6: grpc/grpc#43055), which
gRPC's fork support causes; none of these processes uses gRPC across a fork, so it is off before
grpc is first imported. (Set GRPC_ENABLE_FORK_SUPPORT yourself to override.)
"""
import os

os.environ.setdefault("GRPC_ENABLE_FORK_SUPPORT", "false")
