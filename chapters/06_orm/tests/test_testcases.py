"""Chapter 06 tests: the database test cases, run as a user's test suite would run them.

Each test builds a small ``unittest`` suite inside a function (so that pytest
does not collect it on its own), runs it with ``run_suite`` and then checks
what the suite saw and what it left in the database.
"""

import unittest

import pytest

from tinyframe.db import connection, models, transaction
from tinyframe.test import TestCase, TransactionTestCase
from tinyframe.test.utils import CaptureQueriesContext


class Gadget(models.Model):
    name = models.CharField(max_length=50)
    tags = models.JSONField(default=list)

    class Meta:
        app_label = "testcases_app"


def run_suite(case_class) -> unittest.TestResult:
    """Run every test of ``case_class``, in name order; return the result.

    An inner test that reached an exercise not written yet raises its stub's
    error here, so that this test waits for the exercise instead of failing.
    """
    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(case_class).run(result)
    for _, trace in result.errors + result.failures:
        for line in trace.splitlines():
            if line.startswith("NotImplementedError: exercise "):
                raise NotImplementedError(line.removeprefix("NotImplementedError: "))
    return result


def assert_all_passed(result: unittest.TestResult) -> None:
    problems = [f"{test.id()}:\n{trace}" for test, trace in result.errors + result.failures]
    assert not problems, "the inner suite should pass, but:\n" + "\n".join(problems)


def names() -> list[str]:
    return list(Gadget.objects.order_by("id").values_list("name", flat=True))


def test_test_case_and_transaction_test_case_are_exported_from_tinyframe_test():
    import tinyframe.test

    assert {"TestCase", "TransactionTestCase"} <= set(tinyframe.test.__all__)
    assert issubclass(TestCase, TransactionTestCase)


def test_test_case_rolls_back_each_test_and_the_class_data_after_the_last(tables):
    tables(Gadget)
    Gadget.objects.create(name="from before the suite")
    seen = {}

    class GadgetTests(TestCase):
        @classmethod
        def setUpTestData(cls):
            Gadget.objects.create(name="class data")

        def setUp(self):
            Gadget.objects.create(name="from setUp")

        def test_a(self):
            Gadget.objects.create(name="made by test_a")
            seen["a"] = names()

        def test_b(self):
            seen["b"] = names()

    result = run_suite(GadgetTests)

    assert_all_passed(result)
    assert seen == {
        "a": ["from before the suite", "class data", "from setUp", "made by test_a"],
        "b": ["from before the suite", "class data", "from setUp"],
    }, "each test should see the class's data and its own, never another test's"
    assert names() == ["from before the suite"], "after the suite only the rows from before it should remain"
    assert not connection.in_atomic_block, "the suite should leave no atomic block open"


def test_set_up_test_data_objects_are_copied_for_each_test(tables):
    tables(Gadget)
    seen = []

    class CopyTests(TestCase):
        @classmethod
        def setUpTestData(cls):
            cls.gadget = Gadget.objects.create(name="lamp", tags=["light"])
            cls.same_gadget = cls.gadget
            cls.label = "fixed"

        def test_a_changes_its_copy(self):
            self.gadget.name = "renamed"
            self.gadget.tags.append("changed")
            self.gadget.save()
            seen.append((self.gadget.name, self.gadget.tags, self.same_gadget is self.gadget))

        def test_b_sees_the_original(self):
            seen.append((self.gadget.name, self.gadget.tags, Gadget.objects.get().name))

    result = run_suite(CopyTests)

    assert_all_passed(result)
    assert seen == [
        ("renamed", ["light", "changed"], True),
        ("lamp", ["light"], "lamp"),
    ], "test_b should read the original object and row, and in test_a two names for one object stay one object"
    assert CopyTests.gadget.name == "lamp", "read on the class, the attribute is the original object"
    assert CopyTests.label == "fixed"


def test_a_failing_set_up_test_data_rolls_back_and_reports_the_error(tables):
    tables(Gadget)

    class BrokenSetUp(TestCase):
        @classmethod
        def setUpTestData(cls):
            Gadget.objects.create(name="half done")
            raise ValueError("no data today")

        def test_never_runs(self):
            raise AssertionError("a test ran although its class could not be set up")

    result = run_suite(BrokenSetUp)

    assert len(result.errors) == 1 and "ValueError: no data today" in result.errors[0][1], result.errors
    assert names() == [], "the rows setUpTestData made before failing should be rolled back"
    assert not connection.in_atomic_block


