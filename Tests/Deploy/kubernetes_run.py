"""The two-pipeline rendering of the manifests, run as local processes: each container's exact
command line and environment, each pod on its own loopback address."""

import json
import os
import re
import shlex
import subprocess
import time

from kubernetes_pods import PodLauncher, pods
from local_hosts import LoopbackHosts
from local_process import chat_completion, http_request, tcp_connects, wait_for_status
import readme_commands


def quantity_bytes(text):
    units = {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30, "K": 1000, "M": 1000 ** 2, "G": 1000 ** 3}
    match = re.fullmatch(r"(\d+)([A-Za-z]*)", str(text))
    return int(match.group(1)) * units.get(match.group(2), 1)


def quantity_cpus(text):
    text = str(text)
    return int(text[:-1]) / 1000 if text.endswith("m") else float(text)


def check_probes(pod, container):
    """Each probe of the container passes against the pod's address, as a kubelet would run it."""
    for kind in ("startupProbe", "livenessProbe", "readinessProbe"):
        probe = container.get(kind)
        assert probe, f"{pod.name}: no {kind}"
        if "httpGet" in probe:
            port = pod.container_port(container, probe["httpGet"]["port"])
            wait_for_status(pod.address, port, probe["httpGet"]["path"], 200, timeout=60)
        elif "tcpSocket" in probe:
            port = pod.container_port(container, probe["tcpSocket"]["port"])
            assert tcp_connects(pod.address, port), f"{pod.name}: {kind} cannot connect to port {port}"
        else:
            raise AssertionError(f"{pod.name}: unsupported {kind} {probe}")


