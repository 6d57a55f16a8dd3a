"""A systemd service unit as systemd would start it: its ExecStart line with specifiers, the
Environment= and EnvironmentFile= settings, and `$VAR`/`${VAR}` expanded per systemd.exec(5)."""

import os
import re
import shlex


class ServiceUnit:
    def __init__(self, path):
        self.path = path
        self.name = os.path.basename(path)
        self.sections = {}
        section = None
        with open(path) as file:
            lines = file.read().replace("\\\n", " ").splitlines()
        for line in lines:
            stripped = line.strip()
            if not stripped or stripped[0] in "#;":
                continue
            if stripped.startswith("["):
                section = self.sections.setdefault(stripped.strip("[]"), {})
                continue
            key, _, value = stripped.partition("=")
            section.setdefault(key.strip(), []).append(value.strip())

    def values(self, key, section="Service"):
        return self.sections.get(section, {}).get(key, [])

    def value(self, key, section="Service"):
        values = self.values(key, section)
        return values[-1] if values else None

    def environment(self, instance, read_file):
        """Environment= then EnvironmentFile= (whose settings win), as systemd builds it;
        `read_file(path)` returns a file's text, or None when it does not exist."""
        environment = {}
        for setting in self.values("Environment"):
            for assignment in shlex.split(specifiers(setting, instance)):
                name, _, value = assignment.partition("=")
                environment[name] = value
        for setting in self.values("EnvironmentFile"):
            setting = specifiers(setting, instance)
            optional = setting.startswith("-")
            text = read_file(setting.lstrip("-"))
            if text is None:
                if optional:
                    continue
                raise AssertionError(f"{self.name}: EnvironmentFile {setting} is missing")
            environment.update(parse_environment_file(text))
        return environment

    def exec_start(self, instance, environment):
        """ExecStart's argv after specifiers and variables."""
        lines = self.values("ExecStart")
        if len(lines) != 1:
            raise AssertionError(f"{self.name}: expected one ExecStart, found {len(lines)}")
        line = specifiers(lines[0], instance).lstrip("-@:+!")
        argv = []
        for word in shlex.split(line):
            whole = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", word)
            if whole:
                argv += environment.get(whole.group(1), "").split()
            else:
                argv.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda m: environment.get(m.group(1), ""), word))
        return argv


def specifiers(text, instance):
    """`%i` (the instance) and `%%`; any other specifier is refused, so the test cannot pass
    by ignoring one."""
    def replace(match):
        letter = match.group(1)
        if letter == "%":
            return "%"
        if letter == "i":
            if instance is None:
                raise AssertionError("%i in a unit that is not a template")
            return instance
        raise AssertionError(f"specifier %{letter} is not handled by this test")
    return re.sub(r"%(.)", replace, text)


def parse_environment_file(text):
    """KEY=VALUE lines, comments and blank lines skipped, quotes removed."""
    environment = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped[0] in "#;":
            continue
        name, _, value = stripped.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        environment[name.strip()] = value
    return environment
