"""Screenshots of the example site's admin, taken by a real browser: ``python tutorials/screenshots.py``.

How it works: the script brings the site up as the README's run command does
(``migrate``, ``ensuresuperuser``, then ``runserver`` on a free port), on a
database of its own in a temporary folder, so the repository's
``tutorials/site/db.sqlite3`` is never touched. It starts Debian's
``chromium`` headless with its DevTools protocol on (``--remote-debugging-port``),
talks to it over a WebSocket written here with the standard library
(``DevTools``: the handshake, masked frames out, plain frames in, JSON
messages matched by ``id``), signs in through the admin's login form as a
person would (types the username and the password ``ensuresuperuser``
printed, clicks "Log in"), and saves three pages as PNG files:

- ``tutorials/images/admin_index.png``: the admin's index;
- ``tutorials/images/admin_changelist.png``: the posts' changelist;
- ``tutorials/images/admin_change_form.png``: a post's change form, its comments inline.

``--walkthrough DIR`` also does what the issue asks of a person in a browser
(log in, add a post with three comments, find it by search, change it, delete
it), clicking the admin's own buttons, checks each step's page, and saves a
screenshot of each step in DIR. ``--images DIR`` puts the three screenshots
elsewhere (to look before committing). ``--width`` and ``--height`` set the window
(``--width 390`` for a phone); ``--chromium`` names another browser binary.
"""

import argparse
import base64
import contextlib
import json
import os
import pathlib
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
IMAGES = ROOT / "tutorials" / "images"
SITE_OPTIONS = ["--pythonpath", "tutorials/site", "--settings", "mysite.settings"]
CHROMIUM_OPTIONS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                    "--remote-debugging-port=0", "about:blank"]
PASSWORD = re.compile(r"^  username: (\S+)\n  password: (\S+)$", re.MULTILINE)


# --- the site, as the README runs it ----------------------------------------------------------


@contextlib.contextmanager
def running_site(directory: pathlib.Path):
    """Migrate, make the superuser and serve the site on a database in ``directory``: yield (url, user, password)."""
    environment = {**os.environ, "TINYFRAME_EXAMPLE_DB": str(directory / "db.sqlite3")}

    def tinyframe(*arguments):
        completed = subprocess.run([sys.executable, "-m", "tinyframe", *arguments, *SITE_OPTIONS], cwd=ROOT,
                                   env=environment, capture_output=True, text=True, timeout=120)
        if completed.returncode:
            raise SystemExit(f"tinyframe {arguments[0]} failed:\n{completed.stdout}{completed.stderr}")
        return completed.stdout

    tinyframe("migrate", "--fake-initial")
    made = PASSWORD.search(tinyframe("ensuresuperuser"))
    server = subprocess.Popen([sys.executable, "-m", "tinyframe", "runserver", *SITE_OPTIONS, "127.0.0.1:0"],
                              cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for _ in range(20):
            address = re.search(r"(http://127\.0\.0\.1:\d+)/", server.stdout.readline())
            if address:
                break
        else:
            raise SystemExit("runserver did not print its address")
        yield address.group(1), made.group(1), made.group(2)
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=10)


# --- the browser, through its DevTools protocol ------------------------------------------------


