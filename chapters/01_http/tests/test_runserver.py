"""The development server: ``python -m tinyframe runserver`` for real, and its pieces in-process."""

import http.client
import logging
import os
import pathlib
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

import tinyframe
from tinyframe.core.exceptions import ImproperlyConfigured
from tinyframe.core.handlers.wsgi import WSGIHandler
from tinyframe.core.servers import basehttp
from tinyframe.http import HttpResponse
from tinyframe.test.utils import override_settings


def read_line_with(stream, text: str, deadline: float) -> str:
    """Read lines from ``stream`` until one contains ``text``; fail past ``deadline``."""
    seen = []
    while time.monotonic() < deadline:
        line = stream.readline()
        if not line:
            break
        seen.append(line)
        if text in line:
            return line
    pytest.fail(f"runserver never printed {text!r}; its output was:\n{''.join(seen)}")


# The directory holding the tinyframe package under test (a learner's workspace,
# or the reference): a subprocess must import that one, not whichever the
# current directory happens to hold.
IMPLEMENTATION = pathlib.Path(tinyframe.__file__).resolve().parent.parent


@pytest.mark.exercise("01.6")
@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_runserver_serves_logs_and_stops_on_ctrl_c(tmp_path):
    (tmp_path / "run_settings.py").write_text('SECRET_KEY = "x"\nALLOWED_HOSTS = ["127.0.0.1"]\n')
    path = [str(tmp_path), str(IMPLEMENTATION), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = {**os.environ, "TINYFRAME_SETTINGS_MODULE": "run_settings", "PYTHONUNBUFFERED": "1",
           "PYTHONPATH": os.pathsep.join(path)}
    server = subprocess.Popen([sys.executable, "-m", "tinyframe", "runserver", "127.0.0.1:0"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    timer = threading.Timer(10, server.kill)  # never hang the suite
    timer.daemon = True  # nor keep a failed run waiting for it
    timer.start()
    try:
        line = read_line_with(server.stdout, "Starting development server at", time.monotonic() + 10)
        url = line.split(" at ", 1)[1].strip()
        assert url.startswith("http://127.0.0.1:") and not url.endswith(":0/"), f"runserver printed {line!r}"
        with urllib.request.urlopen(url + "hello/", timeout=5) as response:
            assert response.status == 200
            assert b"tinyframe is running" in response.read()
        read_line_with(server.stderr, '"GET /hello/ HTTP/1.1" 200', time.monotonic() + 5)
        server.send_signal(signal.SIGINT)
        _, stderr = server.communicate(timeout=5)
    finally:
        timer.cancel()
        server.kill()
        server.wait()
    assert server.returncode == 0, f"runserver exited with {server.returncode} after Ctrl-C; stderr:\n{stderr}"
    assert "Traceback" not in stderr


# --- the server in-process, for the pieces the subprocess hides ---------------


@pytest.fixture
def live_server(serve):
    """Serve a WSGIHandler on a free port in a thread; yields the base URL."""
    servers = []

    def start(view=None, **options):
        if view is not None:
            serve(view)
        server = basehttp.make_server("127.0.0.1", 0, WSGIHandler(), **options)
        # A short poll interval makes shutdown() quick.
        threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


# The server calls the handler in its own thread and turns the stub's
# NotImplementedError into a 500, which never names the exercise: the marks say
# what these tests wait for.


@pytest.mark.exercise("01.6")
def test_threaded_server_serves_and_logs_each_request(live_server, caplog):
    caplog.set_level(logging.INFO, logger="tinyframe.server")
    statuses = {"/ok/": 200, "/missing/": 404, "/broken/": 500}
    server = live_server(lambda request: HttpResponse("x" * 5, status=statuses[request.path]))
    assert not isinstance(server, basehttp.ThreadedWSGIServer)
    base = f"http://127.0.0.1:{server.server_port}"
    with urllib.request.urlopen(base + "/ok/", timeout=5) as response:
        assert response.read() == b"xxxxx"
    for path in ("/missing/", "/broken/"):
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(base + path, timeout=5)
    # The server logs a request after sending the response: give it a moment.
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        logs = [(record.levelname, record.getMessage()) for record in caplog.records
                if record.name == "tinyframe.server"]
        if len(logs) >= 3:
            break
        time.sleep(0.01)
    assert ("INFO", '"GET /ok/ HTTP/1.1" 200 5') in logs, logs
    assert ("WARNING", '"GET /missing/ HTTP/1.1" 404 5') in logs, logs
    assert ("ERROR", '"GET /broken/ HTTP/1.1" 500 5') in logs, logs


@pytest.mark.exercise("01.6")
def test_headers_with_underscores_are_dropped(live_server):
    server = live_server(lambda request: HttpResponse(repr(sorted(k for k in request.META if k.startswith("HTTP_X")))),
                         threading=True)
    assert isinstance(server, basehttp.ThreadedWSGIServer) and server.daemon_threads
    connection = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=5)
    connection.request("GET", "/", headers={"X-Real": "1", "X_Spoofed": "1"})
    assert connection.getresponse().read() == b"['HTTP_X_REAL']"
    connection.close()


def test_https_and_garbage_requests_are_logged_not_printed(live_server, caplog):
    server = live_server()
    for payload in (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", b"NONSENSE\r\n\r\n"):
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=5) as sock:
            sock.sendall(payload)
            sock.recv(1024)
    messages = [record.getMessage() for record in caplog.records if record.name == "tinyframe.server"]
    assert "You're accessing the development server over HTTPS, but it only supports HTTP." in messages
    assert any("Bad request" in message for message in messages), messages


def test_broken_pipes_are_one_quiet_line(caplog, capsys):
    server = basehttp.WSGIServer(("127.0.0.1", 0), basehttp.WSGIRequestHandler)
    caplog.set_level(logging.INFO, logger="tinyframe.server")
    try:
        try:
            raise BrokenPipeError
        except BrokenPipeError:
            server.handle_error(None, ("127.0.0.1", 1234))
        assert "- Broken pipe from ('127.0.0.1', 1234)" in caplog.text
        try:
            raise ValueError("real trouble")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1234))
        assert "real trouble" in capsys.readouterr().err
    finally:
        server.server_close()


