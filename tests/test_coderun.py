"""The candidate's code runs against the opening's tests; whatever it does, a result comes back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from interviewer.catalog.library import Catalog
from interviewer.coding.check import check_answer, run_check
from interviewer.coding.extract import extract_code
from interviewer.coding.outcome import MAX_DETAIL, CheckResult, format_result
from interviewer.formats.levels import Level
from interviewer.formats.rounds import CodeCheck

ADD = CodeCheck(
    entry_point="add",
    tests="import math\nassert add(1, 2) == 3\nassert math.isclose(add(0.1, 0.2), 0.3)\nassert add(-1, 1) == 0",
    timeout_seconds=5,
)
FAST = ADD.model_copy(update={"timeout_seconds": 1.0})


@pytest.fixture(autouse=True)
def runnable(monkeypatch):
    """These tests are about what happens to the code once it runs: where there is no
    sandbox they run it unconfined (test_sandbox.py covers the refusal)."""
    from interviewer.coding import sandbox

    if sandbox.bwrap() is None:
        monkeypatch.setattr(sandbox, "unconfined_allowed", lambda: True)


# ------------------------------------------------------------------------- run_check


@pytest.mark.parametrize(
    ("code", "status", "passed", "expected"),
    [
        pytest.param("def add(a, b):\n    return a + b\n", "passed", 3, "all passed", id="correct"),
        pytest.param(
            "def add(a, b):\n    return a + b if a >= 1 else 7\n",
            "failed",
            1,
            "FAIL assert add(-1, 1) == 0\n     AssertionError; add returned 7",
            id="wrong-names-the-assert",
        ),
        pytest.param(
            "def add(a, b:\n    return a + b\n", "error", 0, "SyntaxError", id="syntax-error"
        ),
        pytest.param(
            "raise ValueError('boom')\n",
            "error",
            0,
            "ValueError: boom (line 1 of your code)",
            id="raises-while-loading",
        ),
        pytest.param(
            "def add(a, b):\n    return a / 0\n",
            "failed",
            0,
            "ZeroDivisionError: division by zero (line 2 of your code)",
            id="raises-in-function",
        ),
        pytest.param(
            "def plus(a, b):\n    return a + b\n",
            "error",
            0,
            "defines no function named add",
            id="wrong-name",
        ),
        pytest.param(
            "import sys\ndef add(a, b):\n    return a + b\nsys.exit(0)\n",
            "error",
            0,
            "sys.exit(0) while loading",
            id="sys-exit-before-tests",
        ),
        pytest.param(
            "import sys\ndef add(a, b):\n    sys.exit(2)\n",
            "failed",
            0,
            "your code called sys.exit(2)",
            id="sys-exit-in-function",
        ),
        pytest.param(
            "import os\ndef add(a, b):\n    os._exit(3)\n",
            "error",
            0,
            "ended the Python process during test 1 of 3 (exit status 3)",
            id="hard-exit",
        ),
        pytest.param(
            "def add(a, b):\n    return len(bytearray(8 * 2**30))\n",
            "failed",
            0,
            "MemoryError",
            id="huge-memory",
        ),
        pytest.param(
            "import pydantic\n",
            "error",
            0,
            "standard library and NumPy only",
            id="third-party-import",
        ),
        pytest.param("name = input()\n", "error", 0, "EOFError", id="reads-stdin"),
        pytest.param(
            "def add(a, b):\n    while True:\n        print('spam' * 1000)\n",
            "failed",
            0,
            "File too large",
            id="output-flood",
        ),
        pytest.param(
            "def add(a, b):\n    return add(a, b)\n", "failed", 0, "RecursionError", id="recursion"
        ),
        pytest.param("  \n", "no-code", 0, "No code for add found", id="blank"),
    ],
)
def test_run_check_turns_every_outcome_into_a_result(code, status, passed, expected):
    result = run_check(code, ADD)
    assert result.status == status, format_result(result)
    assert result.tests_passed == passed
    assert expected in result.summary + "\n" + result.detail
    assert "\n" not in result.summary


def test_infinite_loop_is_stopped_and_reported():
    result = run_check("def add(a, b):\n    while True:\n        pass\n", FAST)
    assert result.status == "timeout"
    assert result.duration_s < 3
    assert (
        result.summary
        == "Stopped your add after 1 s, still running test 1 of 3; 0 passed before that."
    )


def test_timeout_keeps_the_tests_that_passed_before_it():
    code = "def add(a, b):\n    while a == 0.1:\n        pass\n    return a + b\n"
    result = run_check(code, FAST)
    assert (result.status, result.tests_passed) == ("timeout", 1)
    assert result.detail.splitlines() == [
        "PASS assert add(1, 2) == 3",
        "STOPPED assert math.isclose(add(0.1, 0.2), 0.3)",
        "NOT RUN assert add(-1, 1) == 0",
    ]


def test_loop_while_loading_is_stopped():
    result = run_check("while True:\n    pass\n", FAST)
    assert result.status == "timeout"
    assert "before any test ran" in result.summary


def _gone(pid: int) -> bool:
    """Dead, or a zombie waiting for a reaper: either way it runs nothing any more."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def test_candidate_code_sees_no_secrets(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    code = (
        "import os\nraise RuntimeError(f'{sorted(os.environ)} {\"sk-test\" in str(os.environ)}')\n"
    )
    result = run_check(code, ADD)
    assert result.status == "error"
    assert "'PATH'" in result.summary
    assert "OPENAI_API_KEY" not in result.summary
    assert result.summary.endswith("False (line 2 of your code)")


