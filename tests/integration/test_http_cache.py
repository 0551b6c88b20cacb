"""Integration tests of compression and validators against the real binary
on loopback: the embedded files' gzip variants (made at build time) are
sent only to a client that accepts gzip and decode to the same bytes, with
Vary: Accept-Encoding; their strong ETags give 304 on If-None-Match (either
variant's tag, a list, W/, *) and a changed file's tag does not; index.html
is revalidated at every load, the modules kept a while; API replies of 1 KiB
or more are gzipped when accepted, smaller ones never.

Run: python3 tests/integration/test_http_cache.py BUILD_DIR (from the source root).
"""
import gzip
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Server, TempDbCase, main, run  # noqa: E402

GZIP = {"Accept-Encoding": "gzip, deflate"}


def source(name):
    with open(os.path.join(ROOT, name), "rb") as f:
        return f.read()


class StaticCacheCase(TempDbCase):
    def setUp(self):
        super().setUp()
        run("init", db=self.db, check=True)
        self.server = Server(self.db)

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0)
        super().tearDown()

    def test_gzip_only_when_accepted_and_same_bytes(self):
        for path, name in [("/app.js", "web/app.js"), ("/index.html", "web/index.html"),
                           ("/vendor/echarts.min.js", "node_modules/echarts/dist/echarts.min.js")]:
            status, h, body = self.server.request("GET", path, headers=GZIP)
            self.assertEqual(status, 200, path)
            self.assertEqual(h.get("content-encoding"), "gzip", path)
            self.assertEqual(h.get("vary"), "Accept-Encoding", path)
            self.assertLess(len(body), len(source(name)), path)
            self.assertEqual(gzip.decompress(body), source(name), path)
            status, h, body = self.server.request("GET", path)
            self.assertNotIn("content-encoding", h, path)
            self.assertEqual(h.get("vary"), "Accept-Encoding", path)
            self.assertEqual(body, source(name), path)

    def test_refused_gzip_is_not_sent(self):
        for accept in ["gzip;q=0", "gzip;q=0, *", "identity", "br", "*;q=0", "x-gzip;q=0.0"]:
            _, h, body = self.server.request("GET", "/app.js", headers={"Accept-Encoding": accept})
            self.assertNotIn("content-encoding", h, accept)
            self.assertEqual(body, source("web/app.js"), accept)
        for accept in ["*", "br;q=1, GZIP;q=0.5", "x-gzip", "deflate, gzip ; q=0.1"]:
            _, h, body = self.server.request("GET", "/app.js", headers={"Accept-Encoding": accept})
            self.assertEqual(h.get("content-encoding"), "gzip", accept)

    def test_if_none_match_gives_304(self):
        _, plain, _ = self.server.request("GET", "/app.js")
        _, packed, _ = self.server.request("GET", "/app.js", headers=GZIP)
        tag, gz_tag = plain["etag"], packed["etag"]
        self.assertRegex(tag, r'^"[0-9a-f]{32}"$')
        self.assertEqual(gz_tag, tag[:-1] + '-gzip"')
        for sent in [tag, gz_tag, f'"x", {tag}', "W/" + tag, "*"]:
            status, h, body = self.server.request("GET", "/app.js", headers={"If-None-Match": sent})
            self.assertEqual((status, body), (304, b""), sent)
            self.assertEqual(h["etag"], tag, sent)
            self.assertEqual(h.get("vary"), "Accept-Encoding", sent)
        _, other, _ = self.server.request("GET", "/i18n.js")
        self.assertNotEqual(other["etag"], tag)
        for sent in [other["etag"], tag[:-2] + '"', '"' + tag[1:-1] + 'x"', "garbage"]:
            status, _, body = self.server.request("GET", "/app.js", headers={"If-None-Match": sent})
            self.assertEqual((status, body), (200, source("web/app.js")), sent)

    def test_cache_control(self):
        for path in ["/", "/index.html", "/units/3"]:
            _, h, _ = self.server.request("GET", path)
            self.assertEqual(h["cache-control"], "no-cache", path)
        _, h, _ = self.server.request("GET", "/app.js")
        self.assertEqual(h["cache-control"], "public, max-age=300")


class ApiGzipCase(TempDbCase):
    def setUp(self):
        super().setUp()
        self.init_with_seed()
        self.auth = {"Authorization": "Bearer " + open(self.db + ".admin-token").read().strip()}
        self.server = Server(self.db)

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0)
        super().tearDown()

    def test_large_reply_gzipped_when_accepted(self):
        _, h, plain = self.server.request("GET", "/api/units", headers=self.auth)
        self.assertGreater(len(plain), 1024)
        self.assertNotIn("content-encoding", h)
        self.assertEqual(h.get("vary"), "Accept-Encoding")
        _, h, packed = self.server.request("GET", "/api/units", headers={**self.auth, **GZIP})
        self.assertEqual(h.get("content-encoding"), "gzip")
        self.assertEqual(h.get("vary"), "Accept-Encoding")
        self.assertEqual(gzip.decompress(packed), plain)
        self.assertLess(len(packed), len(plain))

    def test_small_reply_not_gzipped(self):
        _, h, body = self.server.request("GET", "/healthz", headers=GZIP)
        self.assertLess(len(body), 1024)
        self.assertNotIn("content-encoding", h)
        self.assertIn(b'"status":"ok"', body)


if __name__ == "__main__":
    main()
