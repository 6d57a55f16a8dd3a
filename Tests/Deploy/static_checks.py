"""Checks of deploy/'s files that start no server: yamllint, Kubernetes schemas, checkov, the
README's commands, the image's libraries, and the manifests' objects against each other."""

import glob
import json
import os
import re
import subprocess

import yaml

from deploy_context import Skip  # noqa: F401 (re-exported for the runner's imports)
from kubernetes_pods import matches, pods
import readme_commands

KUSTOMIZATIONS = ["k8s", "k8s/overlays/two-pipelines"]
KUBERNETES_VERSIONS = ["1.30.0", "1.37.0"]


def yaml_files(context):
    return sorted(glob.glob(context.path("**/*.yaml"), recursive=True) + glob.glob(context.path("**/.*.yaml"), recursive=True))


def manifest_files(context):
    """The raw manifests (every YAML under k8s/ but the kustomizations)."""
    return [f for f in yaml_files(context) if "/k8s/" in f and os.path.basename(f) != "kustomization.yaml"]


def test_yamllint(context):
    result = subprocess.run([context.tool("yamllint"), "-s", "-f", "parsable", "-c", context.path(".yamllint.yaml")]
                            + yaml_files(context), capture_output=True, text=True)
    assert result.returncode == 0, f"yamllint:\n{result.stdout}{result.stderr}"


def test_kubernetes_schemas(context):
    files = manifest_files(context) + [context.rendered(k)[1] for k in KUSTOMIZATIONS]
    runs = {version: subprocess.Popen([context.tool("kubernetes-validate"), "--strict", "--quiet", "-k", version] + files,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for version in KUBERNETES_VERSIONS}
    for version, run in runs.items():
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, f"kubernetes-validate {version}:\n{stdout}{stderr}"
        # --quiet prints nothing for resources that pass; a warning (e.g. an unknown kind) is a failure too.
        assert not stdout.strip() and not stderr.strip(), f"kubernetes-validate {version}:\n{stdout}{stderr}"


def start_checkov(context):
    """Starts checkov (slow to load) over both renderings, the model loader and the Dockerfile,
    skipping only the checks deploy/README.md lists; test_checkov reads its report."""
    if "checkov" in context.background:
        return
    exceptions = readme_commands.checkov_exceptions(context.readme)
    files = [context.rendered(k)[1] for k in KUSTOMIZATIONS] + [context.path("k8s/tools/model-loader.yaml"),
                                                               context.path("docker/Dockerfile")]
    arguments = [context.tool("checkov"), "--quiet", "--compact", "--skip-download", "-o", "json",
                 "--framework", "kubernetes", "dockerfile"]
    for file in files:
        arguments += ["-f", file]
    if exceptions:
        arguments += ["--skip-check", ",".join(exceptions)]
    environment = dict(os.environ, BC_SKIP_MAPPING="TRUE")
    context.background["checkov"] = (exceptions, subprocess.Popen(
        arguments, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment, cwd=context.scratch))


def test_checkov(context):
    start_checkov(context)
    exceptions, process = context.background["checkov"]
    print(f"  checkov exceptions from deploy/README.md: {', '.join(f'{k} ({v})' for k, v in exceptions.items()) or 'none'}")
    stdout, stderr = process.communicate(timeout=600)
    try:
        reports = json.loads(stdout)
    except ValueError:
        raise AssertionError(f"checkov printed no JSON (exit {process.returncode}):\n{stdout}{stderr}")
    reports = reports if isinstance(reports, list) else [reports]
    failures, frameworks = [], {}
    for report in reports:
        frameworks[report["check_type"]] = report["summary"]["passed"]
        for check in report["results"].get("failed_checks", []):
            failures.append(f"{check['check_id']} {check['check_name']}: {check.get('resource')} in {check.get('file_path')}")
    assert set(frameworks) == {"kubernetes", "dockerfile"}, f"checkov scanned {frameworks}"
    assert all(frameworks.values()), f"checkov passed no check in some framework: {frameworks}"
    print(f"  checkov passed checks: {frameworks}")
    assert not failures, "checkov failed checks:\n" + "\n".join(failures)


ALLOWED_PROGRAMS = {"kubectl", "docker", "systemctl", "curl", "export", "install", "systemd-sysusers"}


def test_readme_commands(context):
    """Every command in deploy/README.md is one the tests exercise or a standard kubectl, docker,
    systemctl or install step, and every file it names exists."""
    assert context.commands, "deploy/README.md has no sh blocks"
    for command in context.commands:
        assert command.program in ALLOWED_PROGRAMS, f"unexpected command in deploy/README.md: {command}"
        words = command.words
        for flag in ("-f", "-k"):
            if command.program == "kubectl" and flag in words:
                path = os.path.join(context.root, words[words.index(flag) + 1])
                assert os.path.exists(path), f"{command}: {path} does not exist"
        for word in words if command.program in ("install", "docker") else []:
            if word.startswith("deploy/"):
                assert os.path.exists(os.path.join(context.root, word)), f"{command}: {word} does not exist"
        if command.program == "export":
            assert "$(kubectl " in command.line, f"{command}: an export must take its value from kubectl"
    secrets = readme_commands.created_secrets(context.commands)
    assert secrets, "deploy/README.md creates no secrets"


def test_image_libraries(context):
    """The runtime image has every library the binary links: the Swift runtime it copies, and
    Debian packages it installs for the rest. The .dockerignore keeps what the build copies."""
    ldd = subprocess.run(["ldd", context.binary], check=True, capture_output=True, text=True).stdout
    image = context.image
    copies_swift_runtime = any("/usr/lib/swift/linux" in v for k, v in _copies(context))
    missing = []
    for line in ldd.splitlines():
        match = re.match(r"\s*(\S+) => (\S+)", line)
        if not match:
            continue
        library, path = match.groups()
        if "/lib/swift/linux/" in path:
            if not copies_swift_runtime:
                missing.append(f"{library} (Swift runtime, not copied)")
            continue
        package = _package_of(path)
        if package not in image.apt_packages:
            missing.append(f"{library} ({path}, package {package})")
    assert not missing, f"the image lacks libraries the binary links: {missing}; installs {sorted(image.apt_packages)}"
    print(f"  runtime packages: {sorted(image.apt_packages)}")
    patterns = []
    with open(context.path("docker/Dockerfile.dockerignore")) as file:
        patterns = [line.strip() for line in file if line.strip() and not line.startswith("#")]
    for source in image.copied_sources:
        assert _kept(patterns, source.rstrip("/")), f".dockerignore drops {source}, which the Dockerfile copies"
    assert not _kept(patterns, ".build"), ".dockerignore keeps .build"


def _package_of(path):
    """The Debian package that installed `path` (dpkg records /lib paths before the /usr merge)."""
    real = os.path.realpath(path)
    candidates = {path, real, real.replace("/usr/lib/", "/lib/", 1)}
    for candidate in sorted(candidates):
        owner = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True).stdout
        if owner:
            return owner.split(":")[0].strip()
    return None