def test_manifests_serve(context):
    objects, _ = context.rendered("k8s/overlays/two-pipelines")
    all_pods = pods(objects)
    hosts = LoopbackHosts()
    for pod in all_pods:
        pod.address = hosts.add(pod.name, pod.ports, pod.dns_names)
    secrets = readme_commands.created_secrets(context.commands)
    launcher = PodLauncher(objects, context.image, context.binary, secrets, hosts, context.folder("k8s"))
    model_paths = {data["model-path"] for o in objects if o["kind"] == "ConfigMap" for data in [o.get("data", {})]
                   if "model-path" in data}
    assert len(model_paths) == 1, f"the pipelines name different models: {model_paths}"
    model_path = model_paths.pop()
    for pod in all_pods:
        volumes = {v["name"]: v for v in pod.spec["volumes"]}
        for container in pod.spec["containers"]:
            for mount in container.get("volumeMounts", []):
                claim = volumes[mount["name"]].get("persistentVolumeClaim")
                if claim and model_path.startswith(mount["mountPath"] + "/"):
                    relative = model_path[len(mount["mountPath"]) + 1:]
                    context.place_model(os.path.dirname(os.path.join(launcher.claim_folder(claim["claimName"]), relative)),
                                        os.path.basename(relative))

    log_dir = context.folder("k8s-logs")
    workers = [p for p in all_pods if p.workload["kind"] == "StatefulSet"]
    coordinators = [p for p in all_pods if p.workload["kind"] == "Deployment"]
    assert len(workers) == 4 and len(coordinators) == 2, f"expected 2 pipelines of 2 workers: {[p.name for p in all_pods]}"
    running = {}

    # A flag the binary does not know stops the process at once: the same launch would fail.
    probe = launcher.process(coordinators[0], coordinators[0].spec["containers"][0], log_dir)
    refused = subprocess.run(probe.argv + ["--no-such-flag"], env=probe.environment, capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0 and "no-such-flag" in refused.stderr, refused.stderr

    # Workers first: a coordinator exits (and Kubernetes restarts it) while a worker is not up.
    for group, ready in [(workers, "worker listening"), (coordinators, "listening on")]:
        for pod in group:
            container = pod.spec["containers"][0]
            process = context.track(launcher.process(pod, container, log_dir).start())
            running[pod.name] = (pod, container, process)
            print(f"  {pod.name} at {pod.address}: {' '.join(shlex.quote(a) for a in process.argv[1:])}")
        for pod in group:
            running[pod.name][2].wait_for_log(ready)
    for pod, container, _ in running.values():
        check_probes(pod, container)

    api_key = secrets["strata-api-key"]["api-key"]
    for pod in coordinators:
        port = pod.container_port(pod.spec["containers"][0], "http")
        answer = chat_completion(pod.address, port, api_key)
        print(f"  {pod.name}: {answer['choices'][0]['message']['content']!r}")
        status, _ = http_request(pod.address, port, "POST", "/v1/chat/completions",
                                 body={"messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2})
        assert status == 401, f"{pod.name} served without the API key ({status})"
        annotations = pod.annotations
        assert annotations.get("prometheus.io/scrape") == "true"
        status, text = http_request(pod.address, int(annotations["prometheus.io/port"]), "GET", annotations["prometheus.io/path"])
        assert status == 200 and "strata_generation_tokens_total" in text, f"{pod.name}: metrics {status}"

    coordinator_a = next(p for p in coordinators if p.workload["metadata"]["name"] == "strata-coordinator")
    run_readme_commands(context, launcher, running, coordinator_a, api_key, log_dir)
    roll_worker(context, launcher, running, coordinator_a, api_key, log_dir)

    for pod, container, process in running.values():
        limits = container["resources"]["limits"]
        peak, limit = process.peak_memory_bytes(), quantity_bytes(limits["memory"])
        print(f"  {pod.name}: peak memory {peak >> 20} MiB of {limits['memory']}")
        assert peak < limit, f"{pod.name} used {peak >> 20} MiB, over its limit {limits['memory']}"
        threads = container_threads(pod, container, launcher)
        if threads is not None:
            assert threads <= quantity_cpus(limits["cpu"]), f"{pod.name}: {threads} threads, cpu limit {limits['cpu']}"

    for pod in coordinators + workers:
        _, container, process = running[pod.name]
        pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
        code, seconds = process.terminate(pod.spec["terminationGracePeriodSeconds"] - pre_stop)
        assert code == 0, f"{pod.name} exited {code} on SIGTERM:\n{process.log()[-2000:]}"


def container_threads(pod, container, launcher):
    """The worker's thread count from its topology entry (None for other containers)."""
    args = container.get("args", [])
    if "--stage" not in args:
        return None
    with open(os.path.join(launcher.root, "pods", pod.name, "topology", "topology.json")) as file:
        return json.load(file)["workers"][pod.ordinal].get("threads", 1)


def run_readme_commands(context, launcher, running, coordinator, api_key, log_dir):
    """deploy/README.md's `kubectl exec deploy/... -- strata ...` commands as processes of the
    coordinator's container, and its curl commands against the coordinator."""
    container = coordinator.spec["containers"][0]
    base = launcher.process(coordinator, container, log_dir)
    port = coordinator.container_port(container, "http")
    ran = 0
    for command in context.commands:
        if command.section != "Kubernetes":
            continue
        words = command.words
        if command.program == "kubectl" and "exec" in words and "--" in words:
            target = words[words.index("exec") + 1]
            assert target == f"deploy/{coordinator.workload['metadata']['name']}", f"{command}: unexpected target"
            argv = words[words.index("--") + 1:]
            assert argv[0] == "strata", f"{command}: runs {argv[0]}"
            argv = [context.binary] + [launcher_path(base, a) for a in argv[1:]]
            result = subprocess.run(argv, env=base.environment, capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, f"{command}\nexit {result.returncode}: {result.stderr}"
            print(f"  ran: strata {' '.join(words[words.index('--') + 2:])[:80]}")
            ran += 1
        elif command.program == "curl":
            line = command.line.replace("localhost:8080", f"{coordinator.address}:{port}")
            result = subprocess.run(["bash", "-o", "pipefail", "-c", line], capture_output=True, text=True, timeout=120,
                                    env=dict(os.environ, STRATA_API_KEY=api_key))
            assert result.returncode == 0, f"{command}\nexit {result.returncode}: {result.stdout}{result.stderr}"
            print(f"  ran: {command.line[:80]}")
            ran += 1
    assert ran >= 8, f"only {ran} README commands ran"


def launcher_path(process, argument):
    """An argument with the container's mount paths mapped as the launcher maps them."""
    for original in sorted(process.mounts, key=len, reverse=True):
        if argument == original or argument.startswith(original + "/"):
            return process.mounts[original] + argument[len(original):]
    return argument


def roll_worker(context, launcher, running, coordinator, api_key, log_dir):
    """Stops the coordinator's last worker as a rollout does, starts it again with the same
    command, and checks readiness goes down and comes back, and the pipeline serves again."""
    instance = coordinator.labels["app.kubernetes.io/instance"]
    worker = [p for p, _, _ in running.values()
              if p.workload["kind"] == "StatefulSet" and p.labels["app.kubernetes.io/instance"] == instance][-1]
    _, container, process = running[worker.name]
    port = coordinator.container_port(coordinator.spec["containers"][0], "http")
    code, _ = process.terminate(worker.spec["terminationGracePeriodSeconds"])
    assert code == 0, f"{worker.name} exited {code}"
    wait_for_status(coordinator.address, port, "/ready", 503, timeout=30)
    restarted = context.track(launcher.process(worker, container, log_dir))
    restarted.name += "-rolled"
    restarted.log_path = restarted.log_path.replace(".log", "-rolled.log")
    restarted.start().wait_for_log("worker listening")
    took = wait_for_status(coordinator.address, port, "/ready", 200, timeout=60)
    print(f"  rolled {worker.name}: ready again {took:.1f} s after it listened")
    chat_completion(coordinator.address, port, api_key)
    running[worker.name] = (worker, container, restarted)
