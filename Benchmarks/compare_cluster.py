#!/usr/bin/env python3
"""The cluster: a loopback pipeline of workers against the one-process server, under one load.

Configurations, each measured in the same run on the same machine:
  1 process   `strata serve --threads T` (all layers local)
  2 stages    two `strata worker` processes (layers 0:9 and 9:18, 1 thread each) behind
              `strata serve --worker ... --worker ...`
  3 stages    three workers (0:6, 6:12, 12:18, 1 thread each)

Throughput: `strata bench run` against each server (the same random prompts, `ignore_eos`,
greedy, a concurrency cap), output tokens/s and the ratio to the one-process server.
Transport: `strata batched-bench` over each pipeline prints the bytes per step and the time each
hop adds (a stage's round trip minus the compute time it reports: encoding, HTTP/2, loopback,
decoding), median and p99.
Python 3 standard library only; `make bench` runs it.
"""

import argparse
import os
import re
import subprocess
import statistics

from bench_process import Server, bench, fail, free_port

PIPELINES = {
    2: ["0:9", "9:18"],
    3: ["0:6", "6:12", "12:18"],
}
TOKEN = "compare-cluster-token"


class Workers:
    """`strata worker` processes on free loopback ports, stopped when the block ends."""

    def __init__(self, strata, model, layer_ranges):
        self.processes, self.urls = [], []
        for layers in layer_ranges:
            port = free_port()
            self.processes.append(subprocess.Popen(
                [strata, "worker", "--listen", f"127.0.0.1:{port}", "--model", model, "--layers", layers,
                 "--threads", "1", "--cluster-token", TOKEN],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
            self.urls.append(f"http://127.0.0.1:{port}")

    def __enter__(self):
        for process in self.processes:
            line = process.stdout.readline()
            if "worker listening" not in line:
                fail(f"a worker did not start: {line}{process.stdout.read()[-2000:]}")
        return self

    def __exit__(self, *exc):
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()

    def arguments(self):
        return [arg for url in self.urls for arg in ("--worker", url)] + ["--cluster-token", TOKEN]


def transport(strata, model, workers, args):
    """Bytes per step and per-hop added time from `strata batched-bench` over the pipeline."""
    proc = subprocess.run(
        [strata, "batched-bench", "--model", model, *workers.arguments(), "--npp", str(args.input_len),
         "--ntg", "32", "--npl", str(args.concurrency)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        fail(f"batched-bench over the pipeline failed:\n{proc.stderr[-2000:]}")
    match = re.search(r"(\d+) bytes sent and (\d+) received per step; added time per hop "
                      r"\(round trip minus compute\) median (\d+) µs, p99 (\d+) µs", proc.stderr)
    if not match:
        fail(f"no pipeline line in batched-bench's output:\n{proc.stderr[-2000:]}")
    sent, received, median, p99 = map(int, match.groups())
    return {"sent": sent, "received": received, "hop_median_us": median, "hop_p99_us": p99}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strata", required=True, help="path of the strata binary")
    parser.add_argument("--model", required=True, help="GGUF model file")
    parser.add_argument("--threads", type=int, default=2, help="threads of the one-process server")
    parser.add_argument("--reps", type=int, default=2, help="repetitions (median reported)")
    parser.add_argument("--requests", type=int, default=32)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--input-len", type=int, default=64)
    parser.add_argument("--output-len", type=int, default=64)
    args = parser.parse_args()
    served_id = os.path.splitext(os.path.basename(args.model))[0]

    def serve(extra):
        return lambda port: [args.strata, "serve", "--model", args.model, "--port", str(port),
                             "--max-running", str(args.concurrency), "--log-level", "warning", *extra]

    print(f"model {args.model}; {args.requests} requests, {args.concurrency} concurrent, {args.input_len}-token "
          f"prompts, {args.output_len} output tokens; {args.reps} repetitions (median)", flush=True)
    throughput = {name: [] for name in ("1", *map(str, PIPELINES))}
    hops = {stages: [] for stages in PIPELINES}
    for rep in range(args.reps):
        with Server("strata-serve", serve(["--threads", str(args.threads)]), "/ready") as server:
            result = bench(args.strata, f"http://127.0.0.1:{server.port}", served_id, args)
            throughput["1"].append(result["output_throughput"])
        for stages, ranges in PIPELINES.items():
            with Workers(args.strata, args.model, ranges) as workers:
                with Server("strata-coordinator", serve(workers.arguments()), "/ready") as server:
                    result = bench(args.strata, f"http://127.0.0.1:{server.port}", served_id, args)
                    throughput[str(stages)].append(result["output_throughput"])
                hops[stages].append(transport(args.strata, args.model, workers, args))
        print(f"repetition {rep + 1} done", flush=True)

    baseline = statistics.median(throughput["1"])
    print()
    print(f"{'configuration':<24} | {'output tok/s':>12} | {'vs 1 process':>12} | {'bytes/step sent':>15} | "
          f"{'hop median µs':>13} | {'hop p99 µs':>10}")
    print(f"{f'1 process, {args.threads} threads':<24} | {baseline:>12.2f} | {1.0:>12.2f} | {'-':>15} | {'-':>13} | {'-':>10}")
    for stages in PIPELINES:
        ours = statistics.median(throughput[str(stages)])
        sent = statistics.median(h["sent"] for h in hops[stages])
        median = statistics.median(h["hop_median_us"] for h in hops[stages])
        p99 = statistics.median(h["hop_p99_us"] for h in hops[stages])
        print(f"{f'{stages} stages, 1 thread each':<24} | {ours:>12.2f} | {ours / baseline:>12.2f} | {sent:>15.0f} | "
              f"{median:>13.0f} | {p99:>10.0f}")


if __name__ == "__main__":
    main()
