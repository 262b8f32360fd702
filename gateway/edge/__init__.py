"""The gateway's front doors: the proxy every call passes (gRPC), the HTTP-JSON server that
transcodes to it, the OpenAPI document, and the channels to the services behind it."""
