"""Where the candidate's code runs: a bubblewrap sandbox when one works, else a fenced child.

The coding round runs code the candidate typed (or pasted from anywhere), so it is treated
as hostile. With bubblewrap (``bwrap``, Debian's ``bubblewrap``) on Linux the check runs
in fresh namespaces:

- no network (``--unshare-net``): no socket reaches anything, loopback included;
- a filesystem of the Python installation and the system's libraries, read-only, plus the
  scratch folder of this run: nothing of the user's files (home, config file, transcripts,
  other projects) exists inside, and a private, size-capped ``/tmp`` and ``/dev/shm``;
  of the interviewer's own environment, only the ``numpy`` package (and the libraries its
  wheel bundles), read-only, so a task written with NumPy can use it;
- a clean environment (``--clearenv``): no API key or other variable of ours;
- its own process namespace, ``--die-with-parent`` and ``--new-session``: every process
  the code starts (double forks and ``setsid`` included) dies when the check ends, or if
  the interviewer itself dies; all capabilities dropped.

Without bubblewrap (not Linux, not installed, or user namespaces disabled), the child
still gets a clean environment, a scratch folder, resource limits and a process-group
kill; on Linux the interviewer adopts any process the code detaches (subreaper) and ends
it after the check, and makes itself non-dumpable (Linux ``PR_SET_DUMPABLE``),
so the child cannot read its environment through ``/proc``. Run as root, the child is
started as ``nobody``, so it cannot read the user's files (the config file included) or
write outside its folder. What is then not contained (network, the user's readable
files when not root, ``/dev/shm``) is said by ``describe()``, which
``doctor`` and the coding round show.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

NOBODY = 65534
TMPFS_BYTES = 16 << 20  # /tmp and /dev/shm inside the sandbox, each
SANDBOX_FOLDER = "/check"  # where the scratch folder appears inside the sandbox
_SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin")


ONE_THREAD = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
"""NumPy's BLAS starts a thread per core when it loads unless told otherwise; the
candidate's process may start none (``RLIMIT_NPROC`` 0), and there the failed thread
start kills the import. One thread is also all a check needs."""


UNCONFINED_ENV = "INTERVIEWER_UNCONFINED_CODE"
"""Set to 1 to run the coding round's code without a sandbox, knowingly (never the default)."""


@dataclass(frozen=True)
class Containment:
    """How the candidate's code is run here, in words for doctor and the coding round."""

    runs: bool  # False: no sandbox and no opt-in, so the code is not run at all
    sandboxed: bool
    summary: str
    missing: str = ""  # what is not contained, and the fix; empty when sandboxed


