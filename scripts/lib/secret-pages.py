#!/usr/bin/env python3
"""A RandomUser-compatible page server on 127.0.0.1 whose users carry marker secrets.

Every user is the captured fixture user with a new login.uuid and secrets that contain the marker S3CR3T
(password, salt, md5, sha1, sha256, id.value); one in ten has a bad e-mail, so it becomes a dead letter.
Usage: secret-pages.py FIXTURE PORT_FILE  (writes the port it listens on to PORT_FILE, serves until killed)."""
import copy, json, sys, uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

fixture = json.load(open(sys.argv[1]))["results"][0]


def page(results: int, number: int, seed: str):
    users = []
    for index in range(results):
        user = copy.deepcopy(fixture)
        n = number * 100000 + index
        user["login"]["uuid"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{seed}/{n}"))
        user["login"]["password"] = f"pw-S3CR3T-{n}"
        user["login"]["salt"] = f"salt-S3CR3T-{n}"
        for hash_name in ("md5", "sha1", "sha256"):
            user["login"][hash_name] = f"{hash_name}-S3CR3T-{n}"
        user["id"]["value"] = f"id-S3CR3T-{n}"
        if index % 10 == 9:
            user["email"] = "not an e-mail"
        users.append(user)
    return {"results": users, "info": {"seed": seed, "results": results, "page": number, "version": "1.4"}}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        query = parse_qs(urlparse(self.path).query)
        results = min(int(query.get("results", ["1"])[0]), 5000)
        body = json.dumps(page(results, int(query.get("page", ["1"])[0]), query.get("seed", ["s"])[0])).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[2], "w") as port_file:
    port_file.write(str(server.server_address[1]))
server.serve_forever()
