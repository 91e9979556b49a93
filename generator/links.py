"""check-links: is every live review's full report still where its `report_url` says?

A review must stay available for its statutory window, and most of a review is its full report,
hosted by the partnership. So a report link that is gone (404, 410, a host that no longer exists,
or a server that fails twice) is an error while the window runs and a warning after it; a link
that moved permanently (301, 308) is a warning with the new address to copy into the file; a
server that refuses robots (401, 403, 429) is a warning to check by hand.

Fetching is polite: HEAD first (GET when the server does not answer HEAD), one named user agent,
at most two requests at a time per host, a timeout, one retry for a failure that may pass.
And it reaches only the public internet: a report_url comes from a pull request, and the check
runs inside CI, where 127.0.0.1, 169.254.169.254 (cloud metadata) or a private network would
answer. A host whose name resolves to any address that is not public is not fetched, nor is a
redirect to one, and a direct connection whose peer is not public is dropped before the request
(DNS may answer differently from one moment to the next).
The judging (`judge`) is a pure function of what the fetch found, tested without a network.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Iterable
from urllib.parse import unquote, urljoin, urlsplit

from .fieldtypes import is_public
from .ledger import LIVE, Ledger
from .model import Corpus
from .problems import Problem, error, warning
from .retention import Windows, dated_reviews, status, window_end

USER_AGENT = ("safeguarding-learning-repository-link-check/1.0 "
              "(checks that published practice review reports are still available)")
TIMEOUT_SECONDS = 20.0
WORKERS = 8
PER_HOST = 2  # requests at a time to any one server
MAX_REDIRECTS = 10
GONE = {404, 410}
REFUSED = {401, 403, 429}  # the server would not answer a robot: not evidence the report is gone
PERMANENT = {301, 308}
HEAD_UNSUPPORTED = {400, 403, 404, 405, 406, 500, 501, 503}  # servers that mishandle HEAD: ask again with GET


@dataclass(frozen=True)
class LinkTarget:
    """A live review's report link and how long the review must stay available."""

    review_id: str
    path: str
    line: int
    url: str
    available_until: dt.date


@dataclass(frozen=True)
class Fetched:
    """What fetching one address found: the final HTTP status (None when no answer came), the first
    permanent redirect's target, if any, and the failure in words when there was no answer."""

    url: str
    status: int | None
    moved_to: str = ""
    failure: str = ""
    gone: bool = False  # no answer, and never will be (the host name does not exist)
    refused: str = ""  # why it was not fetched: the address, or a redirect's, is not public


def link_targets(corpus: Corpus, ledger: Ledger, today: dt.date, windows: Windows) -> list[LinkTarget]:
    """Every live review with a report link, in file order."""
    targets = []
    for review, entry in dated_reviews(corpus, ledger):
        if review.report_url and status(review, entry, today, windows) == LIVE:
            targets.append(LinkTarget(review.id, review.path, review.line_of("report_url"), review.report_url,
                                      window_end(review, entry, windows)))
    return sorted(targets, key=lambda t: t.path)


def judge(target: LinkTarget, fetched: Fetched, today: dt.date) -> Problem | None:
    """The problem with one link, if any: an error only for a gone report inside its window."""
    in_window = today <= target.available_until
    window = (f"its window runs until {target.available_until:%-d %B %Y}" if in_window
              else f"its minimum window ended on {target.available_until:%-d %B %Y}")
    if fetched.refused:
        return (error if in_window else warning)(
            target.path, target.line, f"{target.url} was not fetched: {fetched.refused}", "report_url",
            "give the address where the public can read the report: a reader's browser would look for this one "
            "on their own machine or network")
    if fetched.gone or fetched.status in GONE or (fetched.status is None and fetched.failure) \
            or (fetched.status is not None and fetched.status >= 500):
        found = fetched.failure or f"HTTP {fetched.status}"
        report = error if in_window else warning
        return report(target.path, target.line, f"the full report is not available at {target.url} ({found}); "
                      f"{window}", "report_url",
                      "restore the report at that address, or set report_url to where it is now")
    if fetched.status in REFUSED:
        return warning(target.path, target.line, f"{target.url} refused the link check (HTTP {fetched.status})",
                       "report_url", "open it in a browser to confirm the report is there")
    if fetched.status is not None and fetched.status >= 400:
        return warning(target.path, target.line, f"{target.url} answered HTTP {fetched.status}", "report_url",
                       "open it in a browser to confirm the report is there")
    if fetched.moved_to:
        return warning(target.path, target.line, f"the full report moved permanently to {fetched.moved_to}",
                       "report_url", "set report_url to the new address")
    return None


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # we follow redirects ourselves, to see each hop
        return None


class NotPublic(OSError):
    """A connection reached an address that is not on the public internet."""


def _public_connection(address: tuple, *args: Any, **kwargs: Any) -> socket.socket:
    """socket.create_connection, refusing a peer that is not public: checked on the connected
    socket itself, so a name that resolved to a public address a moment ago cannot lead elsewhere."""
    sock = socket.create_connection(address, *args, **kwargs)
    peer = ipaddress.ip_address(sock.getpeername()[0].split("%")[0])
    if not is_public(peer):
        sock.close()
        raise NotPublic(f"{peer} is not a public address")
    return sock