def test_code_runs_in_a_scratch_folder(isolated):
    code = "import os\nopen('left-behind.txt', 'w').write('x')\nraise RuntimeError(os.getcwd())\n"
    result = run_check(code, ADD)
    assert str(isolated) not in result.summary
    assert not (isolated / "left-behind.txt").exists()


def test_detail_is_bounded():
    tests = "\n".join(f"assert add({i}, {'1' * 200}) == 0" for i in range(40))
    result = run_check(
        "def add(a, b):\n    return 'x' * 10_000\n", CodeCheck(entry_point="add", tests=tests)
    )
    assert result.status == "failed"
    assert len(result.detail) <= MAX_DETAIL


def test_broken_check_is_not_blamed_on_the_candidate():
    check = CodeCheck(entry_point="add", tests="import nonexistent_module\nassert add(1, 2) == 3")
    result = run_check("def add(a, b):\n    return a + b\n", check)
    assert result.status == "error"
    assert "not your fault" in result.summary


# ----------------------------------------------------------------------- format_result


def test_format_result_is_one_short_block():
    result = run_check("def add(a, b):\n    return a + b if a >= 1 else 7\n", ADD)
    assert format_result(result) == (
        "Code check (failed): Ran your add against 3 tests: 1 passed, 2 failed.\n"
        "  PASS assert add(1, 2) == 3\n"
        "  FAIL assert math.isclose(add(0.1, 0.2), 0.3)\n"
        "       AssertionError; add returned 7\n"
        "  FAIL assert add(-1, 1) == 0\n"
        "       AssertionError; add returned 7"
    )


def test_format_result_without_detail_is_the_summary():
    assert format_result(CheckResult("no-code", "No code.")) == "Code check (no-code): No code."


# ------------------------------------------------------------------------ extract_code

CODE = "def add(a, b):\n    return a + b\n"


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        pytest.param(f"Here it is:\n```python\n{CODE}```\nIt is O(1).", CODE, id="python-fence"),
        pytest.param(f"```\n{CODE}```", CODE, id="untagged-fence"),
        pytest.param(f"```py\n{CODE}```", CODE, id="py-fence"),
        pytest.param(
            "```python\nimport math\n```\nand\n```python\n" + CODE + "```",
            "import math\n\n" + CODE,
            id="blocks-joined",
        ),
        pytest.param(
            "```bash\npytest -q\n```\n```python\n" + CODE + "```", CODE, id="other-language-skipped"
        ),
        pytest.param("```text\n3\n```", None, id="only-other-language"),
        pytest.param(f"```python\n{CODE}", CODE, id="unclosed-fence"),
        pytest.param(
            f"1. My code:\n   ```python\n   {CODE.replace(chr(10) + '    ', chr(10) + '       ')}   ```",
            CODE,
            id="indented-fence-dedented",
        ),
        pytest.param(f"~~~python\n{CODE}~~~", CODE, id="tilde-fence"),
        pytest.param("```python\n```", None, id="empty-fence"),
        pytest.param(CODE, CODE, id="bare-code"),
        pytest.param(
            f"import math\n\n{CODE}", f"import math\n\n{CODE}", id="bare-code-with-import"
        ),
        pytest.param(f"Here is my solution:\n\n{CODE}", CODE, id="prose-then-code"),
        pytest.param(f"{CODE}\nThis is linear time.", None, id="code-then-prose"),
        pytest.param("I would sort the scores and count inversions.", None, id="prose"),
        pytest.param("import math", None, id="no-function"),
    ],
)
def test_extract_code(answer, expected):
    assert extract_code(answer) == expected


