"""The shell commands of deploy/README.md's `sh` blocks, with the section they are in, and the
checkov exceptions its table lists."""

import re
import shlex


class Command:
    def __init__(self, section, line):
        self.section = section
        self.line = line
        words = shlex.split(line, comments=True)
        if "|" in words:
            words = words[:words.index("|")]
        if words and words[0] == "sudo":
            words = words[1:]
        self.words = words

    @property
    def program(self):
        return self.words[0] if self.words else ""

    def __repr__(self):
        return self.line


def commands(readme_path):
    """Every command in the `sh` code blocks (continuation lines joined), in order."""
    section, block, result, pending = "", False, [], ""
    with open(readme_path) as file:
        for line in file:
            line = line.rstrip("\n")
            if not block and line.startswith("## "):
                section = line[3:].strip()
            if line.startswith("```"):
                block = line.strip() == "```sh" if not block else False
                continue
            if not block:
                continue
            if line.endswith("\\"):
                pending += line[:-1].rstrip() + " "
                continue
            text = (pending + line.strip()).strip()
            pending = ""
            if text and not text.startswith("#"):
                result.append(Command(section, text.rstrip("&").strip()))
    return result


def checkov_exceptions(readme_path):
    """{check id: reason} from the table under "Checkov exceptions"."""
    exceptions = {}
    with open(readme_path) as file:
        for line in file:
            match = re.match(r"\|\s*(CKV2?_[A-Z0-9_]+)\s*\|\s*(.+?)\s*\|\s*$", line)
            if match:
                exceptions[match.group(1)] = match.group(2)
    return exceptions


def created_secrets(all_commands):
    """{secret name: {key: test value}} for each `kubectl create secret generic` command."""
    secrets = {}
    for command in all_commands:
        words = command.words
        if command.program != "kubectl" or "create" not in words:
            continue
        start = words.index("create")
        if words[start + 1:start + 3] != ["secret", "generic"]:
            continue
        name = words[start + 3]
        for word in words:
            if word.startswith("--from-literal="):
                key = word[len("--from-literal="):].split("=", 1)[0]
                secrets.setdefault(name, {})[key] = f"test-{name}-{key}"
    return secrets
