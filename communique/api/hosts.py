"""The Host-header allowlist: the server answers only requests made to it by a name it knows.

Against DNS rebinding: a page on ``evil.example`` whose name the attacker then points at
127.0.0.1 could otherwise read the local API from the victim's browser; its requests carry
``Host: evil.example`` and get a 400 answer. Allowed are the names given (by default the
loopback names, and ``serve`` adds the address it binds) and the address a request reached
the server on (an IP literal, which a rebound name is not). ``*`` allows any host.
"""
from __future__ import annotations

from typing import Iterable, Optional

from fastapi.responses import JSONResponse
from starlette.datastructures import Headers

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")


def serve_hosts(bind: str) -> list[str]:
    """The hosts a server bound to ``bind`` answers by default: the loopback names and ``bind``."""
    return [*LOOPBACK_HOSTS, bind]


def normal(host: Optional[str]) -> Optional[str]:
    """A host as a Host header names it: lower case, an IPv6 address in brackets."""
    if not host:
        return None
    host = host.strip().lower()
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def header_host(value: Optional[str]) -> Optional[str]:
    """The host of a Host header (its port dropped), normalised; None when there is none."""
    if not value:
        return None
    value = value.strip().lower()
    if value.startswith("["):  # an IPv6 address, and maybe a port
        end = value.find("]")
        return value[:end + 1] if end > 0 else None
    if value.count(":") > 1:
        return None
    return value.split(":", 1)[0] or None


class TrustedHosts:
    """ASGI middleware: 400 for a request whose Host header is not allowed (see the module's docstring)."""

    def __init__(self, app, hosts: Iterable[str] = LOOPBACK_HOSTS):
        self.app = app
        self.hosts = {normal(h) for h in hosts}
        self.any = "*" in self.hosts

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket") and not self.any:
            host = header_host(Headers(scope=scope).get("host"))
            server = scope.get("server") or (None,)
            if host is None or (host not in self.hosts and host != normal(server[0])):
                return await JSONResponse({"detail": "this server does not answer to that Host header"},
                                          status_code=400)(scope, receive, send)
        await self.app(scope, receive, send)