class _PublicPeers:
    """A handler whose direct connections are made by `_public_connection`. Through a proxy (set
    in the environment), the proxy connects, and only the check of the name before each request holds."""

    def do_open(self, http_class, req, **kwargs):
        if req.has_proxy() or getattr(req, "_tunnel_host", None):  # how urllib's ProxyHandler marks a request
            return super().do_open(http_class, req, **kwargs)

        def connection(*args: Any, **options: Any) -> http.client.HTTPConnection:
            made = http_class(*args, **options)
            made._create_connection = _public_connection  # http.client's own hook for making the socket
            return made

        return super().do_open(connection, req, **kwargs)


class _HTTPHandler(_PublicPeers, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_PublicPeers, urllib.request.HTTPSHandler):
    pass


_OPENER = urllib.request.build_opener(_NoRedirects, _HTTPHandler, _HTTPSHandler)


def _resolve(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address `host` resolves to (a name may have several, and any one may be the one used)."""
    return [ipaddress.ip_address(info[4][0].split("%")[0])
            for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


def not_public(url: str) -> str:
    """Why `url` may not be fetched, or '' when it may: its host is, or resolves to, an address
    that is not public (any one of them: a name may resolve to several). A name that does not
    resolve is left to the request, which reports it as no such host."""
    parts = urlsplit(url)
    try:
        host = unquote(parts.hostname or "")  # as urllib connects to it: %31%32%37.0.0.1 is 127.0.0.1
        addresses = _resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
    except (OSError, UnicodeError, ValueError):
        return ""
    found = next((address for address in addresses if not is_public(address)), None)
    if found is None:
        return ""
    return f"{host} is not a public address" + (f" ({found})" if str(found) != host else "")


def fetch(url: str, timeout: float = TIMEOUT_SECONDS) -> Fetched:
    """Follow `url` to its final answer, HEAD first and GET when HEAD is not answered properly;
    an address that is not public, the first or one redirected to, is not fetched."""
    moved_to = ""
    current = url
    for _ in range(MAX_REDIRECTS):
        refused = not_public(current)
        if refused:
            return Fetched(url, None, moved_to, refused=refused if current == url else
                           f"it redirects to {current}, and {refused}")
        code, location, failure = _request(current, "HEAD", timeout)
        if code is None or code in HEAD_UNSUPPORTED:
            code, location, failure = _request(current, "GET", timeout)
        if code is None:
            return Fetched(url, None, moved_to, failure, gone=failure.startswith("no such host"))
        if 300 <= code < 400 and location:
            following = urljoin(current, location)
            if urlsplit(following).scheme not in ("http", "https"):
                return Fetched(url, code, moved_to, f"redirected to {following}")
            if code in PERMANENT and not moved_to:
                moved_to = following
            current = following
            continue
        return Fetched(url, code, moved_to if code < 400 else "")
    return Fetched(url, None, "", f"more than {MAX_REDIRECTS} redirects")


def _request(url: str, method: str, timeout: float) -> tuple[int | None, str, str]:
    """(status, Location header, failure in words) for one request; the body is never read."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return response.status, response.headers.get("Location", ""), ""
    except urllib.error.HTTPError as exc:
        code = exc.code
        location = exc.headers.get("Location", "") if exc.headers else ""
        exc.close()
        return code, location, ""
    except urllib.error.URLError as exc:
        return None, "", _describe(exc.reason)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        return None, "", _describe(exc)


def _describe(reason: Any) -> str:
    if isinstance(reason, socket.gaierror):
        return "no such host"
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "no answer within the time limit"
    if isinstance(reason, ssl.SSLError):
        return f"secure connection failed: {reason.reason or reason}"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    return str(reason) or type(reason).__name__


def fetch_all(urls: Iterable[str], fetcher: Callable[[str], Fetched] = fetch, workers: int = WORKERS,
              progress: Callable[[int, int], None] | None = None) -> dict[str, Fetched]:
    """Fetch each distinct address once, concurrently, at most PER_HOST at a time per server; a
    failure that may pass (no answer, a server error) is tried once more."""
    unique = sorted(set(urls))
    gates: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(PER_HOST))
    for url in unique:
        gates[urlsplit(url).netloc.lower()]  # created here, in one thread
    done = 0
    lock = threading.Lock()

    def one(url: str) -> Fetched:
        nonlocal done
        with gates[urlsplit(url).netloc.lower()]:
            result = fetcher(url)
            if not (result.gone or result.refused) and (result.status is None or result.status >= 500):
                result = fetcher(url)
        with lock:
            done += 1
            if progress:
                progress(done, len(unique))
        return result

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return dict(zip(unique, pool.map(one, unique)))


class Offline(Exception):
    """No server answered at all: the machine is offline, not every partnership's site gone."""


OFFLINE_HOSTS = 3  # this many servers, and not one answered


def check_links(targets: list[LinkTarget], today: dt.date, fetcher: Callable[[str], Fetched] = fetch,
                progress: Callable[[int, int], None] | None = None) -> list[Problem]:
    """A problem for every report link that is gone, moved or refused."""
    found = fetch_all((t.url for t in targets), fetcher, progress=progress)
    asked = [f for f in found.values() if not f.refused]
    hosts = {urlsplit(f.url).netloc.lower() for f in asked}
    if len(hosts) >= OFFLINE_HOSTS and all(f.status is None for f in asked):
        raise Offline(f"none of the {len(hosts)} servers answered: is this machine online? No link was judged")
    return [p for p in (judge(t, found[t.url], today) for t in targets) if p]
