#!/usr/bin/env python3
"""Prompt processing and generation speed: Strata against llama.cpp on the same model.

llama.cpp: `llama-bench -p 512 -n 128` (its pp512 and tg128 tests).
Strata:    `strata generate --json` on a 512-token prompt cut from the GPL-3 text,
           128 tokens at temperature 0 with --ignore-eos; tokens/s from its "timings".

Both use the same thread count. Python 3 standard library only; `make bench` runs it.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys

from bench_process import fail, run

DEFAULT_TEXT = "/usr/share/common-licenses/GPL-3"



def llama_bench(llama_bin, model, threads, prompt_tokens, gen_tokens, reps):
    out = run([
        os.path.join(llama_bin, "llama-bench"), "-m", model, "-t", str(threads),
        "-p", str(prompt_tokens), "-n", str(gen_tokens), "-r", str(reps), "-o", "json",
    ])
    results = {}
    for row in json.loads(out):
        if row.get("n_gen", 0) == 0:
            results["pp"] = row["avg_ts"]
        elif row.get("n_prompt", 0) == 0:
            results["tg"] = row["avg_ts"]
        results.setdefault("cpu", row.get("cpu_info", "?"))
    if "pp" not in results or "tg" not in results:
        fail(f"llama-bench printed no pp/tg rows:\n{out[:2000]}")
    return results


def count_tokens(llama_bin, model, text):
    """Tokens of `text` with llama.cpp's tokenizer, BOS included (as both runners add it)."""
    out = run([
        os.path.join(llama_bin, "llama-tokenize"), "-m", model, "-p", text, "--ids", "--log-disable",
    ])
    match = re.search(r"\[[\d,\s]*\]", out)
    if not match:
        fail(f"cannot read llama-tokenize output:\n{out[:500]}")
    return len(json.loads(match.group(0)))


def build_prompt(llama_bin, model, text_path, target):
    """The longest prefix of the text, in whole words, that is at most `target` tokens."""
    with open(text_path, encoding="utf-8") as f:
        words = f.read().split()
    lo, hi = 1, len(words)
    if count_tokens(llama_bin, model, " ".join(words)) <= target:
        fail(f"{text_path} is shorter than {target} tokens")
    while lo < hi:  # largest n with tokens(words[:n]) <= target
        mid = (lo + hi + 1) // 2
        if count_tokens(llama_bin, model, " ".join(words[:mid])) <= target:
            lo = mid
        else:
            hi = mid - 1
    prompt = " ".join(words[:lo])
    return prompt, count_tokens(llama_bin, model, prompt)


def has_generate(strata):
    if not os.access(strata, os.X_OK):
        return False
    proc = subprocess.run([strata, "--help"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return re.search(r"^\s+generate(\s|$)", proc.stdout, re.MULTILINE) is not None


def strata_bench(strata, model, threads, prompt, gen_tokens, reps):
    pp, tg, prompt_counts = [], [], set()
    for _ in range(reps):
        out = run([
            strata, "generate", "--model", model, "--prompt", prompt, "--max-tokens", str(gen_tokens),
            "--ignore-eos", "--temperature", "0", "--threads", str(threads), "--json",
        ])
        report = None
        for line in reversed(out.strip().splitlines()):
            try:
                report = json.loads(line)
                break
            except ValueError:
                continue
        if not isinstance(report, dict) or "timings" not in report:
            fail(f"strata generate --json printed no timings:\n{out[-2000:]}")
        t = report["timings"]
        prompt_counts.add(t["prompt_tokens"])
        pp.append(t["prompt_tokens"] / (t["prompt_ms"] / 1000))
        tg.append(t["generated_tokens"] / (t["generate_ms"] / 1000))
    return {"pp": statistics.mean(pp), "tg": statistics.mean(tg), "prompt_tokens": sorted(prompt_counts)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strata", required=True, help="path of the strata binary")
    parser.add_argument("--llama-bin", required=True, help="folder with llama-bench and llama-tokenize")
    parser.add_argument("--model", required=True, help="GGUF model file")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--reps", type=int, default=3, help="repetitions per test (mean reported)")
    parser.add_argument("--prompt-tokens", type=int, default=512)
    parser.add_argument("--gen-tokens", type=int, default=128)
    parser.add_argument("--text", default=DEFAULT_TEXT, help="text the prompt is cut from")
    parser.add_argument("--llama-label", default="llama.cpp", help="how to name the llama.cpp build")
    args = parser.parse_args()

    print(f"model {args.model}, {args.threads} threads, {args.reps} repetitions", flush=True)
    llama = llama_bench(args.llama_bin, args.model, args.threads, args.prompt_tokens, args.gen_tokens, args.reps)
    print(f"{args.llama_label} on {llama['cpu']}", flush=True)

    strata = None
    if has_generate(args.strata):
        prompt, n = build_prompt(args.llama_bin, args.model, args.text, args.prompt_tokens)
        print(f"prompt: first {len(prompt.split())} words of {args.text} = {n} tokens (llama.cpp tokenizer)")
        strata = strata_bench(args.strata, args.model, args.threads, prompt, args.gen_tokens, args.reps)
        if strata["prompt_tokens"] != [n]:
            print(f"warning: Strata counted {strata['prompt_tokens']} prompt tokens, llama.cpp {n}", file=sys.stderr)

    pp_name, tg_name = f"pp{args.prompt_tokens}", f"tg{args.gen_tokens}"
    print()
    print(f"{'test':<8}{'llama.cpp t/s':>16}{'Strata t/s':>14}{'Strata/llama.cpp':>19}")
    for name, key in ((pp_name, "pp"), (tg_name, "tg")):
        ours = f"{strata[key]:.2f}" if strata else "-"
        ratio = f"{strata[key] / llama[key]:.2f}" if strata else "-"
        print(f"{name:<8}{llama[key]:>16.2f}{ours:>14}{ratio:>19}")
    print()
    print(f"{tg_name}: llama.cpp generates from an empty context, Strata after the {pp_name} prompt.")
    if strata is None:
        fail(f"{args.strata} has no 'generate' subcommand (or is missing): no Strata numbers")


if __name__ == "__main__":
    main()
