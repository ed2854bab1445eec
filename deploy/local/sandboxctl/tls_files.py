"""`--tls`: a throwaway CA and one certificate for every node and proxy under DIR/tls/, made with
openssl once and reused by later runs, and the TLS context of the sandbox's own probes."""
import os
import shutil
import ssl
import subprocess
from dataclasses import dataclass

from .console import fail, say

DAYS = "825"
# Every process serves on 127.0.0.1 and is also the client of another (proxy -> node, Raft peers).
LEAF_EXTENSIONS = """\
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = IP:127.0.0.1, DNS:localhost
"""


@dataclass(frozen=True)
class TlsFiles:
    dir: str

    @property
    def ca(self):
        return os.path.join(self.dir, "ca.pem")

    @property
    def cert(self):
        return os.path.join(self.dir, "cert.pem")

    @property
    def key(self):
        return os.path.join(self.dir, "key.pem")

    @staticmethod
    def of(data):
        return TlsFiles(os.path.join(data, "tls"))

    def flags(self):
        """The flags of every node and proxy."""
        return ["--tls-cert", self.cert, "--tls-key", self.key, "--tls-ca", self.ca]

    def exist(self):
        return all(os.path.isfile(p) for p in (self.ca, self.cert, self.key))

    def client_context(self):
        """Trusts only the sandbox's CA and shows its certificate: nodes ask for one."""
        context = ssl.create_default_context(cafile=self.ca)
        context.load_cert_chain(self.cert, self.key)
        return context


def ensure(files):
    """Makes the CA and the certificate unless they exist (a later `up` reuses them)."""
    if files.exist():
        return
    if shutil.which("openssl") is None:
        raise fail("--tls needs openssl to make the sandbox's certificates: apt-get install openssl")
    os.makedirs(files.dir, mode=0o700, exist_ok=True)
    ca_key = os.path.join(files.dir, "ca-key.pem")
    csr = os.path.join(files.dir, "cert.csr")
    ext = os.path.join(files.dir, "cert.ext")
    with open(ext, "w") as f:
        f.write(LEAF_EXTENSIONS)
    # genpkey writes PKCS#8 ("BEGIN PRIVATE KEY"), the form --tls-key takes.
    rsa = ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
    # fmt: off
    steps = [
        ["openssl", "genpkey"] + rsa + ["-out", ca_key],
        ["openssl", "req", "-x509", "-new", "-key", ca_key, "-out", files.ca, "-days", DAYS,
         "-subj", "/CN=Shardhook sandbox CA",
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        ["openssl", "genpkey"] + rsa + ["-out", files.key],
        ["openssl", "req", "-new", "-key", files.key, "-out", csr, "-subj", "/CN=localhost"],
        ["openssl", "x509", "-req", "-in", csr, "-CA", files.ca, "-CAkey", ca_key,
         "-set_serial", "0x%s" % os.urandom(16).hex(), "-days", DAYS, "-extfile", ext,
         "-out", files.cert],
    ]
    # fmt: on
    for step in steps:
        done = subprocess.run(step, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if done.returncode != 0:
            for path in (files.ca, files.cert, files.key):
                if os.path.exists(path):
                    os.remove(path)
            raise fail("%s failed: %s" % (" ".join(step[:2]), done.stderr.strip()))
    for path in (ca_key, files.key):
        os.chmod(path, 0o600)
    for path in (csr, ext):
        os.remove(path)
    say("made a throwaway CA and certificate in %s (CA: %s)" % (files.dir, files.ca))
