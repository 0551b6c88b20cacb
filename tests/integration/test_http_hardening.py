"""Integration tests of the HTTP server's hardening (issue 19) on the real
binary: requests holding bytes that are not UTF-8 get a JSON error and the
server lives; slow clients are cut off at the header and body deadlines;
one address cannot hold the connection slots; bodies are refused from
their headers, per route and caller, within a total budget; costly
anonymous work gets a share of the workers and a rate per address, the
address being the client's behind a trusted proxy.
"""
import http.client
import json
import os
import socket
import threading
import time

from harness import Server, TempDbCase, main, run

os.environ["QINGSHUI_PWHASH"] = "min"          # hashing cost for tests only

# Requests that killed the server (issue 19, "Crashes"): anonymous ones,
# then invalid UTF-8 in the ids and years of signed-in routes.
ANONYMOUS_PROBES = ["/api/%FF", "/api/units/%FF", "/%FF%FE%FD.js",
                    "/api/measures?role=%C0%AF&unit=1", "/api/measures/%FF",
                    "/api/plans/%FF/matrix", "/api/water/monthly?year=%FF",
                    "/api/water/sections/%FF/trend"]
SIGNED_IN_PROBES = ["/api/tasks/%FF", "/api/stations/%FF", "/api/stations/1/readings?from=%FF",
                    "/api/attachments/%FF", "/api/dashboard?year=%FF", "/api/assessment?year=%FE",
                    "/api/tasks?year=%C0%AF", "/api/audit?limit=%FF"]


def classify_csv(rows):
    """A classify body of ROWS readings."""
    return ("section,type,time,PH,NH3N\n" + "a,river,2026-01-01,7,0.5\n" * rows).encode()


