"""Every exercise is honestly tested: its tests pass on the reference and fail on its stub.

Each exercise has at least three marked tests (its ordinary case, an edge case,
its error path). One pytest subprocess per exercise (run side by side, see ``honesty_results``)
tests the whole reference framework with only that exercise stubbed, keeping the
tests marked with it (``--exercise ID``). At least one must fail, or a learner
could pass the exercise without writing it.
"""

import pathlib

import pytest

from chapters.course import Course
from chapters.ordering import MINIMUM_TESTS

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXERCISES = [exercise.id for exercise in Course(ROOT).exercises()]


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_the_reference_passes_the_tests_marked_with_the_exercise(course, staging_results, exercise_id):
    results = staging_results[course.last.number]
    tests = results.for_exercise(exercise_id)
    assert tests, f"no test is marked @pytest.mark.exercise({exercise_id!r}); mark the tests that check it"
    count = len({test.nodeid for test in tests})
    assert count >= MINIMUM_TESTS, (
        f"exercise {exercise_id} has {count} marked tests; it needs at least {MINIMUM_TESTS}: "
        "its ordinary case, an edge case, and its error path where it has one"
    )
    failing = [f"{test.nodeid}: {test.message}" for test in tests if test.failed]
    assert not failing, f"the reference fails tests of exercise {exercise_id}:\n" + "\n".join(failing)


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_stubbing_the_exercise_makes_one_of_its_tests_fail(course, honesty_results, exercise_id):
    results = honesty_results[exercise_id]
    exercise = course.exercise(exercise_id)
    assert results.tests, f"no test marked with exercise {exercise_id} ran:\n{results.output[-2000:]}"
    assert results.failures(), (
        f"with {exercise.target} stubbed, all {len(results.tests)} tests marked {exercise_id} still pass: "
        "they do not test the exercise"
    )
    wrong = [
        test
        for test in results.failures()
        if "NotImplementedError" not in test.message and exercise_id not in test.message
    ]
    assert len(wrong) < len(results.failures()), (
        f"the tests of {exercise_id} fail on its stub, but none for the right reason (the stub's "
        f"NotImplementedError): {[test.message for test in wrong][:3]}"
    )
