"""Posting only to public addresses: a sponsor's URL is resolved and refused when it points inside.

A webhook URL is the sponsor's text; left unchecked it makes notify post to loopback, the link-local metadata
server (169.254.169.254, ``metadata.google.internal``) or private networks. The check runs twice: at
registration (``sponsors.check_url``) and at every connect (:class:`GuardedAdapter`), because a name can resolve
elsewhere by then (DNS rebinding). At connect time the socket goes to the very address that was vetted, while
TLS still verifies the certificate for the URL's host name. Loopback is allowed only in the local cloud (its
tests run real receivers there); nothing else that is not globally routable is ever allowed.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util import connection

METADATA_HOSTS = frozenset({"metadata.google.internal", "metadata.google.internal.", "metadata"})

Resolver = Callable[[str, int], list[str]]


class BlockedAddress(OSError):
    """The host resolves to an address notify may not post to; the message says which and why."""


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as problem:
        raise BlockedAddress(f"{host} does not resolve ({problem})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def refusal(address: str, *, local: bool) -> str | None:
    """Why ``address`` may not be posted to, or ``None`` when it is a public one (or loopback, locally)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if local else "a loopback address: only the local cloud may post to itself"
    if ip.is_link_local:
        return "a link-local address (the metadata server lives there)"
    if ip.is_private:
        return "a private address"
    if not ip.is_global or ip.is_multicast:
        return "not a public address"
    return None


def vet(host: str, port: int, *, local: bool, resolver: Resolver = resolve) -> str:
    """The address to connect to for ``host``: every address it resolves to must be allowed (a name that also
    resolves inside is refused whole); raises :class:`BlockedAddress`."""
    if host.lower() in METADATA_HOSTS:
        raise BlockedAddress(f"{host} is the metadata server")
    addresses = resolver(host, port)
    if not addresses:
        raise BlockedAddress(f"{host} does not resolve")
    for address in addresses:
        why = refusal(address, local=local)
        if why:
            raise BlockedAddress(f"{host} resolves to {address}, {why}")
    return addresses[0]


_loopback_allowed: ContextVar[bool] = ContextVar("loopback_allowed", default=False)


@contextmanager
def loopback(allowed: bool) -> Iterator[None]:
    """Within this block, connections made by this thread may go to loopback (the local cloud's receivers)."""
    token = _loopback_allowed.set(allowed)
    try:
        yield
    finally:
        _loopback_allowed.reset(token)


def _connect(conn: HTTPConnection) -> socket.socket:
    """Connect ``conn`` to its host's vetted address (the shared part of both connection classes)."""
    try:
        address = vet(conn._dns_host, conn.port or 0, local=_loopback_allowed.get())  # type: ignore[attr-defined]
        return connection.create_connection((address, conn.port), conn.timeout,  # type: ignore[arg-type]
                                            source_address=conn.source_address, socket_options=conn.socket_options)
    except BlockedAddress as problem:
        raise NewConnectionError(conn, f"refused to connect: {problem}") from problem
    except TimeoutError as problem:
        raise ConnectTimeoutError(conn, f"connection to {conn.host} timed out") from problem
    except OSError as problem:
        raise NewConnectionError(conn, f"failed to establish a new connection: {problem}") from problem


class GuardedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self)


class GuardedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        return _connect(self)


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose every connection is vetted when it is made."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": GuardedHTTPConnectionPool,
                                                   "https": GuardedHTTPSConnectionPool}


def session() -> requests.Session:
    """A session that posts only to vetted addresses, and ignores proxy settings of the environment."""
    guarded = requests.Session()
    guarded.trust_env = False
    for prefix in ("http://", "https://"):
        guarded.mount(prefix, GuardedAdapter())
    return guarded