def raw_request(port, head, body=b"", timeout=30):
    """Send HEAD (and BODY) on a new connection; the status and the JSON reply."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(head.encode() + body)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        head_end = data.index(b"\r\n\r\n")
        length = int([l.split(b":")[1] for l in data[:head_end].split(b"\r\n")
                      if l.lower().startswith(b"content-length:")][0])
        while len(data) < head_end + 4 + length:
            data += s.recv(65536)
        return int(data.split(b" ")[1]), json.loads(data[head_end + 4:])


def rss_bytes(pid):
    """The resident memory of process PID."""
    with open(f"/proc/{pid}/status") as f:
        return int([l for l in f if l.startswith("VmRSS:")][0].split()[1]) * 1024


def closed_by_server(sock, trickle):
    """Send TRICKLE a byte at a time (0.25 s apart) until the server closes SOCK;
    the seconds it took, or None if it never closed."""
    start = time.monotonic()
    for b in trickle:
        try:
            sock.sendall(bytes([b]))
            sock.settimeout(0.25)
            if sock.recv(4096) == b"":
                return time.monotonic() - start
        except socket.timeout:
            continue
        except (ConnectionResetError, BrokenPipeError):
            return time.monotonic() - start
    return None


class HardeningCase(TempDbCase):
    def setUp(self):
        super().setUp()
        run("init", db=self.db, check=True)
        self.token = open(self.db + ".admin-token").read().strip()
        self.server = None

    def tearDown(self):
        if self.server:
            self.assertEqual(self.server.stop(), 0, "the server did not shut down cleanly")
        super().tearDown()

    def serve(self, *options):
        self.server = Server(self.db, *options)
        return self.server

    def admin(self):
        return {"Authorization": "Bearer " + self.token}


class Crashes(HardeningCase):
    def test_requests_that_are_not_utf8_get_a_json_error(self):
        s = self.serve()
        for path in ANONYMOUS_PROBES + SIGNED_IN_PROBES:
            headers = self.admin() if path in SIGNED_IN_PROBES else {}
            status, h, body = s.request("GET", path, headers=headers)
            self.assertIn(status, (400, 404), path)
            self.assertTrue(h["content-type"].startswith("application/json"), path)
            self.assertIsInstance(json.loads(body)["error"], str, path)
        self.assertEqual(s.json("GET", "/healthz")[1]["status"], "ok")

    def test_error_names_the_part_with_the_bytes_escaped(self):
        s = self.serve()
        status, body = s.json("GET", "/api/units/%FF")
        self.assertEqual((status, body["error"]), (400, "invalid_utf8"))
        self.assertIn("/api/units/\\xFF", body["detail"])
        status, body = s.json("GET", "/api/measures?role=%C0%AF&unit=1")
        self.assertIn("'role'", body["detail"])


class Deadlines(HardeningCase):
    def trickle_clients(self, port, count, first, trickle):
        """COUNT clients that send FIRST, then TRICKLE a byte at a time; the
        seconds until the server closed each (None: never)."""
        socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
        for sock in socks:
            sock.sendall(first)
        results = [None] * count

        def one(i):
            results[i] = closed_by_server(socks[i], trickle)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for sock in socks:
            sock.close()
        return results

    def test_headers_must_be_complete_within_the_deadline(self):
        s = self.serve("--header-timeout", "2", "--max-per-ip", "25", "--max-connections", "100")
        trickle = b"X-Slow: " + b"a" * 40                # 10 s at 4 bytes a second
        closed = self.trickle_clients(s.port, 20, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", trickle)
        self.assertTrue(all(c is not None for c in closed), closed)
        self.assertEqual(s.json("GET", "/healthz")[0], 200)

    def test_bodies_must_keep_the_minimum_rate(self):
        s = self.serve("--header-timeout", "2", "--body-rate", "1000")
        head = ("POST /api/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                "Content-Length: 4000\r\n\r\n").encode()
        closed = self.trickle_clients(s.port, 5, head, b"{" + b" " * 40)
        self.assertTrue(all(c is not None for c in closed), closed)

    def test_a_quick_client_is_not_cut(self):
        s = self.serve("--header-timeout", "2")
        with socket.create_connection(("127.0.0.1", s.port)) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertIn(b"200 OK", sock.recv(4096))


class ConnectionsPerAddress(HardeningCase):
    def test_by_default_many_addresses_are_needed_to_hold_every_slot(self):
        defaults = {}
        for line in run("serve", "--help").stdout.splitlines():
            words = line.split()
            if words and words[0] in ("--max-connections", "--max-per-ip"):
                defaults[words[0]] = int(line.split("(default ")[1].split(",")[0])
        self.assertGreaterEqual(defaults["--max-connections"] // defaults["--max-per-ip"], 32, defaults)

    def test_one_address_holds_at_most_its_share(self):
        s = self.serve("--max-connections", "64", "--max-per-ip", "16")
        held = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(16)]
        # each answered once (kept alive), so the server has accepted all 16
        # before the 17th connects: the kernel's queue does not keep their order
        for sock in held:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            sock.settimeout(10)
            self.assertIn(b"200 OK", sock.recv(4096))
        extra = socket.create_connection(("127.0.0.1", s.port))
        extra.settimeout(5)
        try:
            extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            self.assertEqual(extra.recv(4096), b"", "the 17th connection of one address was served")
        except (ConnectionResetError, BrokenPipeError):
            pass
        finally:
            extra.close()
            for sock in held:
                sock.close()

    def test_per_address_limit_must_stay_under_a_quarter(self):
        p = run("serve", "--max-connections", "100", "--max-per-ip", "26", "--listen", "127.0.0.1:0",
                db=self.db)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--max-per-ip 26", p.stderr)


class Bodies(HardeningCase):
    def test_large_uploads_to_login_are_not_held(self):
        s = self.serve()
        before = rss_bytes(s.proc.pid)
        body = b"x" * (11 << 20)
        statuses = []

        def upload():
            status, _, data = s.request("POST", "/api/login", body)
            statuses.append((status, "4096 bytes" in json.loads(data)["detail"]))
        threads = [threading.Thread(target=upload) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        grown = rss_bytes(s.proc.pid) - before
        self.assertLess(grown, 40 << 20, f"16 refused 11 MiB uploads grew the server by {grown >> 20} MiB")
        self.assertEqual(statuses, [(413, True)] * 16)

    def test_refused_from_the_headers_when_the_body_need_not_be_read(self):
        s = self.serve()
        # Only the headers are sent: the answer must come without the body.
        for extra in ("Expect: 100-continue\r\n", ""):
            length = (11 << 20) if extra else (100 << 20)
            status, body = raw_request(s.port, "POST /api/login HTTP/1.1\r\nHost: x\r\n"
                                               f"{extra}Content-Length: {length}\r\n\r\n", timeout=10)
            self.assertEqual(status, 413)
            self.assertIn("4096 bytes", body["detail"])

    def test_a_chunked_body_over_the_limit_is_413(self):
        s = self.serve()
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.request("POST", "/api/login", body=iter([b"x" * 3000, b"y" * 3000]),
                     encode_chunked=True, headers={"Transfer-Encoding": "chunked"})
        r = conn.getresponse()
        self.assertEqual(r.status, 413)
        self.assertIn("4096 bytes", json.loads(r.read())["detail"])
        conn.close()

    def test_anonymous_callers_get_the_small_limit(self):
        s = self.serve("--anonymous-max-body", "65536")
        body = classify_csv(5000)                        # 80 KB
        status, _, data = s.request("POST", "/api/water/classify", body)
        self.assertEqual(status, 413)
        self.assertIn("65536 bytes from callers not signed in", json.loads(data)["detail"])
        status, _, _ = s.request("POST", "/api/water/classify", body, headers=self.admin())
        self.assertEqual(status, 200)

    def test_bodies_in_flight_have_a_budget(self):
        s = self.serve("--body-budget", str(1 << 20))
        head = ("POST /api/water/readings HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                f"{self.token}\r\nContent-Type: text/csv\r\nContent-Length: 600000\r\n\r\n")
        first = socket.create_connection(("127.0.0.1", s.port))
        first.sendall(head.encode())                    # holds 600 KB of the 1 MiB budget
        time.sleep(0.5)
        status, body = raw_request(s.port, head, timeout=10)
        self.assertEqual((status, body["error"]), (503, "busy"))
        first.close()
        time.sleep(0.5)
        self.assertEqual(s.json("GET", "/healthz")[0], 200)


class HeavyWork(HardeningCase):
    def test_heavy_anonymous_requests_at_once_are_run_or_refused(self):
        s = self.serve("--threads", "4", "--anonymous-max-body", str(4 << 20),
                       "--heavy-per-minute", "1000")
        body = classify_csv(150000)                     # 3.7 MB
        results = []

        def heavy():
            status, _, _ = s.request("POST", "/api/water/classify", body)
            results.append((status, time.monotonic()))
        threads = [threading.Thread(target=heavy) for _ in range(8)]
        for t in threads:
            t.start()
        time.sleep(0.5)
        health_status = s.json("GET", "/healthz")[0]
        for t in threads:
            t.join()
        statuses = sorted(st for st, _ in results)
        self.assertEqual(health_status, 200)
        # Each is run or refused as busy, none lost. Whether one is refused,
        # and whether /healthz overtakes them, depends on which of the pool's
        # threads libmicrohttpd gives each connection to (a thread in a heavy
        # handler serves none of its other connections meanwhile), so this
        # test does not assert it; test_http_admission checks the slots.
        self.assertEqual(len(statuses), 8)
        self.assertTrue(set(statuses) <= {200, 503}, statuses)

    def test_heavy_anonymous_requests_have_a_rate_per_address(self):
        s = self.serve("--heavy-per-minute", "2")
        body = classify_csv(10)
        self.assertEqual(s.request("POST", "/api/water/classify", body)[0], 200)
        self.assertEqual(s.request("POST", "/api/water/classify", body)[0], 200)
        status, _, data = s.request("POST", "/api/water/classify", body)
        self.assertEqual(status, 429)
        self.assertIn("at most 2 a minute", json.loads(data)["detail"])
        # signed-in callers are not counted
        self.assertEqual(s.request("POST", "/api/water/classify", body, headers=self.admin())[0], 200)


class TrustedProxy(HardeningCase):
    def classify_from(self, s, client):
        headers = {"X-Forwarded-For": f"203.0.113.9, {client}"}
        return s.request("POST", "/api/water/classify", classify_csv(10), headers=headers)[0]

    def test_the_client_behind_the_proxy_is_counted(self):
        s = self.serve("--trusted-proxy", "127.0.0.1", "--heavy-per-minute", "1")
        self.assertEqual(self.classify_from(s, "198.51.100.1"), 200)
        self.assertEqual(self.classify_from(s, "198.51.100.2"), 200)
        self.assertEqual(self.classify_from(s, "198.51.100.1"), 429)

    def test_forwarded_for_is_ignored_without_a_trusted_proxy(self):
        s = self.serve("--heavy-per-minute", "1")
        self.assertEqual(self.classify_from(s, "198.51.100.1"), 200)
        self.assertEqual(self.classify_from(s, "198.51.100.2"), 429)

    def test_the_proxy_is_not_limited_per_address(self):
        s = self.serve("--trusted-proxy", "127.0.0.1")
        held = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(20)]
        try:
            self.assertEqual(s.json("GET", "/healthz")[0], 200)   # the 21st connection
        finally:
            for sock in held:
                sock.close()

    def test_the_proxy_must_be_an_address(self):
        p = run("serve", "--trusted-proxy", "proxy.local", "--listen", "127.0.0.1:0", db=self.db)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--trusted-proxy 'proxy.local'", p.stderr)


if __name__ == "__main__":
    main()
