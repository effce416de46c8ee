#!/usr/bin/env python3
"""A local OTLP/HTTP receiver for tests: accepts POST /v1/traces in OTLP/JSON (http/json) on 127.0.0.1:PORT and
appends one line per span to FILE: {"name", "trace", "span", "parent", "links": [[trace, span], ...]}.

    otlp-receiver.py PORT FILE
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, out = int(sys.argv[1]), sys.argv[2]


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/v1/traces" or "json" not in self.headers.get("Content-Type", ""):
            self.send_response(415 if self.path == "/v1/traces" else 404)
            self.end_headers()
            return
        request = json.loads(body or b"{}")
        with open(out, "a") as f:
            for resource in request.get("resourceSpans", []):
                for scope in resource.get("scopeSpans", []):
                    for span in scope.get("spans", []):
                        f.write(json.dumps({
                            "name": span.get("name"),
                            "trace": span.get("traceId"),
                            "span": span.get("spanId"),
                            "parent": span.get("parentSpanId") or None,
                            "links": [[link.get("traceId"), link.get("spanId")] for link in span.get("links", [])],
                        }) + "\n")
        reply = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