def test_extract_code_bare_text_must_define_the_entry_point():
    assert extract_code(CODE, entry_point="add") == CODE
    assert extract_code(CODE, entry_point="roc_auc") is None


def test_check_answer_extracts_then_runs():
    assert check_answer(f"```python\n{CODE}```", ADD).status == "passed"
    assert check_answer("I would just add them.", ADD).status == "no-code"


# ------------------------------------------------------------- the coding round's checks


def _checked_openings():
    return [o for o in Catalog().round("coding").item.openings if o.check is not None]


@pytest.mark.parametrize("opening", _checked_openings(), ids=lambda o: o.id)
def test_coding_checks_are_well_formed_and_can_fail(opening):
    check = opening.check
    assert f"def {check.entry_point}(" in opening.prompt
    # Level asserts time the code (NumPy tasks): room to fail by a clear assert, not a timeout.
    assert check.timeout_seconds == (10 if check.levels.senior.count("time.") else 5)
    statements = ast.parse(check.tests_for(Level.staff)).body
    asserts = [s for s in statements if isinstance(s, ast.Assert)]
    assert 3 <= len(asserts) - _level_asserts(check) <= 6
    assert _level_asserts(check) <= 3
    for statement in statements:
        if not isinstance(statement, ast.Assert | ast.FunctionDef):
            # Setup runs once and its failure blames the check, so it must not call the candidate.
            names = {n.id for n in ast.walk(statement) if isinstance(n, ast.Name)}
            assert check.entry_point not in names, ast.unparse(statement)
    stub = run_check(f"def {check.entry_point}(*a, **k):\n    return None\n", check, Level.staff)
    assert (stub.status, stub.tests_passed, stub.tests_total) == ("failed", 0, len(asserts)), (
        format_result(stub)
    )


def _level_asserts(check: CodeCheck) -> int:
    extra = check.levels.senior + "\n" + check.levels.staff
    return sum(isinstance(s, ast.Assert) for s in ast.parse(extra).body)


def test_every_coding_task_is_checked_and_says_whether_it_uses_numpy():
    """A NumPy task says so in its prompt and its check (which then needs NumPy installed);
    a plain-Python task's tests never import it."""
    openings = Catalog().round("coding").item.openings
    assert len(_checked_openings()) == len(openings)
    numpy_tasks = [o for o in openings if o.check.numpy]
    assert len(numpy_tasks) >= 4
    for opening in openings:
        uses = "import numpy" in opening.check.tests_for(Level.staff)
        assert uses == opening.check.numpy == ("with NumPy" in opening.prompt), opening.id


def test_numpy_tasks_differ_by_level():
    """The level line tells the candidate what the extra asserts at their level demand."""
    for opening in _checked_openings():
        if not opening.check.numpy:
            continue
        check, lines = opening.check, opening.levels
        assert check.tests_for(Level.junior) == check.tests_for(None)
        assert check.tests_for(Level.senior) != check.tests_for(Level.junior), opening.id
        assert lines.senior and lines.staff and lines.senior != lines.staff, opening.id
        if check.levels.staff:
            assert check.tests_for(Level.staff) != check.tests_for(Level.senior)


# ---------------------------------------------------- the verdict, from returned values

SOLUTIONS = Path(__file__).parent / "data" / "coding_solutions"


@pytest.mark.parametrize("opening", _checked_openings(), ids=lambda o: o.id)
def test_a_strong_candidates_solution_passes_its_check(opening):
    """Callbacks of the check (beam search's scorer, the training loop's logger), its
    random.Random and its iterators all cross to the candidate's process and back, and so
    do NumPy arrays; at staff level, every assert the task has (the timing ones included)."""
    result = run_check(
        (SOLUTIONS / f"{opening.id}.py").read_text(), _unhurried(opening.check), Level.staff
    )
    assert result.status == "passed", format_result(result)


