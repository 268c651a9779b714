"""Which Host headers the preview answers: the defence against DNS rebinding.

A page on another site can point a name it owns (evil.example) at 127.0.0.1 once it has
loaded; its scripts then reach the preview as a same-origin site and read every draft. The
browser still sends `Host: evil.example`, so the preview answers only to names that cannot be
rebound: localhost and *.localhost, loopback addresses, and the host it was told to listen on.
Any IP literal is safe too (an address cannot be re-pointed), which is what a wildcard bind
(--host 0.0.0.0) is opened with from other machines. Vite and webpack-dev-server closed the
same hole the same way. The port is not compared, so an SSH tunnel on another port still works.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Final

WILDCARDS: Final = frozenset({"", "0.0.0.0", "::"})
"""Bind addresses meaning every interface: any IP literal then reaches the preview."""

_BRACKETED = re.compile(r"\[([^\[\]]+)\](?::(\d*))?")
_NAMED = re.compile(r"([^:\[\]]+)(?::(\d*))?")


@dataclass(frozen=True, slots=True)
class HostRule:
    """The Host names one preview answers to, beyond the loopback ones it always does."""

    names: frozenset[str]
    any_address: bool

    @classmethod
    def for_bind(cls, host: str) -> HostRule:
        """The rule for a server listening on `host` (the --host given, or 127.0.0.1)."""
        if host.strip() in WILDCARDS:
            return cls(frozenset(), any_address=True)
        name = _normal(host.strip().removeprefix("[").removesuffix("]"))
        return cls(frozenset() if name is None else frozenset({name}), any_address=False)

    def refusal(self, values: list[str]) -> tuple[int, str] | None:
        """The status and reason refusing a request with these Host values; None to answer it.

        HTTP/1.1 requires exactly one Host (400 otherwise); an HTTP/1.0 request without one is
        refused too, because only a name proves the request was meant for this preview. A
        well-formed name this preview does not answer to is 421 Misdirected Request.
        """
        if not values:
            return 400, "Bad request: the request has no Host header"
        if len(values) > 1:
            return 400, "Bad request: the request has more than one Host header"
        name = _host_name(values[0])
        if name is None:
            return 400, f"Bad request: the Host header {_shown(values[0])} is not a host name"
        if not self._allows(name):
            return 421, (f"Misdirected request: this preview answers only to localhost, "
                         f"127.0.0.1, [::1] and the --host it was started with, "
                         f"not {_shown(values[0])}")
        return None

    def _allows(self, name: str) -> bool:
        if name == "localhost" or name.endswith(".localhost") or name in self.names:
            return True
        address = _address(name)
        if address is None:
            return False
        if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped
        return address.is_loopback or self.any_address


def _host_name(value: str) -> str | None:
    """The normalised name of a Host header ('[::1]:8000' -> '::1'), None when malformed."""
    text = value.strip()
    bracketed = _BRACKETED.fullmatch(text)
    if bracketed:
        address = _address(bracketed.group(1))
        return str(address) if isinstance(address, ipaddress.IPv6Address) else None
    named = _NAMED.fullmatch(text)
    return _normal(named.group(1)) if named else None


def _normal(name: str) -> str | None:
    """Lower case, without the root's trailing dot; an IP literal in its canonical spelling."""
    lowered = name.lower()
    if lowered.endswith("."):
        lowered = lowered[:-1]
    if not lowered or any(c.isspace() or c in "/\\@" for c in lowered):
        return None
    address = _address(lowered)
    return lowered if address is None else str(address)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _shown(value: str) -> str:
    """The header as the refusal quotes it: escaped, and short."""
    shown = ascii(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."
