"""Every chapter's exercises can be solved one by one, in the manifest's order.

For each chapter, ``chapters.ordering`` writes the implementation a learner has
after each exercise (1..k written, the rest stubs) and runs the chapter's tests
on it: every test marked only with written exercises passes, each written
exercise turns ✓ with at least three tests of its own, no test module fails to
load, and every failing test waits for an exercise not yet written. The steps
of a chapter run side by side; this holds for every chapter added later too.
"""

import pytest

from chapters.course import Course
from chapters.ordering import order_problems
from chapters.runner import MACHINERY_ROOT

CHAPTERS = [chapter.number for chapter in Course(MACHINERY_ROOT).chapters]


@pytest.mark.slow
@pytest.mark.parametrize("number", CHAPTERS)
def test_the_exercises_can_be_solved_in_order(course, number, tmp_path):
    problems = order_problems(course, number, tmp_path)
    assert not problems, f"chapter {number:02d} cannot be solved in order:\n" + "\n".join(problems[:20])