def _unhurried(check: CodeCheck) -> CodeCheck:
    """The check with its time limits (senior and staff's "within a second") lifted: what
    this test asserts is the result, and a busy machine must not decide it."""
    levels = check.levels.model_copy(
        update={
            name: getattr(check.levels, name).replace("took >= 1.0", "took >= 600.0")
            for name in ("senior", "staff")
        }
    )
    lifted = check.model_copy(update={"levels": levels, "timeout_seconds": 30})
    assert lifted.levels == check.levels or "took >= 600.0" in lifted.tests_for(Level.staff)
    return lifted


BPE = next(o for o in _checked_openings() if o.id == "bpe-merge-step")


def test_a_function_that_mutates_its_input_is_seen_to_mutate_it():
    """The check's own list or dict is updated after each call, so "does not mutate its
    input" can still be tested across the two processes."""
    mutating = (SOLUTIONS / "bpe-merge-step.py").read_text() + (
        "\n_pure = bpe_merge_step\n"
        "def bpe_merge_step(corpus):\n"
        "    result = _pure(corpus)\n"
        "    corpus.clear()\n"
        "    return result\n"
    )
    result = run_check(mutating, BPE.check)
    assert result.status == "failed"
    assert result.detail.splitlines()[0].startswith("FAIL assert bpe_merge_step(corpus)[0]")


def test_only_plain_data_crosses_back_so_an_always_equal_object_fails():
    code = (
        "class Anything:\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "def add(a, b):\n"
        "    return Anything()\n"
    )
    result = run_check(code, ADD)
    assert (result.status, result.tests_passed) == ("failed", 0), format_result(result)
    assert "not plain data" in result.detail


def test_the_check_cannot_be_read_through_a_callback():
    """A callback of the check is served as a call, never as an attribute: no path leads
    to its globals, where the expected values live."""
    check = CodeCheck(
        entry_point="solve",
        tests="SECRET = 41\ndef helper(x):\n    return x\nassert solve(helper) == SECRET + 1",
    )
    code = (
        "def solve(helper):\n"
        "    for path in ('__globals__', '_Remote__handle', 'func_globals'):\n"
        "        try:\n"
        "            return getattr(helper, path)['SECRET'] + 1\n"
        "        except Exception:\n"
        "            pass\n"
        "    return helper(0)\n"
    )
    result = run_check(code, check)
    assert result.status == "failed", format_result(result)
    assert "solve returned 0" in result.detail


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_a_killed_interviewer_leaves_no_process_and_no_folder(tmp_path):
    """kill -9 of the interviewer mid-check runs no clean-up of ours: the candidate's
    process and the verdict still end, and (in the sandbox) nothing was ever on disk."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from interviewer.coding import sandbox

    marker = f"spin_{os.getpid()}_{time.monotonic_ns()}"
    check = CodeCheck(entry_point=marker, tests=f"assert {marker}() == 1", timeout_seconds=30)
    script = (
        "import sys\n"
        "from interviewer.coding.check import run_check\n"
        "from interviewer.formats.rounds import CodeCheck\n"
        "run_check(sys.argv[2], CodeCheck.model_validate_json(sys.argv[1]))\n"
    )
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    if sandbox.bwrap() is None:
        env[sandbox.UNCONFINED_ENV] = "1"
    code = f"def {marker}():\n    while True:\n        pass\n"
    parent = subprocess.Popen(
        [sys.executable, "-c", script, check.model_dump_json(), code], env=env
    )

    def running() -> list[int]:
        found = []
        for pid in os.listdir("/proc"):
            try:
                if pid.isdigit() and marker.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
                    if state not in ("Z", "X"):
                        found.append(int(pid))
            except OSError:
                continue
        return found

    deadline = time.monotonic() + 30
    while not running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running(), "the check never started"
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while running() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not running()
    if sandbox.bwrap() is not None:
        assert not list(temp.iterdir())


# ------------------------------------------------------------------------------ NumPy

ARRAYS = CodeCheck(
    entry_point="double",
    numpy=True,
    tests="""
import numpy as np
x32 = np.arange(6, dtype=np.float32).reshape(2, 3)
odd = np.array([np.nan, np.inf, -0.0, 1e-310])
inplace = np.zeros(3)
assert double(x32).dtype == np.float32 and double(x32).shape == (2, 3) and np.array_equal(double(x32), x32 * 2)
assert np.array_equal(double(odd), odd * 2, equal_nan=True) and np.signbit(double(odd)[2])  # bit for bit
assert type(double(np.int16(4))) is np.int16 and double(np.int16(4)) == 8 and double(np.array(True)).shape == ()
assert double(np.array([True, False])).dtype == np.bool_ and double(np.array(["ab"])).tolist() == ["abab"]
assert double(inplace, True) is None and np.array_equal(inplace, np.ones(3))  # changed in place: seen here
""",
)
DOUBLE = """
import numpy as np
def double(x, inplace=False):
    if inplace:
        x += 1
        return None
    if x.dtype.kind in "bU":
        return x if x.dtype.kind == "b" else np.char.multiply(x, 2)
    return x * 2
