"""What the Dockerfile's final stage gives a container: entrypoint, default command and
environment, and the Debian packages it installs."""

import json
import re
import shlex


class ContainerImage:
    def __init__(self, dockerfile_path):
        with open(dockerfile_path) as file:
            text = file.read()
        instructions = _instructions(text)
        final = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
        stage = instructions[final:]
        self.entrypoint = []
        self.cmd = []
        self.env = {}
        self.apt_packages = set()
        self.copied_sources = []
        for keyword, value in instructions:
            if keyword == "COPY" and "--from=" not in value:
                self.copied_sources.extend(shlex.split(value)[:-1])
        for keyword, value in stage:
            if keyword == "ENTRYPOINT":
                self.entrypoint = json.loads(value)
            elif keyword == "CMD":
                self.cmd = json.loads(value)
            elif keyword == "ENV":
                for pair in shlex.split(value):
                    name, _, setting = pair.partition("=")
                    self.env[name] = setting
            elif keyword == "RUN":
                for match in re.finditer(r"apt-get install ([^&;|]*)", value):
                    self.apt_packages.update(word for word in match.group(1).split() if not word.startswith("-"))


def _instructions(text):
    """(KEYWORD, value) per instruction, continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("#") or not stripped:
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        current += stripped
        keyword, _, value = current.partition(" ")
        instructions.append((keyword.upper(), value.strip()))
        current = ""
    return instructions