def _copies(context):
    with open(context.path("docker/Dockerfile")) as file:
        text = file.read()
    return re.findall(r"COPY --from=(\S+) (\S+)", text)


def _kept(patterns, path):
    """Whether the last matching .dockerignore pattern keeps `path` (enough of the syntax for ours)."""
    kept = True
    for pattern in patterns:
        negated = pattern.startswith("!")
        body = pattern.lstrip("!").rstrip("/")
        if body == "**" or path == body or path.startswith(body + "/"):
            kept = negated
    return kept


def test_kubernetes_objects_agree(context):
    """Services, the headless Service, NetworkPolicies, disruption budgets, grace periods and
    the topology agree with the pods of the two-pipeline rendering."""
    objects, _ = context.rendered("k8s/overlays/two-pipelines")
    all_pods = pods(objects)
    by_kind = {}
    for item in objects:
        by_kind.setdefault(item["kind"], {})[item["metadata"]["name"]] = item
    images = {c["image"] for p in all_pods for c in p.spec["containers"]}
    assert len(images) == 1, f"the pipelines run different images: {images}"

    for service in by_kind.get("Service", {}).values():
        selected = [p for p in all_pods if matches({"matchLabels": service["spec"]["selector"]}, p.labels)]
        assert selected, f"Service {service['metadata']['name']} selects no pod"
        for port in service["spec"]["ports"]:
            for pod in selected:
                pod.container_port(pod.spec["containers"][0], port["targetPort"])

    for name, statefulset in by_kind["StatefulSet"].items():
        service = by_kind["Service"].get(statefulset["spec"]["serviceName"])
        assert service and service["spec"].get("clusterIP") == "None", f"{name}: serviceName is not a headless Service"
        assert matches({"matchLabels": service["spec"]["selector"]}, statefulset["spec"]["template"]["metadata"]["labels"])
        members = [p for p in all_pods if p.workload is statefulset]
        topology = _topology_of(by_kind, members[0])
        assert len(topology["workers"]) == len(members), f"{name}: {len(members)} replicas, topology has {len(topology['workers'])}"
        for pod, entry in zip(members, topology["workers"]):
            host, port = entry["address"].rsplit(":", 1)
            assert host in pod.dns_names, f"topology entry {entry['address']} is not pod {pod.name} ({pod.dns_names})"
            assert int(port) in pod.ports, f"topology port {port} is not a port of {pod.name}"

    policies = list(by_kind.get("NetworkPolicy", {}).values())
    for pod in all_pods:
        selecting = [p for p in policies if matches(p["spec"]["podSelector"], pod.labels)]
        assert selecting, f"no NetworkPolicy selects {pod.name}"
        if pod.labels.get("app.kubernetes.io/component") != "worker":
            continue
        sources, ports = set(), set()
        for policy in selecting:
            for rule in policy["spec"].get("ingress", []):
                assert rule.get("from"), f"{policy['metadata']['name']} lets anyone reach {pod.name}"
                for peer in rule["from"]:
                    assert set(peer) == {"podSelector"}, f"{policy['metadata']['name']}: unexpected peer {peer}"
                    sources |= {p.name for p in all_pods if matches(peer["podSelector"], p.labels)}
                ports |= {port["port"] for port in rule.get("ports", [])}
        coordinators = {p.name for p in all_pods if p.labels.get("app.kubernetes.io/component") == "coordinator"
                        and p.labels.get("app.kubernetes.io/instance") == pod.labels.get("app.kubernetes.io/instance")}
        assert sources == coordinators, f"{pod.name} is reachable from {sources}, expected only {coordinators}"
        assert ports == set(pod.ports), f"{pod.name}: policy ports {ports}, container ports {pod.ports}"

    for budget in by_kind.get("PodDisruptionBudget", {}).values():
        assert any(matches(budget["spec"]["selector"], p.labels) for p in all_pods), f"{budget['metadata']['name']} selects no pod"

    for pod in all_pods:
        grace = pod.spec["terminationGracePeriodSeconds"]
        for container in pod.spec["containers"]:
            pre_stop = container.get("lifecycle", {}).get("preStop", {}).get("sleep", {}).get("seconds", 0)
            args = container.get("args", [])
            drain = int(args[args.index("--drain-timeout") + 1]) if "--drain-timeout" in args else 0
            # The coordinator cancels what is left at most 10 s after the drain timeout.
            bound = pre_stop + drain + (10 if "serve" in args else 0)
            assert grace > bound, f"{pod.name}: terminationGracePeriodSeconds {grace} <= preStop + drain + cancellation {bound}"
        if pod.workload["kind"] == "Deployment":
            assert pod.workload["spec"]["replicas"] == 1 and pod.workload["spec"]["strategy"]["type"] == "Recreate"
            claims = [v["persistentVolumeClaim"]["claimName"] for v in pod.spec["volumes"] if "persistentVolumeClaim" in v]
            rwo = [c for c in claims if "ReadWriteOnce" in by_kind["PersistentVolumeClaim"][c]["spec"]["accessModes"]]
            assert rwo, f"{pod.name}: the catalog needs its own ReadWriteOnce volume"

    with open(context.path("k8s/tools/model-loader.yaml")) as file:
        loader = next(d for d in yaml.safe_load_all(file) if d["kind"] == "Pod")
    loader_mounts = {m["mountPath"] for m in loader["spec"]["containers"][0]["volumeMounts"]
                     if any(v["name"] == m["name"] and v.get("persistentVolumeClaim", {}).get("claimName") == "strata-models"
                            for v in loader["spec"]["volumes"])}
    for pod in all_pods:
        models = [v["name"] for v in pod.spec["volumes"] if v.get("persistentVolumeClaim", {}).get("claimName") == "strata-models"]
        for container in pod.spec["containers"]:
            paths = {m["mountPath"] for m in container["volumeMounts"] if m["name"] in models}
            assert paths == loader_mounts, f"{pod.name} mounts strata-models at {paths}, the loader at {loader_mounts}"


def _topology_of(by_kind, pod):
    """The topology document a pod's ConfigMap volume holds."""
    for volume in pod.spec["volumes"]:
        if "configMap" in volume:
            data = by_kind["ConfigMap"][volume["configMap"]["name"]]["data"]
            if "topology.json" in data:
                return json.loads(data["topology.json"])
    raise AssertionError(f"{pod.name} mounts no topology")