def test_transaction_test_case_keeps_what_its_tests_commit(tables):
    tables(Gadget)
    committed = []

    class CommittingTests(TransactionTestCase):
        def test_commit(self):
            with transaction.atomic():
                Gadget.objects.create(name="kept")
                transaction.on_commit(lambda: committed.append("ran"))

    assert_all_passed(run_suite(CommittingTests))
    assert names() == ["kept"], "TransactionTestCase rolls nothing back (and, unlike Django's, flushes nothing)"
    assert committed == ["ran"], "a real commit runs the on_commit callbacks"


def test_assert_num_queries_passes_in_both_forms(tables):
    tables(Gadget)

    class CountingTests(TestCase):
        def test_with_block(self):
            with self.assertNumQueries(2):
                Gadget.objects.create(name="one")
                Gadget.objects.count()

        def test_call_form(self):
            self.assertNumQueries(1, Gadget.objects.create, name="two")

        def test_nothing(self):
            with self.assertNumQueries(0):
                pass

    assert_all_passed(run_suite(CountingTests))


def test_assert_num_queries_failure_lists_the_queries_as_django_does(tables):
    tables(Gadget)

    class WrongCount(TestCase):
        def test_too_many(self):
            with self.assertNumQueries(1):
                Gadget.objects.filter(name="a").count()
                Gadget.objects.filter(name="b").exists()

    result = run_suite(WrongCount)

    assert len(result.failures) == 1, result.errors
    message = result.failures[0][1].rstrip().split("AssertionError: ", 1)[1]
    table = '"testcases_app_gadget"'
    assert message == (
        "2 != 1 : 2 queries executed, 1 expected\n"
        "Captured queries were:\n"
        f"1. SELECT COUNT(*) AS \"__count\" FROM {table} WHERE {table}.\"name\" = 'a'\n"
        f"2. SELECT 1 AS \"a\" FROM {table} WHERE {table}.\"name\" = 'b' LIMIT 1"
    )


def test_assert_num_queries_lets_an_exception_from_the_block_through(tables):
    tables(Gadget)

    class Raising(TestCase):
        def test_raises(self):
            with self.assertNumQueries(5):
                Gadget.objects.count()
                raise KeyError("the block's own error")

    result = run_suite(Raising)

    assert result.failures == [], "the count should not be checked when the block raised"
    assert len(result.errors) == 1 and "KeyError: \"the block's own error\"" in result.errors[0][1]


def test_capture_queries_context_records_only_the_block_whatever_debug_says(tables):
    tables(Gadget)
    Gadget.objects.create(name="before")
    with CaptureQueriesContext(connection) as captured:
        assert connection.force_debug_cursor is True, "the connection should log while the block runs"
        Gadget.objects.create(name="inside")
        assert len(captured) == 1, "captured_queries should grow while the block runs"
        list(Gadget.objects.all())

    assert connection.force_debug_cursor is False, "the flag should be put back after the block"
    assert len(captured) == 2
    assert captured[0]["sql"].startswith('INSERT INTO "testcases_app_gadget"')
    assert [query["sql"] for query in captured] == [query["sql"] for query in captured.captured_queries]
    assert captured[-1]["sql"].startswith('SELECT "testcases_app_gadget"."id"'), captured[-1]
    assert set(captured[0]) == {"sql", "time"}
    Gadget.objects.count()
    assert len(captured) == 2, "queries after the block should not be counted"


def test_capture_on_commit_callbacks_collects_and_can_run_them(tables):
    tables(Gadget)
    calls = []

    class CallbackTests(TestCase):
        def test_captured_not_run(self):
            transaction.on_commit(lambda: calls.append("registered before the block"))
            with self.captureOnCommitCallbacks() as callbacks:
                transaction.on_commit(lambda: calls.append("first"))
            self.assertEqual(len(callbacks), 1)
            self.assertEqual(calls, [])

        def test_executed_with_the_ones_they_register(self):
            def first():
                calls.append("first")
                transaction.on_commit(lambda: calls.append("registered by first"))

            with self.captureOnCommitCallbacks(execute=True) as callbacks:
                transaction.on_commit(first)
                transaction.on_commit(lambda: calls.append("second"))
            self.assertEqual(len(callbacks), 3)
            self.assertEqual(calls, ["first", "second", "registered by first"])

    assert_all_passed(run_suite(CallbackTests))
    assert calls == ["first", "second", "registered by first"], "rolled back, a TestCase runs no callback itself"


def test_capture_on_commit_callbacks_takes_using_and_execute_by_keyword_only():
    with pytest.raises(TypeError):
        with TestCase.captureOnCommitCallbacks("default"):
            pass