class DevTools:
    """One page of a browser, driven by DevTools' JSON messages over a WebSocket (RFC 6455, client side)."""

    def __init__(self, websocket_url: str):
        parts = urllib.parse.urlsplit(websocket_url)
        self.socket = socket.create_connection((parts.hostname, parts.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        self.socket.sendall(
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        self.stream = self.socket.makefile("rb")
        status = self.stream.readline()
        if b" 101 " not in status:
            raise ConnectionError(f"the browser refused the WebSocket: {status!r}")
        while self.stream.readline() not in (b"\r\n", b""):
            pass  # the rest of the handshake's headers
        self.last_id = 0
        self.events = []

    def send(self, payload: bytes, opcode: int = 0x1) -> None:
        """One frame, final, masked (a client must mask what it sends)."""
        header = bytearray([0x80 | opcode])
        length = len(payload)
        if length < 126:
            header.append(0x80 | length)
        elif length < 1 << 16:
            header += bytes([0x80 | 126]) + length.to_bytes(2, "big")
        else:
            header += bytes([0x80 | 127]) + length.to_bytes(8, "big")
        mask = os.urandom(4)
        masked = bytes(byte ^ mask[index % 4] for index, byte in enumerate(payload))
        self.socket.sendall(bytes(header) + mask + masked)

    def receive(self) -> dict:
        """The next JSON message, its fragments joined; pings answered on the way."""
        fragments = []
        while True:
            first, second = self.stream.read(2)
            opcode, length = first & 0x0F, second & 0x7F
            if length == 126:
                length = int.from_bytes(self.stream.read(2), "big")
            elif length == 127:
                length = int.from_bytes(self.stream.read(8), "big")
            payload = self.stream.read(length)  # a server's frames are not masked
            if opcode == 0x8:
                raise ConnectionError("the browser closed the WebSocket")
            if opcode == 0x9:
                self.send(payload, opcode=0xA)
                continue
            fragments.append(payload)
            if first & 0x80:
                return json.loads(b"".join(fragments))

    def call(self, method: str, **params) -> dict:
        """Send a command, keep the events that arrive meanwhile, return the command's result."""
        self.last_id += 1
        self.send(json.dumps({"id": self.last_id, "method": method, "params": params}).encode())
        while True:
            message = self.receive()
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, event: str, timeout: float = 30) -> dict:
        """The first ``event`` received since the last ``loading`` call (or the next one)."""
        deadline = time.monotonic() + timeout
        while True:
            for index, message in enumerate(self.events):
                if message.get("method") == event:
                    del self.events[:index + 1]
                    return message
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {event} within {timeout}s")
            self.events.append(self.receive())

    @contextlib.contextmanager
    def loading(self):
        """Wrap what starts a navigation (a link, a submit): leave when the new page has loaded."""
        self.events.clear()
        yield
        self.wait_for("Page.loadEventFired")

    def open(self, url: str) -> None:
        with self.loading():
            self.call("Page.navigate", url=url)

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (thrown errors raised here)."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def fill(self, fields: dict) -> None:
        """Type each value into the form field of that name, as a person would (select: pick the option)."""
        for name, value in fields.items():
            self.evaluate(f"(() => {{ const field = document.querySelector({json.dumps(f'[name={name!r}]')});"
                          f" if (!field) throw new Error('no field ' + {json.dumps(name)});"
                          f" field.value = {json.dumps(value)}; }})()")

    def click(self, selector: str) -> None:
        """Click the element ``selector`` finds and wait for the page it leads to."""
        with self.loading():
            self.evaluate(f"document.querySelector({json.dumps(selector)}).click()")

    def url(self) -> str:
        return self.evaluate("location.href")

    def text(self) -> str:
        return self.evaluate("document.body.innerText")

    def screenshot(self, path: pathlib.Path, full_page: bool = False) -> None:
        """Save the window (or the whole page's height) as a PNG."""
        params = {"format": "png"}
        if full_page:
            size = self.call("Page.getLayoutMetrics")["cssContentSize"]
            params.update(captureBeyondViewport=True,
                          clip={"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1})
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", **params)["data"]))
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")


@contextlib.contextmanager
def browser(chromium: str, directory: pathlib.Path, width: int, height: int):
    """A headless chromium's first page, ``width`` by ``height`` CSS pixels, driven through DevTools."""
    process = subprocess.Popen([chromium, *CHROMIUM_OPTIONS, f"--user-data-dir={directory}",
                                f"--window-size={width},{height}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:
            listening = re.search(r"DevTools listening on (ws://\S+)", line)
            if listening:
                break
        else:
            raise SystemExit(f"{chromium} exited with {process.wait()} before opening DevTools")
        port = urllib.parse.urlsplit(listening.group(1)).port
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as response:
            page = next(target for target in json.load(response) if target["type"] == "page")
        tools = DevTools(page["webSocketDebuggerUrl"])
        tools.call("Page.enable")
        tools.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                   mobile=width < 600)
        yield tools
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- what the script does -----------------------------------------------------------------------


def sign_in(page: DevTools, base: str, username: str, password: str) -> None:
    """Log in through the admin's login form, as a person would."""
    page.open(f"{base}/admin/")
    if "/admin/login/" not in page.url():
        raise SystemExit(f"the admin did not send an anonymous visitor to its login page: {page.url()}")
    page.fill({"username": username, "password": password})
    page.click("form [type=submit]")
    if page.url() != f"{base}/admin/":
        raise SystemExit(f"signing in led to {page.url()}, not the admin's index:\n{page.text()[:1000]}")


def take_screenshots(page: DevTools, base: str, images: pathlib.Path = IMAGES) -> None:
    page.screenshot(images / "admin_index.png")
    page.open(f"{base}/admin/blog/post/")
    page.screenshot(images / "admin_changelist.png")
    page.open(f"{base}/admin/blog/post/?q=Posts+in+SQLite")  # a sample post with two comments
    page.click("#result_list a[href*='/change/']")
    page.screenshot(images / "admin_change_form.png", full_page=True)


def expect(page: DevTools, *texts: str, absent: tuple = ()) -> None:
    """Stop unless the page's visible text holds every one of ``texts`` and none of ``absent``."""
    text = page.text()
    missing = [wanted for wanted in texts if wanted not in text]
    present = [unwanted for unwanted in absent if unwanted in text]
    if missing or present:
        raise SystemExit(f"{page.url()}: missing {missing}, unexpectedly present {present}. The page:\n{text[:3000]}")


def walkthrough(page: DevTools, base: str, directory: pathlib.Path) -> None:
    """Add a post with three comments, find it by search, change it, delete it: each step checked and saved."""
    step = iter(range(1, 100))

    def shot(name: str) -> None:
        page.screenshot(directory / f"{next(step):02d}_{name}.png", full_page=True)

    shot("index")
    page.open(f"{base}/admin/blog/post/add/")
    shot("add_form")
    page.fill({"title": "Three comments & <more>", "slug": "three-comments", "body": "A post written in the admin.",
               "comments-0-name": "Ada", "comments-0-body": "First!",
               "comments-1-name": "Grace", "comments-1-body": "Second.",
               "comments-2-name": "Edsger", "comments-2-body": "Third, considered harmful."})
    page.click("[name=_save]")
    shot("added")
    expect(page, "was added successfully", "Three comments & <more>")
    page.fill({"q": "three comments"})
    page.click("#changelist-search [type=submit]")
    shot("searched")
    expect(page, "1 result")
    page.click("#result_list a[href*='/change/']")
    shot("change_form")
    expect(page, "Ada", "Grace", "Edsger")
    page.fill({"title": "Three comments, changed"})
    page.click("[name=_continue]")
    shot("changed")
    expect(page, "was changed successfully", "You may edit it again below.")
    page.click("a.deletelink")
    shot("delete_confirmation")
    expect(page, "Are you sure", "Three comments, changed", "Comment")
    page.click("#content form [type=submit]")  # not the header's "Log out" form
    shot("deleted")
    expect(page, "“Three comments, changed” was deleted successfully.", "0 results")  # back to the search
    print(f"walkthrough done: {directory}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--chromium", default="chromium", help="the browser to run (default: chromium)")
    # A small laptop's window: wide enough for the changelist's filters at the side, and small PNGs to commit.
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--height", type=int, default=720)
    parser.add_argument("--images", type=pathlib.Path, default=IMAGES, metavar="DIR",
                        help="where the three screenshots go (default: tutorials/images)")
    parser.add_argument("--walkthrough", type=pathlib.Path, metavar="DIR",
                        help="also add, search, change and delete a post, saving each step's page in DIR")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tinyframe-screenshots-") as scratch:
        scratch = pathlib.Path(scratch)
        with running_site(scratch) as (base, username, password), \
                browser(options.chromium, scratch / "profile", options.width, options.height) as page:
            sign_in(page, base, username, password)
            take_screenshots(page, base, options.images.resolve())
            if options.walkthrough:
                walkthrough(page, base, options.walkthrough.resolve())


if __name__ == "__main__":
    main()