@functools.cache
def bwrap() -> str | None:
    """The bwrap binary, if it is installed and can make the namespaces it needs here."""
    path = shutil.which("bwrap")
    if path is None or not sys.platform.startswith("linux"):
        return None
    probe = [path, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return path if done.returncode == 0 else None


def unconfined_allowed() -> bool:
    """The user said, for this run, to run code without a sandbox: ``INTERVIEWER_UNCONFINED_CODE=1``."""
    return os.environ.get(UNCONFINED_ENV, "").strip() == "1"


def install_hint() -> str:
    """The one command that gives this machine the sandbox, or why none can."""
    if not sys.platform.startswith("linux"):
        return "the sandbox (bubblewrap) needs Linux"
    if shutil.which("bwrap") is not None:
        return (
            "bubblewrap is installed but cannot create namespaces here (a container without "
            "user namespaces, or a kernel setting): run on a machine or container that allows them"
        )
    sudo = "" if os.geteuid() == 0 else "sudo "
    return f"install bubblewrap: {sudo}apt-get install bubblewrap (Fedora: {sudo}dnf install bubblewrap)"


def describe() -> Containment:
    if bwrap() is not None:
        return Containment(
            True,
            True,
            "bubblewrap sandbox: no network, none of your files or environment, a private "
            "/tmp, every process ended with the check",
        )
    if not unconfined_allowed():
        return Containment(
            False,
            False,
            "no sandbox here, so code is not run (the interviewer and judge are told it "
            "was not executed)",
            f"{install_hint()}; or, knowing it runs unconfined, set {UNCONFINED_ENV}=1",
        )
    demoted = _demote_to_nobody()
    who = "as user 'nobody'" if demoted else "as your user"
    exposed = "" if demoted else ", reading and writing your files (the config file included)"
    if not demoted and os.name == "posix" and os.geteuid() == 0:
        exposed += ", the interviewer's environment (root can read it despite PR_SET_DUMPABLE)"
    strays = (
        "" if sys.platform.startswith("linux") else ", processes that leave their group"
    )  # on Linux they are adopted and ended (``end_strays``)
    return Containment(
        True,
        False,
        f"UNCONFINED ({UNCONFINED_ENV}=1): your code runs {who} with a clean environment, "
        "resource limits and a scratch folder",
        f"not contained: network access{exposed}, /dev/shm{strays}; for a sandbox, {install_hint()}",
    )


@functools.cache
def _demote_to_nobody() -> bool:
    """Root, and the interpreter usable by ``nobody`` (a Python under /root is not)."""
    if os.name != "posix" or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    try:
        done = subprocess.run(
            [python(), "-I", "-S", "-c", "pass"],
            user=NOBODY, group=NOBODY, extra_groups=[], capture_output=True, timeout=10,
            check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def protect_parent() -> None:
    """Make this process non-dumpable (Linux): a process of the same user can then no
    longer read its memory or ``/proc/<pid>/environ``, where the API keys are."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_dumpable = 4
        libc.prctl(pr_set_dumpable, 0, 0, 0, 0)


@functools.cache
def numpy_folder() -> str | None:
    """The folder that holds the interviewer's own ``numpy`` package (its site-packages),
    found without importing NumPy; None where it is not installed.

    The harness takes this folder and looks up ``numpy``, and nothing else, in it, so the
    checks see exactly the NumPy the interviewer was installed with (a declared
    dependency, pinned in the locks), never another package of the environment.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec("numpy")
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    if not locations:
        return None
    return os.path.dirname(os.path.realpath(locations[0]))


def _numpy_mounts(visible: list[str]) -> list[str]:
    """Read-only binds of the ``numpy`` package and the libraries its wheel bundles
    (``numpy.libs``), at their own paths, unless a folder bound already shows them."""
    folder = numpy_folder()
    if folder is None or any(folder == d or folder.startswith(d + "/") for d in visible):
        return []
    mounts: list[str] = []
    for name in ("numpy", "numpy.libs"):
        path = os.path.join(folder, name)
        if os.path.isdir(path):
            mounts += ["--ro-bind", path, path]
    return mounts


def python() -> str:
    """The real interpreter (a venv's ``python`` is a link into the base installation)."""
    return os.path.realpath(sys.executable)


def sandboxed_command(harness_fd: int, solution_fd: int, args: list[str]) -> list[str]:
    """The bubblewrap command that runs the candidate's side of the check.

    The working folder is a size-capped tmpfs inside the sandbox, into which bubblewrap
    copies the harness and the solution from descriptors: nothing of the check is on the
    host's disk, so a kill of the interviewer leaves no folder behind either.
    """
    path = bwrap()
    if path is None:
        raise RuntimeError("no working bubblewrap: check sandbox.describe() first")
    mounts: list[str] = []
    for folder in _SYSTEM_DIRS:
        if os.path.isdir(folder) and not os.path.islink(folder):
            mounts += ["--ro-bind", folder, folder]
        elif os.path.islink(folder):
            mounts += ["--symlink", os.readlink(folder), folder]
    visible = list(_SYSTEM_DIRS)
    prefix = os.path.realpath(sys.base_prefix)
    if not any(prefix == d or prefix.startswith(d + "/") for d in visible):
        mounts += ["--ro-bind", prefix, prefix]
        visible.append(prefix)
    threads = [part for name, value in ONE_THREAD.items() for part in ("--setenv", name, value)]
    inside = f"{SANDBOX_FOLDER}/harness.py"
    return [
        path,
        "--unshare-all",  # network, pids, ipc, uts, cgroup, user
        "--die-with-parent",
        "--new-session",
        "--cap-drop", "ALL",
        "--clearenv",
        "--setenv", "PATH", "/usr/bin:/bin",
        "--setenv", "LANG", "C.UTF-8",
        *threads,
        *mounts,
        "--proc", "/proc",
        "--dev", "/dev",
        "--size", str(TMPFS_BYTES), "--tmpfs", "/tmp",
        "--size", str(TMPFS_BYTES), "--tmpfs", "/dev/shm",
        "--size", str(TMPFS_BYTES), "--tmpfs", SANDBOX_FOLDER,
        *_numpy_mounts(visible),  # after the tmpfs mounts, which would hide it under /tmp
        "--ro-bind-data", str(harness_fd), inside,
        "--file", str(solution_fd), f"{SANDBOX_FOLDER}/solution.py",
        "--chdir", SANDBOX_FOLDER,
        "--",
        python(), "-I", "-S", "-B", inside, *args,
    ]  # fmt: skip


def script_command(harness: Path, args: list[str]) -> list[str]:
    """A plain child Python on the harness: the verdict's side always (our own code and the
    check, never the candidate's, outside the sandbox where the candidate cannot reach it),
    the candidate's side only when the user opted in to running it unconfined."""
    return [python(), "-I", "-S", "-B", str(harness), *args]


def popen_options(scratch: Path) -> dict[str, object]:
    """Extra ``Popen`` options for the fallback: as root, run the child as ``nobody``."""
    if bwrap() is not None or not _demote_to_nobody():
        return {}
    os.chown(scratch, NOBODY, NOBODY)
    for entry in scratch.iterdir():
        os.chown(entry, NOBODY, NOBODY)
    return {"user": NOBODY, "group": NOBODY, "extra_groups": []}


# ------------------------------------------------------------- strays, without a sandbox

PR_SET_CHILD_SUBREAPER = 36


def adopt_orphans(adopt: bool = True) -> bool:
    """Linux: become the subreaper of our descendants, so a process the code detached
    (``setsid`` and a double fork) is re-parented to us, where ``end_strays`` finds it;
    ``adopt=False`` after the check, so orphans of anything else go to init as usual."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_CHILD_SUBREAPER, int(adopt), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _parents() -> dict[int, int]:
    """Every visible process and its parent, from /proc."""
    found: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        found[int(name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return found


def children() -> set[int]:
    """Our own child processes (Linux); empty where /proc is missing."""
    if not os.path.isdir("/proc"):
        return set()
    me = os.getpid()
    return {pid for pid, parent in _parents().items() if parent == me}


def end_strays(before: set[int]) -> None:
    """Kill every child that appeared during the check (orphans it left, adopted by us as
    subreaper) and all their descendants, then reap them."""
    strays = children() - before
    if not strays:
        return
    parents = _parents()
    doomed = set(strays)
    grew = True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in doomed} - doomed
        doomed |= more
        grew = bool(more)
    for pid in doomed:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, 9)
    for pid in strays:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, 0)
