"""The get-many of the client openapi-python-client generated (xtask/openapi-tools.sh check):
called against a server on 127.0.0.1, it must send the ids as the API reads them, `?id=[1,2,3]`."""

import json
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

sys.path.insert(0, sys.argv[1])
from python_client.api.crm_opportunity import crm_opportunity_get_many  # noqa: E402
from python_client.client import Client  # noqa: E402

paths = []


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        paths.append(self.path)
        body = b"[]"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments):
        pass


server = HTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
client = Client(base_url=f"http://127.0.0.1:{server.server_port}")
answer = crm_opportunity_get_many.sync_detailed(client=client, id=json.dumps([1, 2, 3]))
server.shutdown()

assert answer.status_code == 200, answer
[path] = paths
url = urllib.parse.urlsplit(path)
ids = urllib.parse.parse_qs(url.query)["id"]
assert url.path == "/api/crm/crmopportunities", path
assert [json.loads(value) for value in ids] == [[1, 2, 3]], path
print(f"get-many sent {path}")
