"""Entry point: `python3 deploy/local/sandboxctl ARGS...` (deploy/local/sandbox runs it)."""
import os
import sys

# Run as a directory, Python puts this directory first on sys.path; its parent makes the package
# importable by name instead, so that a module here can never shadow one of the standard library.
sys.path[0] = os.path.dirname(os.path.abspath(sys.path[0]))

from sandboxctl.main import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
