#!/usr/bin/env python3
"""Tests of deploy/: lint, schemas and checkov on the files, and the container commands of the
Kubernetes manifests and the systemd units started as local processes that serve a chat
completion. Run by `make test`; prints one line per test and `deploy: N passed, N failed, N skipped`.

    run_deploy_tests.py --binary .build/release/strata --model MODEL --tools VENV/bin [TEST ...]
"""

import argparse
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from deploy_context import DeployContext, Skip  # noqa: E402
import static_checks  # noqa: E402
import kubernetes_run  # noqa: E402
import systemd_run  # noqa: E402

TESTS = [
    static_checks.test_yamllint,
    static_checks.test_kubernetes_schemas,
    static_checks.test_checkov,
    static_checks.test_readme_commands,
    static_checks.test_image_libraries,
    static_checks.test_kubernetes_objects_agree,
    kubernetes_run.test_manifests_serve,
    systemd_run.test_systemd_verify,
    systemd_run.test_systemd_units_serve,
]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", required=True, help="the strata binary the files must match")
    parser.add_argument("--model", required=True, help="the default model file")
    parser.add_argument("--tools", required=True, help="bin folder with kubectl, kubernetes-validate, yamllint, checkov")
    parser.add_argument("tests", nargs="*", help="names of tests to run (default: all)")
    arguments = parser.parse_args()
    context = DeployContext(arguments.binary, arguments.model, arguments.tools)
    selected = [test for test in TESTS if not arguments.tests or test.__name__ in arguments.tests]
    passed = failed = skipped = 0
    try:
        if static_checks.test_checkov in selected:
            static_checks.start_checkov(context)  # runs beside the other tests
        for test in selected:
            started = time.monotonic()
            try:
                test(context)
            except Skip as reason:
                skipped += 1
                print(f"SKIP {test.__name__}: {reason}", flush=True)
                continue
            except Exception:
                failed += 1
                print(f"FAIL {test.__name__} ({time.monotonic() - started:.1f} s)\n{traceback.format_exc()}", flush=True)
                for process in context.processes:
                    tail = "\n    ".join(process.log().splitlines()[-15:])
                    print(f"  log of {process.name} (exit {process.process.poll()}):\n    {tail}", flush=True)
                continue
            finally:
                context.stop_processes()
            passed += 1
            print(f"PASS {test.__name__} ({time.monotonic() - started:.1f} s)", flush=True)
    finally:
        context.close()
    print(f"deploy: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or not selected else 0


if __name__ == "__main__":
    sys.exit(main())
