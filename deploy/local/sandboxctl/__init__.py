"""The local sandbox launcher behind deploy/local/sandbox (stdlib only; see usage.py for its commands)."""
