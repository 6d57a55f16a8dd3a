"""The systemd units: `systemd-analyze verify`, then their ExecStart lines started as local
processes (a coordinator and one worker per topology entry) that serve a chat completion."""

import json
import os
import re
import shutil
import subprocess

from deploy_context import Skip
from local_hosts import LoopbackHosts
from local_process import LocalProcess, chat_completion, http_request, wait_for_status
from systemd_units import ServiceUnit, parse_environment_file

COORDINATOR = "systemd/strata-coordinator.service"
WORKER = "systemd/strata-worker@.service"
EXAMPLE_FILES = ["strata.env", "coordinator.env", "topology.json"]


def _verify(context, root, units):
    """systemd-analyze's complaints about `units` (those naming them), with its exit code."""
    result = subprocess.run(["systemd-analyze", "verify", f"--root={root}"] + units, capture_output=True, text=True,
                            cwd=os.path.join(root, "etc/systemd/system"))
    names = [u.split("@")[0] for u in units]
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if any(n in line for n in names)]
    return result.returncode, complaints


def test_systemd_verify(context):
    if shutil.which("systemd-analyze") is None:
        raise Skip("systemd-analyze is not installed (Debian package systemd)")
    root = context.folder("systemd-root")
    units = os.path.join(root, "etc/systemd/system")
    os.makedirs(units, exist_ok=True)
    os.makedirs(os.path.join(root, "usr/lib/systemd"), exist_ok=True)
    system_units = os.path.join(root, "usr/lib/systemd/system")
    if not os.path.lexists(system_units):
        os.symlink("/usr/lib/systemd/system", system_units)
    binary = os.path.join(root, "usr/local/bin/strata")
    os.makedirs(os.path.dirname(binary), exist_ok=True)
    if not os.path.exists(binary):
        try:
            os.link(context.binary, binary)
        except OSError:
            shutil.copy2(context.binary, binary)
    for unit in (COORDINATOR, WORKER):
        shutil.copy(context.path(unit), units)
    names = ["strata-coordinator.service", "strata-worker@0.service", "strata-worker@1.service"]
    code, complaints = _verify(context, root, names)
    assert code == 0 and not complaints, f"systemd-analyze verify (exit {code}):\n" + "\n".join(complaints)

    # The same check must catch a broken unit, or it proves nothing.
    with open(os.path.join(units, "strata-coordinator.service"), "a") as file:
        file.write("\n[Service]\nProtectSytem=strict\n")
    code, complaints = _verify(context, root, ["strata-coordinator.service"])
    assert complaints, "systemd-analyze verify did not report an unknown key"


def test_systemd_units_serve(context):
    coordinator = ServiceUnit(context.path(COORDINATOR))
    worker = ServiceUnit(context.path(WORKER))
    etc = context.folder("systemd-etc")
    state = context.folder("systemd-state")
    secrets = {}
    for name in EXAMPLE_FILES:
        with open(context.path("systemd/" + name)) as file:
            text = file.read()
        if name.endswith(".env"):
            # Empty values are the secrets the operator fills in; the test fills in test values.
            for key, value in parse_environment_file(text).items():
                if not value:
                    secrets[key] = f"test-{key.lower()}"
                    text = re.sub(rf"^{key}=\s*$", f"{key}={secrets[key]}", text, flags=re.M)
        with open(os.path.join(etc, name), "w") as file:
            file.write(text)
    assert {"STRATA_CLUSTER_TOKEN", "STRATA_API_KEY"} <= set(secrets), f"example secrets: {sorted(secrets)}"

    for unit in (coordinator, worker):
        assert unit.value("StateDirectory") == "strata", f"{unit.name}: StateDirectory"
        for key, expected in [("ProtectSystem", "strict"), ("NoNewPrivileges", "yes"), ("Restart", "on-failure")]:
            assert unit.value(key) == expected, f"{unit.name}: {key}={unit.value(key)}"
        assert unit.value("User") or unit.value("DynamicUser") == "yes", f"{unit.name}: runs as root"
        assert unit.values("EnvironmentFile"), f"{unit.name}: no EnvironmentFile"

    paths = {"/etc/strata": etc, "/var/lib/strata": state, "/usr/local/bin/strata": context.binary}

    def map_path(value):
        for original in sorted(paths, key=len, reverse=True):
            if value == original or value.startswith(original + "/"):
                return paths[original] + value[len(original):]
        return value

    def read_file(path):
        local = map_path(path)
        if not os.path.exists(local):
            return None
        with open(local) as file:
            return file.read()

    with open(os.path.join(etc, "topology.json")) as file:
        topology = json.load(file)
    instances = [str(index) for index in range(len(topology["workers"]))]
    plans = [(f"strata-worker@{i}", worker, i) for i in instances] + [("strata-coordinator", coordinator, None)]
    hosts = LoopbackHosts()
    environments = {}
    for name, unit, instance in plans:
        environments[name] = unit.environment(instance, read_file)
    model = environments["strata-coordinator"]["STRATA_MODEL_PATH"]
    assert map_path(model) != model, f"the model {model} is not under a folder the units own"
    context.place_model(os.path.dirname(map_path(model)), os.path.basename(model))
    for name, unit, instance in plans:
        environment = environments[name]
        if instance is None:
            ports = [int(environment["STRATA_PORT"])]
            host_names = []
        else:
            ports = [int(environment["STRATA_WORKER_LISTEN"].rsplit(":", 1)[1])]
            host_names = [topology["workers"][int(instance)]["address"].rsplit(":", 1)[0]]
        hosts.add(name, ports, host_names)
    with open(os.path.join(etc, "topology.json"), "w") as file:
        file.write(hosts.rewrite(json.dumps(topology)))

    log_dir = context.folder("systemd-logs")
    processes = {}
    for name, unit, instance in plans:
        environment = environments[name]
        argv = [map_path(re.sub(r"\b0\.0\.0\.0\b", hosts.resolve(name), word))
                for word in unit.exec_start(instance, environment)]
        assert argv[0] == context.binary, f"{unit.name}: ExecStart runs {argv[0]}"
        process_environment = dict(environment, PATH="/usr/bin:/bin", HOME=state)
        process = context.track(LocalProcess(name, argv, process_environment, log_dir).start())
        processes[name] = (unit, process)
        print(f"  {name} at {hosts.resolve(name)}: {' '.join(argv[1:])}")
        process.wait_for_log("worker listening" if instance is not None else "listening on")

    address = hosts.resolve("strata-coordinator")
    port = int(environments["strata-coordinator"]["STRATA_PORT"])
    wait_for_status(address, port, "/ready", 200, timeout=60)
    answer = chat_completion(address, port, secrets["STRATA_API_KEY"])
    print(f"  strata-coordinator: {answer['choices'][0]['message']['content']!r}")
    assert http_request(address, port, "GET", "/v1/models")[0] == 401, "served without the API key"
    for command in context.commands:
        if command.section == "systemd" and command.program == "curl":
            line = command.line.replace("localhost:8080", f"{address}:{port}")
            result = subprocess.run(["bash", "-o", "pipefail", "-c", line], capture_output=True, text=True, timeout=60)
            assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"

    for name in ["strata-coordinator"] + [f"strata-worker@{i}" for i in instances]:
        unit, process = processes[name]
        stop = int(unit.value("TimeoutStopSec"))
        code, _ = process.terminate(stop)
        assert code == 0, f"{name} exited {code} on SIGTERM:\n{process.log()[-2000:]}"
