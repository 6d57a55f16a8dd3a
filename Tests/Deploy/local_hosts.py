"""Loopback stand-ins for the hosts of a deployment: each pod or host gets its own 127.x.y.z
address, so every process keeps the ports its manifest or unit declares, and host names
(pod DNS names, worker host names) resolve to those addresses."""

import random
import re
import socket


class LoopbackHosts:
    """Hands out one loopback address per host name, with the given ports free on it."""

    def __init__(self, seed=None):
        self._random = random.Random(seed)
        self._subnet = self._random.randint(2, 250)
        self._next = 1
        self.addresses = {}  # host name -> address
        self.aliases = {}    # other names (DNS forms) -> host name

    def add(self, name, ports, aliases=()):
        """Gives `name` an address on which every port in `ports` can be bound now."""
        for _ in range(200):
            third, fourth = divmod(self._next, 250)
            self._next += 1
            address = f"127.{self._subnet}.{third}.{fourth + 1}"
            if all(port_is_free(address, port) for port in ports):
                self.addresses[name] = address
                for alias in aliases:
                    self.aliases[alias] = name
                return address
        raise RuntimeError(f"no loopback address with ports {ports} free for {name}")

    def resolve(self, name):
        """The address of a host name or one of its aliases, else None."""
        name = self.aliases.get(name, name)
        return self.addresses.get(name)

    def rewrite(self, text):
        """`text` with every known host name (longest first) replaced by its address."""
        names = sorted(list(self.addresses) + list(self.aliases), key=len, reverse=True)
        if not names:
            return text
        pattern = re.compile(r"(?<![\w.-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w-]|\.[\w])")
        return pattern.sub(lambda match: self.resolve(match.group(1)), text)


def port_is_free(address, port):
    """Whether a listening socket could bind `address:port` now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((address, port))
        except OSError:
            return False
    return True
