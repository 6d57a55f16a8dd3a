"""The pods a rendered set of manifests asks for, and the exact local process each container
becomes: command and args from the manifest (else the image's entrypoint and command), the
environment resolved as a kubelet resolves it (ConfigMaps, Secrets, the downward API, `$(VAR)`),
volumes as local folders, the pod's address as a loopback address."""

import os
import re

from local_process import LocalProcess


def matches(selector, labels):
    """Whether a matchLabels selector selects `labels` (matchExpressions are not used here)."""
    if set(selector) - {"matchLabels"}:
        raise AssertionError(f"unsupported selector {selector}")
    return all(labels.get(key) == value for key, value in selector.get("matchLabels", {}).items())


class Pod:
    """One pod of a workload: its name, labels, spec, and (for a StatefulSet) ordinal and DNS names."""

    def __init__(self, workload, name, ordinal=None, service=None):
        self.workload = workload
        self.name = name
        self.namespace = workload["metadata"].get("namespace", "default")
        template = workload["spec"]["template"]
        self.labels = dict(template["metadata"].get("labels", {}))
        self.annotations = dict(template["metadata"].get("annotations", {}))
        self.spec = template["spec"]
        self.ordinal = ordinal
        self.dns_names = []
        if ordinal is not None:
            self.labels["apps.kubernetes.io/pod-index"] = str(ordinal)
            self.labels["statefulset.kubernetes.io/pod-name"] = name
            base = f"{name}.{service}"
            self.dns_names = [base, f"{base}.{self.namespace}", f"{base}.{self.namespace}.svc",
                              f"{base}.{self.namespace}.svc.cluster.local"]
        self.address = None

    @property
    def ports(self):
        return [port["containerPort"] for container in self.spec["containers"] for port in container.get("ports", [])]

    def container_port(self, container, port):
        """A probe's or Service's port (a number or a port name) as a number."""
        if isinstance(port, int):
            return port
        for declared in container.get("ports", []):
            if declared.get("name") == port:
                return declared["containerPort"]
        raise AssertionError(f"{self.name}: container {container['name']} has no port named {port}")


def pods(objects):
    """Every pod the Deployments and StatefulSets ask for."""
    result = []
    for workload in objects:
        kind, name = workload["kind"], workload["metadata"]["name"]
        if kind == "Deployment":
            result += [Pod(workload, f"{name}-{index}") for index in range(workload["spec"].get("replicas", 1))]
        elif kind == "StatefulSet":
            service = workload["spec"]["serviceName"]
            result += [Pod(workload, f"{name}-{index}", index, service) for index in range(workload["spec"].get("replicas", 1))]
    return result


def expand(text, environment):
    """Kubernetes' `$(VAR)` expansion: defined names are replaced, `$$` is a `$`, the rest stays."""
    out, index = [], 0
    while index < len(text):
        if text.startswith("$$", index):
            out.append("$")
            index += 2
        elif text.startswith("$(", index) and ")" in text[index:]:
            end = text.index(")", index)
            name = text[index + 2:end]
            if name in environment:
                out.append(environment[name])
                index = end + 1
            else:
                out.append(text[index:end + 1])
                index = end + 1
        else:
            out.append(text[index])
            index += 1
    return "".join(out)


