"""What every deploy test needs: the repository's paths, the binary and model under test, the
tools, a scratch folder, and the processes to stop at the end."""

import os
import shutil
import subprocess
import tempfile

import yaml

from container_image import ContainerImage
import readme_commands


class Skip(Exception):
    """A test that cannot run here; the message says why."""


class DeployContext:
    def __init__(self, binary, model, tools):
        self.root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        self.deploy = os.path.join(self.root, "deploy")
        self.binary = os.path.abspath(binary)
        self.model = os.path.abspath(model)
        for path, what in [(self.binary, "binary"), (self.model, "model")]:
            if not os.path.exists(path):
                raise SystemExit(f"error: the {what} {path} is missing")
        self.tools = tools
        self.scratch = tempfile.mkdtemp(prefix="strata-deploy-")
        self.image = ContainerImage(self.path("docker/Dockerfile"))
        self.readme = self.path("README.md")
        self.commands = readme_commands.commands(self.readme)
        self.processes = []
        self.background = {}  # name -> a long-running check started early (see static_checks.start_checkov)

    def path(self, relative):
        """A path inside deploy/."""
        return os.path.join(self.deploy, relative)

    def tool(self, name):
        path = os.path.join(self.tools, name)
        if not os.access(path, os.X_OK):
            raise AssertionError(f"{path} is missing; run `make deploy-tools`")
        return path

    def folder(self, name):
        path = os.path.join(self.scratch, name)
        os.makedirs(path, exist_ok=True)
        return path

    def place_model(self, folder, name):
        """The model at folder/name: a hard link when possible, else a copy."""
        os.makedirs(folder, exist_ok=True)
        target = os.path.join(folder, name)
        if os.path.exists(target):
            return target
        try:
            os.link(self.model, target)
        except OSError:
            shutil.copyfile(self.model, target)
        return target

    def track(self, process):
        self.processes.append(process)
        return process

    def stop_processes(self):
        """Kills whatever a test left running (a passing test stops its processes itself)."""
        for process in self.processes:
            process.kill()
        self.processes = []

    def close(self):
        self.stop_processes()
        for entry in self.background.values():
            process = entry[-1]
            if process.poll() is None:
                process.kill()
                process.wait()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def rendered(self, kustomization):
        """(objects, file) of `kubectl kustomize deploy/KUSTOMIZATION`, rendered once."""
        cache = self.__dict__.setdefault("_rendered", {})
        if kustomization not in cache:
            output = subprocess.run([self.tool("kubectl"), "kustomize", self.path(kustomization)],
                                    check=True, capture_output=True, text=True).stdout
            file = os.path.join(self.folder("rendered"), kustomization.replace("/", "_") + ".yaml")
            with open(file, "w") as handle:
                handle.write(output)
            cache[kustomization] = ([d for d in yaml.safe_load_all(output) if d], file)
        return cache[kustomization]
