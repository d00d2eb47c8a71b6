"""The fetch policy: the user's source address is trusted as given; any other address that leaves the source's
origin (a link, attachment, feed entry, sitemap child or redirect hop) is refused when its host resolves to a
loopback, private, link-local, multicast or reserved address, so that a hostile page cannot make the watcher
read the services next to it (SSRF)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

Resolver = Callable[[str, int], list[str]]


class Refused(Exception):
    """An address the fetch policy refuses; the message is one line naming the reason."""


class Unresolved(Exception):
    """A host that resolves to no address."""


def origin(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an address, the port filled in from the scheme."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").lower(), port or (443 if scheme == "https" else 80)


def same_origin(a: str, b: str) -> bool:
    return origin(a) == origin(b)


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the host resolves to (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolved(f"{host}: cannot be resolved ({exc.__class__.__name__})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def internal(address: str) -> bool:
    """Whether an IP address is not on the public internet: loopback, private, link-local, multicast, reserved."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (not ip.is_global) or ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local


def checked_addresses(url: str, resolver: Resolver = system_resolver) -> list[str]:
    """The host's addresses when every one of them is public; Refused naming the first internal one otherwise.
    Every address is checked, since a host may give a public and a private one and the connection takes either."""
    _, host, port = origin(url)
    if not host:
        raise Unresolved(f"{url}: no host in the address")
    addresses = resolver(host, port)
    if not addresses:
        raise Unresolved(f"{host}: resolves to no address")
    for address in addresses:
        try:
            bad = internal(address)
        except ValueError:
            raise Refused(f"{host}: resolves to an unreadable address {address!r}") from None
        if bad:
            raise Refused(f"{url}: refused, {host} is an internal address ({address}) outside the source's site")
    return addresses
