"""Exercises as stubs: the learner's starting point for a chapter.

How it works: ``stub_source`` finds an exercise's function with ``ast``
(``source.find_definition``), keeps its decorators, signature and docstring, and
replaces the lines after the docstring with ``raise NotImplementedError(...)``
naming the exercise and its task. Only those lines change, so every comment and
blank line elsewhere in the file survives byte for byte. ``starter`` applies it
to every exercise of chapter N on top of the snapshot after N, which is what
``python -m chapters start N`` writes; ``extract_solution`` cuts the reference
body back out for ``python -m chapters solution ID``; ``target_problems`` checks
that every exercise's function exists and tells the learner what to do.
"""

import ast
import pathlib
import re
import threading

from chapters.course import Course, Exercise
from chapters.source import DefinitionNotFound, definition_source, find_definition
from chapters.staging import snapshot_files, strip_blocks, write_files

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
# CPython 3.11's ast.parse is not thread-safe ("AST constructor recursion depth
# mismatch"), and tests run the checks of several chapters from threads.
PARSING = threading.Lock()


class StubError(Exception):
    """An exercise's target cannot be stubbed: it is missing, or not a function."""


# How a stub's error shows in a traceback; check uses it to tell a test that
# only waits for an unfinished exercise from one that something broke.
STUB_ERROR = re.compile(r"""NotImplementedError(?:: |\(['"])exercise (\d+\.\d+):""")


def stubbed_exercises(text: str) -> list[str]:
    """The exercises whose stubs raised in a failure's text (a traceback, a message), in order.

    >>> stubbed_exercises("NotImplementedError: exercise 04.5: call... [NotImplementedError('exercise 04.3: call...')]")
    ['04.3', '04.5']
    """
    return sorted(set(STUB_ERROR.findall(text)))


def exception_chain(error: BaseException) -> list[BaseException]:
    """An exception, then its cause, then the cause's cause...: a stub's error may be any of them."""
    chain = []
    while error is not None and error not in chain:
        chain.append(error)
        error = error.__cause__ or error.__context__
    return chain


def describe(error: BaseException) -> str:
    """An exception as the last line Python prints for it: ``NotImplementedError: exercise 03.4: ...``."""
    return f"{type(error).__name__}: {error}"


def is_stub(node: ast.FunctionDef, exercise_id: str) -> bool:
    """Whether a function's body is still exercise ``exercise_id``'s stub: a docstring, then the raise.

    >>> source = stub_source("def f():\\n    'Do it.'\\n    return 1\\n", "f", "01.1", "do it")
    >>> tree = ast.parse(source)
    >>> is_stub(tree.body[0], "01.1"), is_stub(tree.body[0], "01.2")
    (True, False)
    """
    if len(node.body) != 2 or not isinstance(node.body[1], ast.Raise):
        return False
    error = node.body[1].exc
    return (
        isinstance(error, ast.Call)
        and isinstance(error.func, ast.Name)
        and error.func.id == "NotImplementedError"
        and len(error.args) == 1
        and isinstance(error.args[0], ast.Constant)
        and str(error.args[0].value).startswith(f"exercise {exercise_id}:")
    )


def unwritten_exercises(root: pathlib.Path, exercises: list[Exercise]) -> frozenset[str]:
    """The ids of ``exercises`` whose function in the implementation under ``root`` is still a stub.

    A file that is missing or does not parse, or a function that is gone, is
    not a stub: it is the learner's own code, and the tests will say what is wrong.
    """
    unwritten = set()
    trees: dict[str, ast.Module | None] = {}
    for exercise in exercises:
        if exercise.path not in trees:
            try:
                source = (root / exercise.path).read_bytes()
                with PARSING:
                    trees[exercise.path] = ast.parse(source)
            except (OSError, SyntaxError, ValueError):
                trees[exercise.path] = None
        tree = trees[exercise.path]
        if tree is None:
            continue
        try:
            node = find_definition(tree, exercise.qualname)
        except DefinitionNotFound:
            continue
        if isinstance(node, FUNCTIONS) and is_stub(node, exercise.id):
            unwritten.add(exercise.id)
    return frozenset(unwritten)


