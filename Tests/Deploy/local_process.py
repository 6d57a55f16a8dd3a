"""A `strata` process started from a deployment file's command line, with its logs, and the
HTTP and TCP checks the orchestrator would make against it."""

import http.client
import json
import os
import signal
import socket
import subprocess
import time


class LocalProcess:
    """One started process: argv, environment, and where its output goes."""

    def __init__(self, name, argv, environment, log_dir):
        self.name = name
        self.argv = argv
        self.environment = environment
        self.log_path = os.path.join(log_dir, name + ".log")
        self.process = None

    def start(self):
        log = open(self.log_path, "ab")
        self.process = subprocess.Popen(self.argv, env=self.environment, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        return self

    def log(self):
        with open(self.log_path, "rb") as file:
            return file.read().decode("utf-8", "replace")

    def wait_for_log(self, fragment, timeout=120):
        """Waits until `fragment` appears in the output; raises if the process exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if fragment in self.log():
                return
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited ({self.process.returncode}) before '{fragment}':\n"
                                     f"{' '.join(self.argv)}\n{self.log()}")
            time.sleep(0.1)
        raise AssertionError(f"{self.name} did not print '{fragment}' in {timeout} s:\n{self.log()}")

    def peak_memory_bytes(self):
        """The process's peak resident set (VmHWM)."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
        raise AssertionError(f"no VmHWM for {self.name}")

    def terminate(self, timeout):
        """SIGTERM, as a kubelet or systemd sends it; returns (exit code, seconds taken). Kills
        the process if it outlives `timeout` and reports that as a failure."""
        if self.process is None or self.process.poll() is not None:
            return (self.process.returncode if self.process else None, 0.0)
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise AssertionError(f"{self.name} did not stop within {timeout} s of SIGTERM")
        return code, time.monotonic() - started

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def http_request(address, port, method, path, body=None, headers=None, timeout=60):
    """(status, decoded JSON or text) of one HTTP/1.1 request."""
    connection = http.client.HTTPConnection(address, port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json"} if body is not None else {}
        all_headers.update(headers or {})
        connection.request(method, path, body=data, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        try:
            return response.status, json.loads(text)
        except ValueError:
            return response.status, text
    finally:
        connection.close()


def wait_for_status(address, port, path, status=200, timeout=60):
    """Polls `path` until it answers `status`; returns the seconds it took."""
    started = time.monotonic()
    last = None
    while time.monotonic() - started < timeout:
        try:
            last = http_request(address, port, "GET", path, timeout=5)[0]
            if last == status:
                return time.monotonic() - started
        except OSError as error:
            last = error
        time.sleep(0.2)
    raise AssertionError(f"http://{address}:{port}{path} did not answer {status} in {timeout} s (last: {last})")


def tcp_connects(address, port):
    """Whether a TCP connection to address:port opens (a tcpSocket probe)."""
    try:
        with socket.create_connection((address, port), timeout=3):
            return True
    except OSError:
        return False


def chat_completion(address, port, api_key, content="Name a colour.", max_tokens=8):
    """A short greedy chat completion; returns the response object (asserts 200)."""
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    status, body = http_request(address, port, "POST", "/v1/chat/completions", headers=headers, body={
        "messages": [{"role": "user", "content": content}], "max_tokens": max_tokens, "temperature": 0})
    if status != 200:
        raise AssertionError(f"chat completion on {address}:{port} answered {status}: {body}")
    return body
