"""Running the compared programs: shared by the benchmark scripts (Python 3 standard library only)."""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request


def fail(message):
    """Prints `message` as an error and exits with status 1."""
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def run(cmd):
    """Runs `cmd` and returns its standard output; a failure ends the benchmark with its stderr."""
    return run_measured(cmd)[0]


def run_measured(cmd):
    """Runs `cmd`; returns its standard output and its peak resident set size in MiB (the
    kernel's ru_maxrss of that one process). A failure ends the benchmark with its stderr."""
    with tempfile.TemporaryFile(mode="w+") as stderr:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=stderr, text=True)
        stdout = proc.stdout.read()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stdout.close()
        if proc.returncode != 0:
            stderr.seek(0)
            fail(f"{' '.join(cmd[:2])} ... exited with status {proc.returncode}:\n{stderr.read().strip()[-2000:]}")
    return stdout, usage.ru_maxrss / 1024


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process on a free port, stopped (SIGTERM, then SIGKILL) when the block ends."""

    def __init__(self, name, command_for_port, ready_path):
        self.name = name
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix=f"{name}-", suffix=".log", delete=False)
        self.process = subprocess.Popen(command_for_port(self.port), stdout=self.log, stderr=subprocess.STDOUT)
        self.ready_path = ready_path

    def __enter__(self):
        deadline = time.monotonic() + 300
        url = f"http://127.0.0.1:{self.port}{self.ready_path}"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                fail(f"{self.name} exited with status {self.process.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                pass
            time.sleep(0.25)
        fail(f"{self.name} was not ready within 300 s:\n{self.tail()}")

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()
        os.unlink(self.log.name)

    def tail(self):
        with open(self.log.name, errors="replace") as log:
            return log.read()[-2000:]


def bench(strata, url, model, args, allow_failures=False):
    """One `strata bench run` against `url` (workload from `args`: requests, concurrency,
    input_len, output_len); returns its JSON report, failing the benchmark on any failed request
    unless `allow_failures` (then the report counts them)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as out:
        path = out.name
    try:
        run([
            strata, "bench", "run", "--url", url, "--model", model, "--dataset", "random",
            "--input-len", str(args.input_len), "--output-len", str(args.output_len), "--ignore-eos",
            "--temperature", "0", "--num-requests", str(args.requests), "--max-concurrency", str(args.concurrency),
            "--request-rate", "inf", "--warmup", str(args.concurrency), "--seed", "1", "--json", path,
        ])
        with open(path) as report:
            result = json.load(report)
    finally:
        os.unlink(path)
    if not allow_failures and (result["failed"] != 0 or result["completed"] != args.requests):
        fail(f"{url}: {result['completed']} completed, {result['failed']} failed: {result.get('errors', [])[:3]}")
    return result