"""


def test_numpy_arrays_cross_both_ways_as_dtype_shape_and_values():
    """Arguments and results alike: dtype, shape and every bit of the values, NumPy
    scalars as scalars of their own type, and an argument changed in place."""
    result = run_check(DOUBLE, ARRAYS)
    assert result.status == "passed", format_result(result)


FORGED = {
    "object dtype": {"dtype": "|O8", "shape": [1], "data": "AAAAAAAAAAA="},
    "shape and data disagree": {"dtype": "<f8", "shape": [1000], "data": "AAAAAAAAAAA="},
    "negative shape": {"dtype": "<f8", "shape": [-1], "data": "AAAAAAAAAAA="},
    "data not base64": {"dtype": "<f8", "shape": [1], "data": "not base64!"},
    "structured dtype": {"dtype": "[('a', '<f8')]", "shape": [1], "data": "AAAAAAAAAAA="},
}


def test_a_forged_array_arrives_as_an_inert_stand_in():
    """The candidate's process is theirs to rewrite: it can send any message. Only a
    dtype of numbers or text whose shape and data agree becomes an array in the verdict."""
    code = (
        "import __main__, numpy as np\n"
        f"FORGED = {FORGED!r}\n"
        "real = __main__.Codec._encode\n"
        "def forge(self, value):\n"
        "    return {'ndarray': FORGED[value]} if value in FORGED else real(self, value)\n"
        "__main__.Codec._encode = forge\n"
        "def make(which):\n"
        "    return which\n"
    )
    tests = "import numpy as np\n" + "".join(
        f"assert not isinstance(make({name!r}), np.ndarray) and 'not plain data' in repr(make({name!r}))\n"
        for name in FORGED
    )
    check = CodeCheck(entry_point="make", numpy=True, tests=tests)
    result = run_check(code, check)
    assert (result.status, result.tests_passed) == ("passed", len(FORGED)), format_result(result)


def test_numpy_is_the_only_package_of_the_environment_either_process_can_import():
    """NumPy is found by name in its own folder: pydantic, in the same site-packages, stays
    out of reach of the candidate's code and of the check alike."""
    check = CodeCheck(
        entry_point="probe",
        numpy=True,
        tests=(
            "import numpy\n"
            "try:\n    import pydantic\n    CHECK_SEES = True\n"
            "except ImportError:\n    CHECK_SEES = False\n"
            "assert probe() == (True, False) and CHECK_SEES is False"
        ),
    )
    code = (
        "def probe():\n"
        "    import numpy\n"
        "    try:\n"
        "        import pydantic\n"
        "    except ImportError:\n"
        "        return (numpy.ones(2).sum() == 2.0, False)\n"
        "    return (True, True)\n"
    )
    result = run_check(code, check)
    assert result.status == "passed", format_result(result)


def test_without_numpy_a_numpy_task_is_not_run_and_an_import_fails_as_any(monkeypatch):
    from interviewer.coding import sandbox

    monkeypatch.setattr(sandbox, "numpy_folder", lambda: None)
    skipped = run_check(DOUBLE, ARRAYS)
    assert skipped.status == "not-run" and "NumPy" in skipped.summary, format_result(skipped)
    plain = run_check("import numpy\ndef add(a, b):\n    return a + b\n", ADD)
    assert plain.status == "error" and "standard library only)" in plain.summary, plain.summary


@pytest.mark.parametrize(
    ("level", "added"),
    [
        pytest.param(None, [], id="no-level"),
        pytest.param(Level.junior, [], id="junior"),
        pytest.param(Level.senior, ["assert 2"], id="senior"),
        pytest.param(Level.staff, ["assert 2", "assert 3"], id="staff"),
    ],
)
def test_a_level_adds_its_asserts_and_those_of_the_levels_below(level, added):
    check = CodeCheck(
        entry_point="f",
        tests="assert 1\n",
        levels={"senior": "\nassert 2\n", "staff": "assert 3"},
    )
    assert check.tests_for(level).splitlines() == ["assert 1", *added]
