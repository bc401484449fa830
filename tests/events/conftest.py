"""No real DNS in the events tests: host names resolve from FAKE_DNS (events.fetch resolves
every feed address before it is saved and before it is fetched)."""

from __future__ import annotations

import ipaddress
import socket

import pytest

# example.org's public addresses; the others are the private targets of the SSRF tests.
FAKE_DNS = {
    "verein.example.org": ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
    "kalender.example.org": ["93.184.215.14"],
    "x.example.org": ["93.184.215.14"],
    "intern.example.org": ["10.0.0.5"],
    "metadata.example.org": ["169.254.169.254"],
    "gemischt.example.org": ["93.184.215.14", "192.168.1.20"],
    "v6-mapped.example.org": ["::ffff:127.0.0.1"],
}


def fake_getaddrinfo(host, port, *args, **kwargs):
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = FAKE_DNS.get(host, [])
    if not addresses:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
    return [
        (
            socket.AF_INET6 if ":" in address else socket.AF_INET,
            socket.SOCK_STREAM,
            6,
            "",
            (address, port) if ":" not in address else (address, port, 0, 0),
        )
        for address in addresses
    ]


@pytest.fixture(autouse=True)
def _fake_dns(monkeypatch) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
