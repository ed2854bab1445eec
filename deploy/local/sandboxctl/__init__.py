"""The local sandbox launcher behind deploy/local/sandbox: standard library only; usage.py has
its commands and flags."""
