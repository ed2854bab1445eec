"""Stands in for a node or proxy JVM in SandboxCommandLineTest (run as `java` through a JAVA_HOME
whose bin/java is `exec -a java python3 fake_jvm.py "$@"`): it answers /ready 200 and /status as a
LEADER on --http-port, over HTTPS when given --tls-cert/--tls-key/--tls-ca (a node, one with
--node-id, then asks for a client certificate signed by that CA, as the real node does)."""
import http.server
import json
import ssl
import sys

args = sys.argv[1:]
flags = dict(zip(args, args[1:]))
node_id = flags.get("--node-id")


class Answers(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/ready":
            body = {}
        elif self.path == "/status":
            body = {"nodeId": node_id, "role": "LEADER", "leaderId": node_id, "lag": 0}
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(flags["--http-port"])), Answers)
if "--tls-cert" in flags:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(flags["--tls-cert"], flags["--tls-key"])
    if node_id:
        context.load_verify_locations(flags["--tls-ca"])
        context.verify_mode = ssl.CERT_REQUIRED
    server.socket = context.wrap_socket(server.socket, server_side=True)
print("fake jvm serving", flush=True)
server.serve_forever()
