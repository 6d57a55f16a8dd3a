#!/usr/bin/env python3
"""Continuous batching: Strata's engine against llama.cpp with 1, 4, 16 and 32 sequences at once.

llama.cpp: `llama-batched-bench -npp P -ntg G -npl 1,4,16,32` (distinct sequences, one unified KV cache).
Strata:    `strata batched-bench --npp P --ntg G --npl 1 4 16 32 --json` (the InferenceEngine:
           scheduler, paged KV cache, chunked prefill; distinct random prompts, so no prefix reuse).

Both: prompt phase = until every sequence has its first token; then G decode steps per sequence.
The two run alternately, each configuration once per repetition, on the same thread count.
Python 3 standard library only; `make bench` runs it.
"""

import argparse
import json
import os
import statistics

from bench_process import fail, run_measured



def llama_batched(llama_bin, model, threads, npp, ntg, npl):
    context = max(npl) * (npp + ntg) + 16
    out, peak_mib = run_measured([
        os.path.join(llama_bin, "llama-batched-bench"), "-m", model, "-t", str(threads), "-c", str(context),
        "-b", "512", "-ub", "512", "-npp", str(npp), "-ntg", str(ntg), "-npl", ",".join(map(str, npl)),
    ])
    rows = {}
    for line in out.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 10 and cells[0].isdigit():
            rows[int(cells[2])] = {"pp": float(cells[5]), "tg": float(cells[7]), "total": float(cells[9])}
    if sorted(rows) != sorted(npl):
        fail(f"llama-batched-bench printed rows for {sorted(rows)}, expected {sorted(npl)}:\n{out[-2000:]}")
    return rows, peak_mib


def strata_batched(strata, model, threads, npp, ntg, npl):
    out, peak_mib = run_measured([
        strata, "batched-bench", "--model", model, "--threads", str(threads), "--npp", str(npp),
        "--ntg", str(ntg), "--npl", *map(str, npl), "--json",
    ])
    rows = {}
    for line in out.splitlines():
        if line.startswith("{"):
            row = json.loads(line)
            rows[row["npl"]] = {"pp": row["speed_pp"], "tg": row["speed_tg"], "total": row["speed"]}
    if sorted(rows) != sorted(npl):
        fail(f"strata batched-bench printed rows for {sorted(rows)}, expected {sorted(npl)}:\n{out[-2000:]}")
    return rows, peak_mib


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strata", required=True, help="path of the strata binary")
    parser.add_argument("--llama-bin", required=True, help="folder with llama-batched-bench")
    parser.add_argument("--model", required=True, help="GGUF model file")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reps", type=int, default=2, help="repetitions (median reported)")
    parser.add_argument("--npp", type=int, default=128)
    parser.add_argument("--ntg", type=int, default=64)
    parser.add_argument("--npl", default="1,4,16,32", help="comma-separated numbers of parallel sequences")
    parser.add_argument("--llama-label", default="llama.cpp")
    args = parser.parse_args()
    npl = [int(n) for n in args.npl.split(",")]

    print(f"model {args.model}, {args.threads} threads, prompt {args.npp} + {args.ntg} decode steps per sequence, "
          f"{args.reps} repetitions (median)", flush=True)
    llama_runs, strata_runs, llama_peaks, strata_peaks = [], [], [], []
    for rep in range(args.reps):
        rows, peak = llama_batched(args.llama_bin, args.model, args.threads, args.npp, args.ntg, npl)
        llama_runs.append(rows)
        llama_peaks.append(peak)
        rows, peak = strata_batched(args.strata, args.model, args.threads, args.npp, args.ntg, npl)
        strata_runs.append(rows)
        strata_peaks.append(peak)
        print(f"repetition {rep + 1} done", flush=True)

    def median(runs, n, key):
        return statistics.median(run[n][key] for run in runs)

    print()
    print(f"{'sequences':>9} | {'phase':<7} | {args.llama_label + ' t/s':>22} | {'Strata t/s':>10} | {'Strata/llama.cpp':>16}")
    for n in npl:
        for key, name in (("pp", "prompt"), ("tg", "decode"), ("total", "overall")):
            theirs, ours = median(llama_runs, n, key), median(strata_runs, n, key)
            print(f"{n:>9} | {name:<7} | {theirs:>22.2f} | {ours:>10.2f} | {ours / theirs:>16.2f}")
    print(f"peak RSS (MiB, largest run: KV sized for {max(npl)} sequences) | {max(llama_peaks):.0f} | "
          f"{max(strata_peaks):.0f} | {max(strata_peaks) / max(llama_peaks):.2f}")


if __name__ == "__main__":
    main()
