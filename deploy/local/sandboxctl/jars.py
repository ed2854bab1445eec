"""The Java runtime (deploy/local/find-java) and the node and proxy jars, built when missing."""
import os
import subprocess
import sys
from dataclasses import dataclass

from .console import Exit, EXIT_FAILURE, fail, say

LOCAL_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO_ROOT = os.path.dirname(os.path.dirname(LOCAL_DIR))
FIND_JAVA = os.path.join(LOCAL_DIR, "find-java")


@dataclass(frozen=True)
class Java:
    path: str
    major: int


@dataclass(frozen=True)
class Jars:
    node: str
    proxy: str

    @staticmethod
    def from_env():
        return Jars(
            os.environ.get("SANDBOX_NODE_JAR")
            or os.path.join(REPO_ROOT, "cluster-node/target/shardhook-node.jar"),
            os.environ.get("SANDBOX_PROXY_JAR")
            or os.path.join(REPO_ROOT, "proxy/target/shardhook-proxy.jar"),
        )


def find_java():
    """A JDK 21+ as find-java picks it; find-java says why when there is none."""
    out = subprocess.run([FIND_JAVA, "--version"], stdout=subprocess.PIPE, text=True)
    if out.returncode != 0:
        raise Exit(EXIT_FAILURE)
    path, _, major = out.stdout.strip().rpartition(" ")
    if not path or not major.isdigit():
        raise fail('%s --version printed %r, not "<path> <major>"' % (FIND_JAVA, out.stdout))
    return Java(path, int(major))


def build_if_needed(jars, rebuild):
    if os.path.isfile(jars.node) and os.path.isfile(jars.proxy) and not rebuild:
        return
    home = subprocess.run([FIND_JAVA, "--home"], stdout=subprocess.PIPE, text=True)
    if home.returncode != 0:
        raise Exit(EXIT_FAILURE)
    say(
        "building the node and proxy jars"
        " (./mvnw package -pl cluster-node,proxy -am, tests skipped) ..."
    )
    env = dict(os.environ, JAVA_HOME=home.stdout.strip())
    # Maven's output goes to stderr: stdout carries only the entry URL.
    mvnw = "./mvnw -q -B -DskipTests -Dspotless.check.skip=true package -pl cluster-node,proxy -am"
    build = subprocess.run(mvnw.split(), cwd=REPO_ROOT, env=env, stdout=sys.stderr)
    if build.returncode != 0:
        raise fail("building the jars failed (see the Maven output above)")
    for jar in (jars.node, jars.proxy):
        if not os.path.isfile(jar):
            raise fail("the build finished but %s is missing" % jar)
