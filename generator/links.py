"""check-links: is every live review's full report still where its `report_url` says?

A review must stay available for its statutory window, and most of a review is its full report,
hosted by the partnership. So a report link that is gone (404, 410, a host that no longer exists,
or a server that fails twice) is an error while the window runs and a warning after it; a link
that moved permanently (301, 308) is a warning with the new address to copy into the file; a
server that refuses robots (401, 403, 429) is a warning to check by hand.

Fetching is polite: HEAD first (GET when the server does not answer HEAD), one named user agent,
at most two requests at a time per host, a timeout, one retry for a failure that may pass.
The judging (`judge`) is a pure function of what the fetch found, tested without a network.
"""

from __future__ import annotations

import datetime as dt
import http.client
import socket
import ssl
import threading
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Iterable
from urllib.parse import urljoin, urlsplit

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


_OPENER = urllib.request.build_opener(_NoRedirects)


def fetch(url: str, timeout: float = TIMEOUT_SECONDS) -> Fetched:
    """Follow `url` to its final answer, HEAD first and GET when HEAD is not answered properly."""
    moved_to = ""
    current = url
    for _ in range(MAX_REDIRECTS):
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
            if not result.gone and (result.status is None or result.status >= 500):
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
    hosts = {urlsplit(url).netloc.lower() for url in found}
    if len(hosts) >= OFFLINE_HOSTS and all(f.status is None for f in found.values()):
        raise Offline(f"none of the {len(hosts)} servers answered: is this machine online? No link was judged")
    return [p for p in (judge(t, found[t.url], today) for t in targets) if p]
