"""Stubbing an exercise changes its body and nothing else."""

import textwrap

import pytest

from chapters.source import definition_source, replace_definition
from chapters.stubs import StubError, extract_solution, starter_files, stub_source, stubbed_definition

SOURCE = textwrap.dedent('''\
    """A module with every kind of target."""

    import functools

    # A comment between definitions, with   odd   spacing.
    TABLE = {"a": 1,  "b": 2}   # trailing comment


    def function(value):
        """Double ``value``."""
        result = value * 2  # body comment
        return result


    class Outer:
        """A class."""

        @property
        def size(self):
            """The size."""
            return 3

        @size.setter
        def size(self, value):
            """Set the size."""
            self._size = value

        @classmethod
        @functools.cache
        def build(cls, *args,
                  **kwargs):
            """Build one.

            Over several lines.
            """
            def helper():
                return cls()
            return helper()

        @staticmethod
        async def fetch():
            """Fetch."""
            return 1

        class Inner:
            """Nested."""

            def method(self):
                """Inner method."""
                return "inner"

    # The end.
    ''')


def stubbed(qualname: str) -> str:
    return stub_source(SOURCE, qualname, "01.9", "do the thing", "tinyframe/example.py")


def changed_lines(before: str, after: str) -> tuple[set[str], set[str]]:
    old, new = before.splitlines(), after.splitlines()
    return set(old) - set(new), set(new) - set(old)


def test_a_function_body_becomes_a_not_implemented_error():
    result = stubbed("function")
    assert (
        'def function(value):\n    """Double ``value``."""\n'
        '    raise NotImplementedError("exercise 01.9: do the thing")\n\n\nclass Outer:' in result
    )
    removed, added = changed_lines(SOURCE, result)
    assert removed == {"    result = value * 2  # body comment", "    return result"}
    assert added == {'    raise NotImplementedError("exercise 01.9: do the thing")'}


def test_every_other_line_is_kept_byte_for_byte():
    result = stubbed("Outer.Inner.method")
    before, after = SOURCE.splitlines(keepends=True), result.splitlines(keepends=True)
    assert len(after) == len(before)
    differences = [(old, new) for old, new in zip(before, after) if old != new]
    assert differences == [
        (
            '            return "inner"\n',
            '            raise NotImplementedError("exercise 01.9: do the thing")\n',
        )
    ]


@pytest.mark.parametrize(
    "qualname, expected_stub",
    [
        ("Outer.size", '        """The size."""\n        raise NotImplementedError'),
        ("Outer.build", '        Over several lines.\n        """\n        raise NotImplementedError'),
        ("Outer.fetch", '        """Fetch."""\n        raise NotImplementedError'),
        ("Outer.Inner.method", '            """Inner method."""\n            raise NotImplementedError'),
    ],
    ids=["property", "classmethod", "staticmethod", "nested-class"],
)
def test_methods_of_every_kind_keep_their_decorators_signature_and_docstring(qualname, expected_stub):
    result = stubbed(qualname)
    assert expected_stub in result
    assert "@classmethod\n    @functools.cache\n    def build(cls, *args,\n              **kwargs):" in result
    compile(result, "example.py", "exec")


def test_a_property_is_stubbed_by_its_getter_and_the_setter_is_kept():
    result = stubbed("Outer.size")
    assert "return 3" not in result
    assert "self._size = value" in result


def test_nested_functions_go_with_the_body():
    result = stubbed("Outer.build")
    assert "def helper" not in result
    assert "return helper()" not in result


def test_the_result_compiles_for_every_target():
    for qualname in ["function", "Outer.size", "Outer.build", "Outer.fetch", "Outer.Inner.method"]:
        compile(stubbed(qualname), "example.py", "exec")


def test_quotes_and_backslashes_in_the_task_are_escaped():
    result = stub_source(SOURCE, "function", "01.9", 'turn "a\\b" into it', "x.py")
    namespace = {}
    exec(compile(result, "x.py", "exec"), namespace)
    with pytest.raises(NotImplementedError) as raised:
        namespace["function"](1)
    assert str(raised.value) == 'exercise 01.9: turn "a\\b" into it'


def test_windows_line_endings_are_kept():
    source = SOURCE.replace("\n", "\r\n")
    result = stub_source(source, "function", "01.9", "do it", "x.py")
    assert 'raise NotImplementedError("exercise 01.9: do it")\r\n' in result
    assert "\n" not in result.replace("\r\n", "")


def test_a_missing_target_is_a_clear_error():
    with pytest.raises(StubError) as raised:
        stub_source(SOURCE, "Outer.missing", "01.3", "task", "tinyframe/http/request.py")
    assert str(raised.value) == "exercise 01.3: no function Outer.missing in tinyframe/http/request.py"


def test_a_class_is_not_a_target():
    with pytest.raises(StubError, match="Outer.Inner in x.py is a class, not a function"):
        stub_source(SOURCE, "Outer.Inner", "01.3", "task", "x.py")


def test_a_target_without_a_docstring_is_an_error():
    with pytest.raises(StubError, match="has no docstring; an exercise's target must have a docstring"):
        stub_source("def f():\n    return 1\n", "f", "01.3", "task", "x.py")


def test_a_one_line_target_is_an_error():
    with pytest.raises(StubError, match="written on one line"):
        stub_source('def f(): "Doc."; return 1\n', "f", "01.3", "task", "x.py")


def test_definition_source_is_dedented_with_decorators():
    assert (
        definition_source(SOURCE, "Outer.fetch")
        == '@staticmethod\nasync def fetch():\n    """Fetch."""\n    return 1\n'
    )


def test_replace_definition_indents_the_new_definition():
    result = replace_definition(
        SOURCE, "Outer.Inner.method", 'def method(self):\n    """New."""\n\n    return 2\n'
    )
    assert '        def method(self):\n            """New."""\n\n            return 2\n\n# The end.' in result


def test_starter_stubs_every_exercise_of_the_chapter_only(fake_course):
    files = starter_files(fake_course, 2)
    assert (
        b'raise NotImplementedError("exercise 02.1: return twice the number")' in files["tinyframe/more.py"]
    )
    greet = files["tinyframe/greet.py"].decode()
    assert "NotImplementedError" not in greet, "chapter 01's exercises come solved in chapter 02's starter"
    assert "def whisper" in greet


def test_starter_of_chapter_one(fake_course):
    greet = starter_files(fake_course, 1)["tinyframe/greet.py"].decode()
    assert greet.count("raise NotImplementedError") == 2
    assert "# A comment that every snapshot keeps." in greet
    assert "whisper" not in greet


def test_extract_solution_is_the_reference_as_of_the_exercise_chapter(fake_course):
    assert extract_solution(fake_course, "01.2") == (
        '@staticmethod\ndef shout(text):\n    """Return ``text`` in capitals, with an exclamation mark."""\n'
        '    return text.upper() + "!"\n'
    )


def test_stubbed_definition_is_the_stub_alone(fake_course):
    exercise = fake_course.exercise("01.1")
    assert stubbed_definition(fake_course, exercise) == (
        'def greet(name):\n    """Return a greeting for ``name``."""\n'
        "    raise NotImplementedError(\"exercise 01.1: return 'Hello, NAME!'\")\n"
    )
