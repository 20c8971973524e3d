"""``runserver``: serve the project on this machine while you develop it.

How it works: ``handle`` checks the settings, reads the optional ``ADDR:PORT``
argument (``8000``, ``0.0.0.0:8000``, ``[::1]:8000``, default
``127.0.0.1:8000``) and calls ``tinyframe.core.servers.basehttp.run`` with the
project's WSGI application. Once the socket listens, ``on_bind`` prints the
address to open (with the real port, when port 0 let the system choose one).
Each request is logged on stderr. Ctrl-C stops the server and exits with
status 0.

There is no autoreloader, unlike Django's runserver: after changing code,
stop the server (Ctrl-C) and start it again.
"""

import errno
import logging
import re
import socket
import sys
from datetime import datetime

from tinyframe.conf import settings
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.core.management.base import BaseCommand, CommandError
from tinyframe.core.servers.basehttp import WSGIServer, get_internal_wsgi_application, run

ADDRESS_AND_PORT = re.compile(
    r"""^(?:
    (?P<addr>
        (?P<ipv4>\d{1,3}(?:\.\d{1,3}){3}) |          # 127.0.0.1
        (?P<ipv6>\[[a-fA-F0-9:]+\]) |                # [::1]
        (?P<fqdn>[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*)  # localhost, example.test
    ):)?(?P<port>\d+)$""",
    re.VERBOSE,
)

BIND_ERRORS = {
    errno.EACCES: "You don't have permission to access that port.",
    errno.EADDRINUSE: "That port is already in use.",
    errno.EADDRNOTAVAIL: "That IP address can't be assigned to.",
}


def configure_server_logging() -> None:
    """Print the server's request log on stderr as ``[date time] message``, unless logging is set up already."""
    logger = logging.getLogger("tinyframe.server")
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s] %(message)s", datefmt="%d/%b/%Y %H:%M:%S"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # The root logger's handlers (if any) would print every line a second time.
    logger.propagate = False


class Command(BaseCommand):
    """``runserver [ADDR:]PORT [--ipv6] [--nothreading]``."""

    help = "Starts a lightweight web server for development."
    default_addr = "127.0.0.1"
    default_addr_ipv6 = "::1"
    default_port = "8000"
    protocol = "http"
    server_cls = WSGIServer
    # A server has nothing to say more or less verbosely, and Ctrl-C is no error.
    suppressed_base_arguments = {"--verbosity", "--traceback"}

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", help="Optional port number, or ipaddr:port")
        parser.add_argument("--ipv6", "-6", action="store_true", dest="use_ipv6",
                            help="Tells tinyframe to use an IPv6 address.")
        parser.add_argument("--nothreading", action="store_false", dest="use_threading",
                            help="Tells tinyframe to NOT use threading.")

    def handle(self, *args, **options):
        """Check the settings and the address, then serve until Ctrl-C."""
        try:
            debug, allowed_hosts = settings.DEBUG, settings.ALLOWED_HOSTS
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if not debug and not allowed_hosts:
            raise CommandError("You must set settings.ALLOWED_HOSTS if DEBUG is False.")
        self.use_ipv6 = options["use_ipv6"]
        if self.use_ipv6 and not socket.has_ipv6:
            raise CommandError("Your Python does not support IPv6.")
        self.addr, self.port = self.parse_addrport(options["addrport"])
        self.inner_run(**options)

    def parse_addrport(self, addrport: str | None) -> tuple[str, str]:
        """Split the ``ADDR:PORT`` argument, filling in the defaults; sets ``self.use_ipv6`` for ``[::1]``."""
        self._raw_ipv6 = False
        addr, port = "", self.default_port
        if addrport:
            match = ADDRESS_AND_PORT.match(addrport)
            if match is None:
                raise CommandError(f'"{addrport}" is not a valid port number or address:port pair.')
            addr, _ipv4, ipv6, fqdn, port = match.groups()
            if ipv6:
                addr = addr[1:-1]
                self.use_ipv6 = self._raw_ipv6 = True
            elif addr and self.use_ipv6 and not fqdn:
                raise CommandError(f'"{addr}" is not a valid IPv6 address.')
        if not addr:
            addr = self.default_addr_ipv6 if self.use_ipv6 else self.default_addr
            self._raw_ipv6 = self.use_ipv6
        return addr, port

    def inner_run(self, **options):
        """Start serving; turn bind errors into one clear line and Ctrl-C into a clean exit."""
        configure_server_logging()
        try:
            handler = get_internal_wsgi_application()
            run(self.addr, int(self.port), handler, ipv6=self.use_ipv6, threading=options["use_threading"],
                on_bind=self.on_bind, server_cls=self.server_cls)
        except OSError as exc:
            raise CommandError(str(BIND_ERRORS.get(exc.errno, exc))) from exc
        except ImproperlyConfigured as exc:
            # A wrong WSGI_APPLICATION, or a project whose URLconf does not load:
            # one line that says what to fix, not a traceback through the server.
            raise CommandError(str(exc)) from exc
        except KeyboardInterrupt:
            sys.exit(0)

    def on_bind(self, server_port: int) -> None:
        """Tell the user where the server listens, once it does."""
        if self._raw_ipv6:
            addr = f"[{self.addr}]"
        elif self.addr == "0":
            addr = "0.0.0.0"
        else:
            addr = self.addr
        now = datetime.now().strftime("%B %d, %Y - %X")
        self.stdout.write(
            f"{now}\n"
            f"tinyframe version {self.get_version()}, using settings {settings.SETTINGS_MODULE!r}\n"
            f"Starting development server at {self.protocol}://{addr}:{server_port}/\n"
            f"Quit the server with {'CTRL-BREAK' if sys.platform == 'win32' else 'CONTROL-C'}."
        )
