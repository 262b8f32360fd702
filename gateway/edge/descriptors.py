"""The generated descriptors of every service the gateway serves.

The proxy forwards raw request bytes, so it never uses a service's generated classes: it finds
each method by name in protobuf's default descriptor pool (gateway/edge/proxy.py), and the
HTTP-JSON routes and the OpenAPI document are built from the same pool. A generated `*_pb2`
module adds its file to that pool when it is imported, which is the only reason for the imports
below: they are here, in one named call, so that the dependency is visible.
"""
from __future__ import annotations

from typing import Iterable

from google.protobuf.descriptor import FileDescriptor


def register_descriptors() -> list[FileDescriptor]:
    """Add the service files of the five services and the gateway's own to the default descriptor
    pool (once; a repeat costs nothing), and return them."""
    from courtflow.alert.v1 import alert_service_pb2
    from courtflow.audit.v1 import audit_service_pb2
    from courtflow.case.v1 import case_service_pb2
    from courtflow.gateway.v1 import auth_service_pb2, gateway_service_pb2, org_service_pb2
    from courtflow.node.v1 import node_service_pb2
    from courtflow.stats.v1 import stats_service_pb2

    return [m.DESCRIPTOR for m in (alert_service_pb2, audit_service_pb2, case_service_pb2, auth_service_pb2,
                                   gateway_service_pb2, org_service_pb2, node_service_pb2, stats_service_pb2)]


def service_names(files: Iterable[FileDescriptor]) -> list[str]:
    """Full names of the services these files define, sorted."""
    return sorted(s.full_name for f in files for s in f.services_by_name.values())