@pytest.mark.exercise("01.6")
def test_run_calls_on_bind_with_the_real_port_and_serves(serve):
    serve(lambda request: HttpResponse("ran"))
    bound, made = [], []

    class RecordingServer(basehttp.WSGIServer):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

        def serve_forever(self, poll_interval=0.5):
            super().serve_forever(poll_interval=0.02)  # so that shutdown() returns at once

    thread = threading.Thread(target=basehttp.run, args=("127.0.0.1", 0, WSGIHandler()),
                              kwargs={"on_bind": bound.append, "server_cls": RecordingServer, "threading": True},
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not bound and time.monotonic() < deadline:
        time.sleep(0.01)
    assert bound and bound[0] != 0, "on_bind must receive the port the system picked"
    with urllib.request.urlopen(f"http://127.0.0.1:{bound[0]}/", timeout=5) as response:
        assert response.read() == b"ran"
    made[0].shutdown()
    thread.join(5)
    assert not thread.is_alive()


def test_ipv6_server(live_server):
    """make_server(..., ipv6=True) makes an IPv6 server (skipped where the machine has no IPv6)."""
    if not socket.has_ipv6:
        pytest.skip("no IPv6 in this Python")
    try:
        server = basehttp.make_server("::1", 0, WSGIHandler(), ipv6=True)
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    try:
        assert server.address_family == socket.AF_INET6
    finally:
        server.server_close()


def test_internal_wsgi_application_follows_the_setting():
    assert isinstance(basehttp.get_internal_wsgi_application(), WSGIHandler)
    with override_settings(WSGI_APPLICATION="wsgiref.simple_server.demo_app"):
        from wsgiref.simple_server import demo_app

        assert basehttp.get_internal_wsgi_application() is demo_app
    with override_settings(WSGI_APPLICATION="mysite.wsgi.application"):
        with pytest.raises(ImproperlyConfigured, match="WSGI application 'mysite.wsgi.application' could not be loaded"):
            basehttp.get_internal_wsgi_application()
