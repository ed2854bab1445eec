"""Who may call the sandbox: its API keys (kept in sandbox.json, reused by every later `up`) and
DIR/tenants.json, which holds only their SHA-256 hashes (README.md, "Security")."""
import base64
import hashlib
import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field

from .console import fail

DEFAULT_TENANT = "default"
# Key ids are unique in the whole file. Tenant names hold no ".", so these never clash.
ADMIN_KEY_ID = "sandbox.admin"


@dataclass
class Access:
    """Keys (`admin_key`, `api_keys` tenant -> key, in tenant order) or, with `insecure_no_auth`,
    none; `tls` when every process serves HTTPS with the certificates under DIR/tls/."""

    insecure_no_auth: bool = False
    admin_key: str = None
    api_keys: "OrderedDict[str, str]" = field(default_factory=OrderedDict)
    tls: bool = False

    def first_tenant_key(self):
        return next(iter(self.api_keys.values()), None)

    def same_mode(self, other):
        return self.insecure_no_auth == other.insecure_no_auth and self.tls == other.tls

    def describe(self):
        auth = "--insecure-no-auth" if self.insecure_no_auth else "API keys"
        return auth + (" and --tls" if self.tls else " and no --tls")


def new_key():
    """`shk_` and 256 random bits, base64url without padding."""
    return "shk_" + base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()


def sha256_hex(key):
    return hashlib.sha256(key.encode()).hexdigest()


def planned(recorded, tenants, insecure_no_auth, tls):
    """This `up`'s access: the keys `recorded` in sandbox.json are reused; `tenants` (None: those
    recorded, or `default` for a new sandbox) each get a key, after the recorded ones."""
    if insecure_no_auth:
        return Access(insecure_no_auth=True, tls=tls)
    keys = OrderedDict(recorded.api_keys if recorded else ())
    names = tenants if tenants is not None else (list(keys) or [DEFAULT_TENANT])
    if tenants is not None:
        # The tenants named now come first: their first one is the key `up` prints.
        keys = OrderedDict(
            [(t, keys.get(t) or new_key()) for t in names]
            + [(t, k) for t, k in keys.items() if t not in names]
        )
    else:
        for name in names:
            keys.setdefault(name, new_key())
    admin = recorded.admin_key if recorded and recorded.admin_key else new_key()
    return Access(admin_key=admin, api_keys=keys, tls=tls)


def write_tenants_file(path, access):
    """Adds (or updates) the sandbox's keys in `path`, keeping whatever else it holds (quotas,
    signing secrets, keys added by hand); written aside with mode 0600 and renamed, as every
    process re-reads it when it changes."""
    doc = {"tenants": {}}
    if os.path.isfile(path):
        try:
            with open(path) as f:
                doc = json.load(f, object_pairs_hook=OrderedDict)
            if not isinstance(doc.get("tenants"), dict):
                raise ValueError('no "tenants" object')
        except (OSError, ValueError, AttributeError) as e:
            raise fail("cannot read %s (fix or remove it): %s" % (path, e))
    _put_key(doc, DEFAULT_TENANT, ADMIN_KEY_ID, access.admin_key, "admin")
    for tenant, key in access.api_keys.items():
        _put_key(doc, tenant, tenant_key_id(tenant), key, "submit")
    write_private(path, json.dumps(doc, indent=2) + "\n")


def tenant_key_id(tenant):
    """`<tenant>.sandbox`, cut to the 64 characters a key id may have (the "." always stays)."""
    return (tenant + ".sandbox")[:64]


def _put_key(doc, tenant, key_id, key, role):
    entry = doc["tenants"].setdefault(tenant, OrderedDict())
    keys = [k for k in entry.get("keys") or [] if k.get("id") != key_id]
    entry["keys"] = keys + [OrderedDict(id=key_id, sha256=sha256_hex(key), role=role)]


def write_private(path, text):
    """Writes `text` to `path` readable by this user only, aside and renamed: readers never see
    half a file."""
    tmp = "%s.tmp.%d" % (path, os.getpid())
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
