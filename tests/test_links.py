"""check-links against a real HTTP server on this machine (never the internet): gone reports are
errors inside the statutory window and warnings after it; permanent moves and refusals are
warnings; HEAD comes first, GET when HEAD is not answered; one named user agent; at most two
requests at a time per server. An address that is not public is never fetched: the server the
other tests reach by the name reports.test is, to those tests only, allowed to be on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import Project
from generator import links
from generator.fieldtypes import is_public
from generator.links import Fetched, LinkTarget

PATHS = {  # path -> (status for HEAD, status for GET, Location)
    "/ok": (200, 200, ""),
    "/no-head": (405, 200, ""),
    "/gone": (404, 404, ""),
    "/withdrawn": (410, 410, ""),
    "/moved": (301, 301, "/ok"),
    "/moved-to-gone": (308, 308, "/gone"),
    "/temporary": (302, 302, "/ok"),
    "/refused": (403, 403, ""),
    "/broken": (500, 500, ""),
    "/loop": (301, 301, "/loop"),
    "/slow": (200, 200, ""),
    "/to-metadata": (302, 302, "http://169.254.169.254/latest/meta-data/"),
    "/to-private": (301, 301, "http://10.1.2.3/report.pdf"),
}


class Handler(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str]] = []
    active = 0
    most_active = 0
    lock = threading.Lock()

    def _answer(self, method: str) -> None:
        cls = type(self)
        with cls.lock:
            cls.seen.append((method, self.path, self.headers.get("User-Agent", "")))
            cls.active += 1
            cls.most_active = max(cls.most_active, cls.active)
        try:
            time.sleep(0.05)  # long enough for concurrent requests to overlap
            path = self.path.split("?")[0]
            if path == "/slow":
                time.sleep(2)
        finally:  # before answering: once answered, the client may send its next request before this line ran
            with cls.lock:
                cls.active -= 1
        head, get, location = PATHS[path]
        try:
            self.send_response(head if method == "HEAD" else get)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass

    def do_HEAD(self) -> None:  # noqa: N802 - the http.server protocol
        self._answer("HEAD")

    def do_GET(self) -> None:  # noqa: N802
        self._answer("GET")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def local_server():
    """The test server on 127.0.0.1, as check-links finds it: not a public address."""
    Handler.seen, Handler.active, Handler.most_active = [], 0, 0
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def resolve_names(monkeypatch, names: dict[str, str]) -> None:
    """Let `names` resolve to the given addresses (no DNS); every other name resolves as before."""
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        return real(names.get(host, host), port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def server(local_server: str, monkeypatch):
    """The test server as http://reports.test:PORT, a name (validate refuses 127.0.0.1 in report_url),
    with loopback, and only loopback, taken for public: the checks of every other address still hold."""
    resolve_names(monkeypatch, {"reports.test": "127.0.0.1"})
    monkeypatch.setattr(links, "is_public", lambda address: address.is_loopback or is_public(address))
    yield local_server.replace("127.0.0.1", "reports.test")


def test_head_first_then_get_only_when_head_is_not_answered(server: str) -> None:
    assert links.fetch(server + "/ok") == Fetched(server + "/ok", 200)
    assert [m for m, path, _ in Handler.seen if path == "/ok"] == ["HEAD"]
    assert links.fetch(server + "/no-head").status == 200
    assert [m for m, path, _ in Handler.seen if path == "/no-head"] == ["HEAD", "GET"]
    assert {agent for *_, agent in Handler.seen} == {links.USER_AGENT}


def test_redirects_are_followed_and_only_permanent_ones_count_as_moved(server: str) -> None:
    assert links.fetch(server + "/moved") == Fetched(server + "/moved", 200, moved_to=server + "/ok")
    assert links.fetch(server + "/temporary") == Fetched(server + "/temporary", 200)
    assert links.fetch(server + "/moved-to-gone").status == 404
    loop = links.fetch(server + "/loop")
    assert loop.status is None and "redirects" in loop.failure


def test_no_answer_in_time_and_no_server_are_failures_in_words(server: str) -> None:
    slow = links.fetch(server + "/slow", timeout=0.5)
    assert slow.status is None and slow.failure == "no answer within the time limit"
    port = server.rsplit(":", 1)[1]
    closed = links.fetch(f"http://127.0.0.1:{int(port) + 1 if int(port) < 65535 else 1}/x", timeout=2)
    assert closed.status is None and closed.failure


def test_at_most_two_requests_at_a_time_to_one_server(server: str) -> None:
    deadline = time.monotonic() + 10
    while Handler.active and time.monotonic() < deadline:  # an earlier test's /slow may still be answering
        time.sleep(0.05)
    Handler.most_active = 0
    urls = [f"{server}/ok?{n}" for n in range(12)]
    found = links.fetch_all(urls, workers=8)
    assert len(found) == 12 and all(f.status == 200 for f in found.values())
    assert Handler.most_active == links.PER_HOST


def test_a_failure_that_may_pass_is_tried_once_more(server: str) -> None:
    links.fetch_all([server + "/broken", server + "/gone"])
    assert sum(path == "/broken" for _, path, _ in Handler.seen) == 2 * 2  # HEAD and GET, twice
    assert sum(path == "/gone" for _, path, _ in Handler.seen) == 2  # HEAD and GET, once: gone is gone


NOT_PUBLIC = ["127.0.0.1", "localhost", "127.1", "2130706433", "[::1]", "0.0.0.0", "169.254.169.254", "10.0.0.1",
              "172.16.5.4", "192.168.1.1", "[fc00::1]", "[fe80::1]", "[::ffff:127.0.0.1]", "100.64.0.1", "224.0.0.1",
              "%31%32%37.0.0.1", "local%68ost"]  # urllib connects to a host percent-decoded


def test_an_address_that_is_not_public_is_never_fetched(local_server: str) -> None:
    port = local_server.rsplit(":", 1)[1]
    for host in NOT_PUBLIC:
        fetched = links.fetch(f"http://{host}:{port}/ok", timeout=1)
        assert fetched.status is None and " is not a public address" in fetched.refused, fetched
    assert Handler.seen == []  # the server on 127.0.0.1 was never asked


def test_a_name_that_resolves_to_a_private_address_is_never_fetched(local_server: str, monkeypatch) -> None:
    resolve_names(monkeypatch, {"intranet.test": "127.0.0.1"})
    port = local_server.rsplit(":", 1)[1]
    fetched = links.fetch(f"http://intranet.test:{port}/ok", timeout=1)
    assert fetched.refused == "intranet.test is not a public address (127.0.0.1)"
    monkeypatch.setattr(links, "_resolve", lambda host, port: [ipaddress.ip_address("93.184.215.14"),
                                                               ipaddress.ip_address("10.0.0.7")])
    assert links.fetch(f"http://intranet.test:{port}/ok").refused == "intranet.test is not a public address (10.0.0.7)"
    assert Handler.seen == []


def test_a_name_that_resolves_elsewhere_when_connecting_is_dropped_before_the_request(local_server: str,
                                                                                     monkeypatch) -> None:
    """DNS rebinding: public when checked, 127.0.0.1 a moment later. The connection itself is refused."""
    resolve_names(monkeypatch, {"rebind.test": "127.0.0.1"})
    monkeypatch.setattr(links, "_resolve", lambda host, port: [ipaddress.ip_address("93.184.215.14")])
    port = local_server.rsplit(":", 1)[1]
    fetched = links.fetch(f"http://rebind.test:{port}/ok", timeout=1)
    assert fetched.status is None and fetched.failure == "127.0.0.1 is not a public address", fetched
    monkeypatch.setattr(links, "not_public", lambda url: "")  # the connection holds even with no check before it
    assert links.fetch(f"http://%31%32%37.0.0.1:{port}/ok", timeout=1).failure == "127.0.0.1 is not a public address"
    assert Handler.seen == []


def test_a_redirect_to_an_address_that_is_not_public_is_not_followed(server: str) -> None:
    fetched = links.fetch(server + "/to-metadata", timeout=1)
    assert fetched.refused == ("it redirects to http://169.254.169.254/latest/meta-data/, and 169.254.169.254 is "
                               "not a public address")
    assert links.fetch(server + "/to-private", timeout=1).refused.startswith("it redirects to http://10.1.2.3/")
    assert links.judge(TARGET, fetched, dt.date(2027, 3, 5)).severity == "error"


TARGET = LinkTarget("kingsford-2026-child-a", "content/reviews/kingsford-2026-child-a.md", 11,
                    "https://example.org/r.pdf", dt.date(2027, 3, 5))


@pytest.mark.parametrize(("fetched", "inside", "after"), [
    (Fetched(TARGET.url, 200), None, None),
    (Fetched(TARGET.url, 404), "error", "warning"),
    (Fetched(TARGET.url, 410), "error", "warning"),
    (Fetched(TARGET.url, 503), "error", "warning"),
    (Fetched(TARGET.url, None, failure="no such host", gone=True), "error", "warning"),
    (Fetched(TARGET.url, None, failure="no answer within the time limit"), "error", "warning"),
    (Fetched(TARGET.url, 200, moved_to="https://example.org/new.pdf"), "warning", "warning"),
    (Fetched(TARGET.url, 403), "warning", "warning"),
    (Fetched(TARGET.url, 429), "warning", "warning"),
    (Fetched(TARGET.url, 400), "warning", "warning"),
])
def test_judging_depends_on_the_window(fetched: Fetched, inside: str | None, after: str | None) -> None:
    for today, expected in ((dt.date(2027, 3, 5), inside), (dt.date(2027, 3, 6), after)):
        problem = links.judge(TARGET, fetched, today)
        assert (problem.severity if problem else None) == expected
        if problem:
            assert (problem.path, problem.line, problem.key) == (TARGET.path, 11, "report_url")


def test_check_links_command_reports_each_file_and_line(project: Project, server: str) -> None:
    project.review("kingsford-2026-ok", report_url=f'"{server}/ok"')
    project.review("kingsford-2026-gone", report_url=f'"{server}/gone"')
    project.review("kingsford-2025-gone", report_url=f'"{server}/withdrawn"', published="2025-01-10")
    project.review("kingsford-2026-moved", report_url=f'"{server}/moved"')
    project.review("kingsford-2026-refused", report_url=f'"{server}/refused"')
    project.review("kingsford-2027-embargoed", report_url=f'"{server}/gone"', published="2027-01-10")
    assert project.sync().exit_code == 0
    result = project.run("check-links", "--today", "2026-11-23")
    assert result.exit_code == 1
    assert result.lines == [
        f"content/reviews/kingsford-2025-gone.md:11: warning: the full report is not available at {server}/withdrawn "
        "(HTTP 410); its minimum window ended on 10 January 2026 (restore the report at that address, or set "
        "report_url to where it is now)",
        f"content/reviews/kingsford-2026-gone.md:11: error: the full report is not available at {server}/gone "
        "(HTTP 404); its window runs until 5 March 2027 (restore the report at that address, or set report_url to "
        "where it is now)",
        f"content/reviews/kingsford-2026-moved.md:11: warning: the full report moved permanently to {server}/ok "
        "(set report_url to the new address)",
        f"content/reviews/kingsford-2026-refused.md:11: warning: {server}/refused refused the link check (HTTP 403) "
        "(open it in a browser to confirm the report is there)",
    ]
    assert "5 report links checked: 1 error, 3 warnings" in result.stderr


def test_check_links_command_names_a_report_url_that_is_not_public(project: Project, local_server: str,
                                                                    monkeypatch) -> None:
    resolve_names(monkeypatch, {"intranet.test": "127.0.0.1"})
    project.review(report_url=f'"{local_server.replace("127.0.0.1", "intranet.test")}/ok"')
    assert project.sync().exit_code == 0
    result = project.run("check-links", "--today", "2026-11-23")
    assert result.exit_code == 1 and Handler.seen == []
    assert result.lines == [
        f"content/reviews/kingsford-2026-child-a.md:11: error: {local_server.replace('127.0.0.1', 'intranet.test')}"
        "/ok was not fetched: intranet.test is not a public address (127.0.0.1) (give the address where the public "
        "can read the report: a reader's browser would look for this one on their own machine or network)"]


def test_job_summary_format_is_an_escaped_table(project: Project, server: str) -> None:
    project.review(report_url=f'"{server}/gone?x=[a](javascript:alert(1))"')
    assert project.sync().exit_code == 0
    result = project.run("check-links", "--today", "2026-11-23", "--format", "markdown")
    assert result.exit_code == 1
    header, rule, row = result.lines
    assert header == "| File | Line | Severity | Problem |"
    assert row.startswith("| content/reviews/kingsford-2026-child-a.md | 11 | error | the full report is not")
    assert "\\[a\\]\\(javascript\\:alert\\(1\\)\\)" in row and "](" not in row


def test_all_good_links_pass_and_an_offline_machine_is_not_a_dead_corpus(project: Project, server: str) -> None:
    project.review(report_url=f'"{server}/ok"')
    assert project.sync().exit_code == 0
    ok = project.run("check-links", "--today", "2026-11-23")
    assert (ok.exit_code, ok.stdout) == (0, "")
    assert "1 report link checked: 0 errors, 0 warnings" in ok.stderr
    for n, host in enumerate(("a.invalid", "b.invalid", "c.invalid")):
        project.review(f"kingsford-2026-child-{n}", report_url=f'"https://{host}/r.pdf"')
    project.review(report_url='"https://d.invalid/r.pdf"')
    assert project.sync().exit_code == 0
    offline = project.run("check-links", "--today", "2026-11-23")
    assert offline.exit_code == 1 and offline.stdout == ""
    assert "none of the 4 servers answered: is this machine online?" in offline.stderr
