"""Every example in a docstring runs: the ones in tinyframe/ and in the course machinery.

The settings the examples need are the chapters' test settings (see conftest.py).
"""

import doctest
import importlib
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent


def module_names(package: str) -> list[str]:
    """The dotted names of a package's modules, except ``__main__`` (importing it runs it)."""
    names = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__main__" or not all(part.isidentifier() for part in parts):
            continue
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


@pytest.mark.parametrize("module_name", module_names("tinyframe") + module_names("chapters"))
def test_docstring_examples_run(module_name):
    module = importlib.import_module(module_name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for test in finder.find(module, module_name):
        runner.run(test)
    results = runner.summarize(verbose=False)
    assert (
        results.failed == 0
    ), f"{results.failed} of {results.attempted} examples in {module_name} failed (see above)"
