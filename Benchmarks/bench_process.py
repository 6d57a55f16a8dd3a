"""Running the compared programs: shared by the benchmark scripts (Python 3 standard library only)."""

import subprocess
import sys


def fail(message):
    """Prints `message` as an error and exits with status 1."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def run(cmd):
    """Runs `cmd` and returns its standard output; a failure ends the benchmark with its stderr."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        fail(f"{' '.join(cmd[:2])} ... exited with status {proc.returncode}:\n{proc.stderr.strip()[-2000:]}")
    return proc.stdout