class PodLauncher:
    """Turns containers of rendered pods into local processes."""

    def __init__(self, objects, image, binary, secrets, hosts, root):
        self.objects = objects
        self.image = image
        self.binary = binary
        self.secrets = secrets
        self.hosts = hosts
        self.root = root
        self.config_maps = {(o["metadata"].get("namespace"), o["metadata"]["name"]): o.get("data", {})
                            for o in objects if o["kind"] == "ConfigMap"}

    def claim_folder(self, claim):
        folder = os.path.join(self.root, "volumes", claim)
        os.makedirs(folder, exist_ok=True)
        return folder

    def config_map(self, pod, name):
        data = self.config_maps.get((pod.namespace, name))
        if data is None:
            raise AssertionError(f"{pod.name} uses ConfigMap {name}, which the manifests do not define")
        return data

    def mounts(self, pod, container):
        """mountPath -> local folder for each of the container's volume mounts."""
        volumes = {volume["name"]: volume for volume in pod.spec.get("volumes", [])}
        result = {}
        for mount in container.get("volumeMounts", []):
            volume = volumes[mount["name"]]
            if "persistentVolumeClaim" in volume:
                folder = self.claim_folder(volume["persistentVolumeClaim"]["claimName"])
            elif "emptyDir" in volume:
                folder = os.path.join(self.root, "pods", pod.name, mount["name"])
                os.makedirs(folder, exist_ok=True)
            elif "configMap" in volume:
                folder = os.path.join(self.root, "pods", pod.name, mount["name"])
                os.makedirs(folder, exist_ok=True)
                data = self.config_map(pod, volume["configMap"]["name"])
                items = volume["configMap"].get("items") or [{"key": key, "path": key} for key in data]
                for item in items:
                    if item["key"] not in data:
                        raise AssertionError(f"ConfigMap {volume['configMap']['name']} has no key {item['key']}")
                    with open(os.path.join(folder, item["path"]), "w") as file:
                        file.write(self.hosts.rewrite(data[item["key"]]))
            else:
                raise AssertionError(f"{pod.name}: unsupported volume {volume}")
            result[mount["mountPath"]] = folder
        return result

    def environment(self, pod, container, map_path):
        environment = {key: map_path(value) for key, value in self.image.env.items()}
        for entry in container.get("env", []):
            name = entry["name"]
            if "value" in entry:
                value = expand(entry["value"], environment)
            else:
                value = self.value_from(pod, entry["valueFrom"])
            environment[name] = map_path(value)
        if container.get("envFrom"):
            raise AssertionError("envFrom is not resolved by this test")
        return environment

    def value_from(self, pod, source):
        if "configMapKeyRef" in source:
            reference = source["configMapKeyRef"]
            data = self.config_map(pod, reference["name"])
            if reference["key"] not in data:
                raise AssertionError(f"ConfigMap {reference['name']} has no key {reference['key']}")
            return data[reference["key"]]
        if "secretKeyRef" in source:
            reference = source["secretKeyRef"]
            value = self.secrets.get(reference["name"], {}).get(reference["key"])
            if value is None:
                raise AssertionError(f"{pod.name} reads Secret {reference['name']} key {reference['key']}, "
                                     "which deploy/README.md does not create")
            return value
        if "fieldRef" in source:
            path = source["fieldRef"]["fieldPath"]
            label = re.fullmatch(r"metadata\.(labels|annotations)\['([^']+)'\]", path)
            if label:
                values = pod.labels if label.group(1) == "labels" else pod.annotations
                if label.group(2) not in values:
                    raise AssertionError(f"{pod.name} has no {label.group(1)[:-1]} {label.group(2)}")
                return values[label.group(2)]
            fields = {"metadata.name": pod.name, "metadata.namespace": pod.namespace, "status.podIP": pod.address}
            if path not in fields:
                raise AssertionError(f"unsupported fieldRef {path}")
            return fields[path]
        raise AssertionError(f"unsupported valueFrom {source}")

    def process(self, pod, container, log_dir):
        """The local process for `container` of `pod`."""
        mounts = self.mounts(pod, container)
        home = os.path.join(self.root, "pods", pod.name, "home")
        os.makedirs(home, exist_ok=True)

        def map_path(value):
            for mount_path in sorted(mounts, key=len, reverse=True):
                if value == mount_path or value.startswith(mount_path + "/"):
                    return mounts[mount_path] + value[len(mount_path):]
            return value

        environment = self.environment(pod, container, map_path)
        if "command" in container:
            argv = list(container["command"]) + list(container.get("args", []))
        else:
            argv = list(self.image.entrypoint) + list(container.get("args", self.image.cmd))
        # Paths in the manifest's own words are mapped; expanded variables were mapped when set.
        argv = [expand(re.sub(r"\b0\.0\.0\.0\b", pod.address, map_path(arg)), environment) for arg in argv]
        if argv[0] != self.image.entrypoint[0]:
            raise AssertionError(f"{pod.name}: runs {argv[0]}, not the image's {self.image.entrypoint[0]}")
        argv[0] = self.binary
        environment.update({"PATH": "/usr/bin:/bin", "HOME": home})
        process = LocalProcess(f"{pod.name}.{container['name']}", argv, environment, log_dir)
        process.mounts = mounts
        return process
