#!/usr/bin/env python3
"""Serving: `strata serve` against llama.cpp's `llama-server --parallel N` under the same load.

Both servers get the same model, thread count and workload, measured by the same client,
`strata bench run` (which measures any OpenAI-compatible server the same way): N concurrent
streams of 128-token random prompts cut from the Debian licence texts, 128 output tokens each
with `ignore_eos`, greedy, sent as fast as the concurrency cap allows. The two servers run
alternately, one at a time, each repetition; the table shows the medians and Strata's ratio.

Reported per server: failed requests (counted, not fatal: llama-server closes idle keep-alive
connections, and a request sent on one as it closes fails), output tokens/s over the successful
requests, median and p99 time to first token, median inter-token latency (vLLM's definitions;
see the README's "Load testing" section).
Python 3 standard library only; `make bench` runs it.
"""

import argparse
import os
import statistics

from bench_process import Server, bench


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strata", required=True, help="path of the strata binary")
    parser.add_argument("--llama-bin", required=True, help="folder with llama-server")
    parser.add_argument("--model", required=True, help="GGUF model file")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reps", type=int, default=2, help="repetitions (median reported)")
    parser.add_argument("--requests", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--input-len", type=int, default=128)
    parser.add_argument("--output-len", type=int, default=128)
    parser.add_argument("--llama-label", default="llama-server")
    args = parser.parse_args()

    served_id = os.path.splitext(os.path.basename(args.model))[0]
    per_slot = 2 * (args.input_len + args.output_len) + 64

    def strata_command(port):
        return [args.strata, "serve", "--model", args.model, "--threads", str(args.threads), "--port", str(port),
                "--max-running", str(args.concurrency), "--log-level", "warning"]

    def llama_command(port):
        return [os.path.join(args.llama_bin, "llama-server"), "-m", args.model, "-t", str(args.threads),
                "--parallel", str(args.concurrency), "-c", str(per_slot * args.concurrency),
                "--host", "127.0.0.1", "--port", str(port)]

    print(f"model {args.model}, {args.threads} threads, {args.requests} requests, {args.concurrency} concurrent, "
          f"{args.input_len}-token prompts, {args.output_len} output tokens, {args.reps} repetitions (median)",
          flush=True)
    runs = {"llama": [], "strata": []}
    for rep in range(args.reps):
        with Server("llama-server", llama_command, "/health") as server:
            runs["llama"].append(bench(args.strata, f"http://127.0.0.1:{server.port}", served_id, args, allow_failures=True))
        with Server("strata-serve", strata_command, "/ready") as server:
            runs["strata"].append(bench(args.strata, f"http://127.0.0.1:{server.port}", served_id, args, allow_failures=True))
        print(f"repetition {rep + 1} done", flush=True)

    rows = (
        ("failed requests", "failed", False),
        ("output tok/s", "output_throughput", True),
        ("median TTFT ms", "median_ttft_ms", False),
        ("p99 TTFT ms", "p99_ttft_ms", False),
        ("median ITL ms", "median_itl_ms", False),
    )
    print()
    print(f"{'metric':<15} | {args.llama_label:>14} | {'strata serve':>12} | {'Strata/llama':>12}")
    for name, key, higher_is_better in rows:
        theirs = statistics.median(r[key] for r in runs["llama"])
        ours = statistics.median(r[key] for r in runs["strata"])
        ratio = ours / theirs if theirs else float("nan")
        note = "" if higher_is_better else "  (lower is better)"
        print(f"{name:<15} | {theirs:>14.2f} | {ours:>12.2f} | {ratio:>12.2f}{note}")


if __name__ == "__main__":
    main()