def stub_source(source: str, qualname: str, exercise_id: str, task: str, path: str = "<source>") -> str:
    """``source`` with the body of ``qualname`` replaced by a ``NotImplementedError``.

    >>> source = '''class Greeter:
    ...     def greet(self, name):
    ...         \"\"\"Say hello to ``name``.\"\"\"
    ...         # a comment in the body goes too
    ...         return f"Hello, {name}!"
    ...
    ...     # this comment stays
    ... '''
    >>> print(stub_source(source, "Greeter.greet", "01.1", "return a greeting"), end="")
    class Greeter:
        def greet(self, name):
            \"\"\"Say hello to ``name``.\"\"\"
            raise NotImplementedError("exercise 01.1: return a greeting")
    <BLANKLINE>
        # this comment stays
    """
    node = function_node(source, qualname, exercise_id, path)
    docstring = node.body[0]
    lines = source.splitlines(keepends=True)
    first_line = lines[docstring.lineno - 1]
    indent = first_line[: len(first_line) - len(first_line.lstrip())]
    newline = "\r\n" if first_line.endswith("\r\n") else "\n"
    message = python_string(f"exercise {exercise_id}: {task}")
    stub = f"{indent}raise NotImplementedError({message}){newline}"
    return "".join(lines[: docstring.end_lineno]) + stub + "".join(lines[node.end_lineno :])


def function_node(source: str, qualname: str, exercise_id: str, path: str) -> ast.FunctionDef:
    """The exercise's function, checked to be a function with a docstring."""
    try:
        node = find_definition(ast.parse(source, path), qualname)
    except DefinitionNotFound:
        raise StubError(f"exercise {exercise_id}: no function {qualname} in {path}") from None
    if not isinstance(node, FUNCTIONS):
        raise StubError(f"exercise {exercise_id}: {qualname} in {path} is a class, not a function")
    if ast.get_docstring(node) is None:
        raise StubError(
            f"exercise {exercise_id}: {qualname} in {path} has no docstring; an exercise's "
            "target must have a docstring telling the learner what to do"
        )
    if node.body[0].lineno == node.lineno:
        raise StubError(
            f"exercise {exercise_id}: {qualname} in {path} is written on one line; "
            "put its docstring on a line of its own"
        )
    return node


def python_string(text: str) -> str:
    """A double-quoted Python string literal for ``text``.

    >>> print(python_string('say "hi" \\\\ bye'))
    "say \\"hi\\" \\\\ bye"
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def stub_exercises(source: str, exercises: list[Exercise]) -> str:
    """``source`` with every one of ``exercises`` (all in this file) stubbed."""
    for exercise in exercises:
        source = stub_source(source, exercise.qualname, exercise.id, exercise.task, exercise.path)
    return source


def starter_files(course: Course, number: int) -> dict[str, bytes]:
    """The files of a new workspace for chapter ``number``, by relative path.

    That is the snapshot after ``number - 1`` (earlier chapters solved) plus
    chapter ``number``'s files with every one of its exercises stubbed.
    """
    chapter = course.chapter(number)
    files = snapshot_files(course, chapter.number)
    for path in chapter.files:
        exercises = [exercise for exercise in chapter.exercises if exercise.path == path]
        if exercises:
            source = files[path].decode("utf-8")
            files[path] = stub_exercises(source, exercises).encode("utf-8")
    return files


def starter(course: Course, number: int, destination: str | pathlib.Path) -> list[pathlib.Path]:
    """Write the starting point of chapter ``number`` into ``destination/tinyframe/``."""
    return write_files(starter_files(course, number), destination)


def staged_source(course: Course, exercise: Exercise) -> str:
    """The reference text of an exercise's file as it stands after its chapter."""
    text = (course.root / exercise.path).read_text(encoding="utf-8")
    return strip_blocks(text, exercise.chapter_number, exercise.path)


def extract_solution(course: Course, exercise_id: str) -> str:
    """The reference source of an exercise's function, as it stands after its chapter."""
    exercise = course.exercise(exercise_id)
    source = staged_source(course, exercise)
    function_node(source, exercise.qualname, exercise.id, exercise.path)
    return definition_source(source, exercise.qualname)


def stubbed_definition(course: Course, exercise: Exercise) -> str:
    """The stub of one exercise's function alone, dedented: what ``reset`` puts back."""
    source = staged_source(course, exercise)
    stubbed = stub_source(source, exercise.qualname, exercise.id, exercise.task, exercise.path)
    return definition_source(stubbed, exercise.qualname)


def target_problems(course: Course) -> list[str]:
    """What is wrong with the files and exercise targets the manifests name (empty: nothing)."""
    problems = []
    for chapter in course.chapters:
        for path in chapter.files:
            if not (course.root / path).is_file():
                problems.append(f"{chapter.slug}: {path} is listed in files but does not exist")
        for exercise in chapter.exercises:
            if not (course.root / exercise.path).is_file():
                continue
            try:
                function_node(staged_source(course, exercise), exercise.qualname, exercise.id, exercise.path)
            except (StubError, SyntaxError) as error:
                problems.append(f"{chapter.slug}: {error}")
    return problems
