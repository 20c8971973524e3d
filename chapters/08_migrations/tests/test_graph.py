"""The migration graph: plans in dependency order, leaves and roots, missing nodes and cycles.

The graph needs no database and no migration files: keys are ``(app_label,
name)`` pairs and the "migrations" can be any object, so these tests build
graphs directly. Orders and messages were checked against Django 5.2's
``MigrationGraph`` on the same graphs.
"""

import pytest

from tinyframe.db.migrations.exceptions import CircularDependencyError, NodeNotFoundError
from tinyframe.db.migrations.graph import DummyNode, MigrationGraph, Node


class FakeMigration:
    """What the graph needs of a migration: a name for messages."""

    def __init__(self, key):
        self.app_label, self.name = key

    def __str__(self):
        return f"{self.app_label}.{self.name}"


def graph_of(edges: dict) -> MigrationGraph:
    """A graph from ``{"app.name": ["app.dependency", ...]}``; every name mentioned becomes a node."""
    graph = MigrationGraph()
    keys = {name for child, parents in edges.items() for name in [child, *parents]}
    for name in sorted(keys):
        key = tuple(name.split("."))
        graph.add_node(key, FakeMigration(key))
    for child, parents in edges.items():
        for parent in parents:
            graph.add_dependency(child, tuple(child.split(".")), tuple(parent.split(".")))
    return graph


def names(plan) -> list[str]:
    return [f"{app}.{name}" for app, name in plan]


# -- forwards_plan (exercise 08.2: iterative_dfs) ---------------------------------------------------


@pytest.mark.exercise("08.2")
def test_forwards_plan_of_a_chain_lists_every_dependency_first_and_the_target_last():
    graph = graph_of({"blog.0002": ["blog.0001"], "blog.0003": ["blog.0002"], "blog.0004": ["blog.0003"]})

    plan = graph.forwards_plan(("blog", "0003"))

    assert names(plan) == ["blog.0001", "blog.0002", "blog.0003"], (
        "forwards_plan(('blog', '0003')) should list 0001 and 0002 before 0003, and nothing after it"
    )


@pytest.mark.exercise("08.2")
def test_forwards_plan_of_a_first_migration_is_itself():
    graph = graph_of({"blog.0002": ["blog.0001"]})

    assert graph.forwards_plan(("blog", "0001")) == [("blog", "0001")]


@pytest.mark.exercise("08.2")
def test_forwards_plan_explores_siblings_from_the_greatest_key_as_django_does():
    graph = graph_of({"blog.0002": ["blog.0001", "shop.0001"], "shop.0001": ["auth.0001"]})

    plan = graph.forwards_plan(("blog", "0002"))

    assert names(plan) == ["auth.0001", "shop.0001", "blog.0001", "blog.0002"], (
        "a node's parents are explored greatest key first (shop before blog), each with its own "
        "dependencies before it"
    )


@pytest.mark.exercise("08.2")
def test_forwards_plan_lists_a_shared_dependency_once_before_both_that_need_it():
    # A diamond: 0004 needs 0002 and 0003, which both need 0001.
    graph = graph_of({
        "blog.0002": ["blog.0001"], "blog.0003": ["blog.0001"], "blog.0004": ["blog.0002", "blog.0003"],
    })

    plan = graph.forwards_plan(("blog", "0004"))

    assert names(plan) == ["blog.0001", "blog.0003", "blog.0002", "blog.0004"]


@pytest.mark.exercise("08.2")
def test_forwards_plan_puts_every_migration_after_its_dependencies_in_a_wider_graph():
    edges = {
        "blog.0002": ["blog.0001", "auth.0001"], "blog.0003": ["blog.0002", "shop.0002"],
        "shop.0002": ["shop.0001", "auth.0002"], "auth.0002": ["auth.0001"], "shop.0001": ["auth.0001"],
    }
    graph = graph_of(edges)

    plan = names(graph.forwards_plan(("blog", "0003")))

    assert plan == ["auth.0001", "shop.0001", "auth.0002", "shop.0002", "blog.0001", "blog.0002", "blog.0003"]
    for child, parents in edges.items():
        for parent in parents:
            assert plan.index(parent) < plan.index(child), f"{child} is planned before its dependency {parent}"


def test_forwards_plan_of_an_unknown_target_is_node_not_found_naming_it():
    graph = graph_of({"blog.0002": ["blog.0001"]})

    with pytest.raises(NodeNotFoundError) as error:
        graph.forwards_plan(("blog", "0009"))

    assert str(error.value) == "Node ('blog', '0009') not a valid node"
    assert error.value.node == ("blog", "0009")


class WatchedParents(set):
    """A node's parents that stop a walk going round a cycle for ever (and filling the memory) with a clear message."""

    reads = 0

    def __iter__(self):
        WatchedParents.reads += 1
        if WatchedParents.reads > 1000:
            WatchedParents.reads = float("-inf")  # stop once: pytest reads them again to show them
            raise AssertionError(
                "forwards_plan read the parents of a 4-migration graph over 1,000 times: it goes round the cycle "
                "for ever. Keep the nodes on the path being walked, and stop when a parent is one of them."
            )
        return super().__iter__()


@pytest.mark.exercise("08.2")
def test_forwards_plan_refuses_a_cycle_naming_its_migrations():
    graph = graph_of({"blog.0001": ["blog.0003"], "blog.0002": ["blog.0001"], "blog.0003": ["blog.0002"],
                      "blog.0004": ["blog.0003"]})
    WatchedParents.reads = 0
    for node in graph.node_map.values():
        node.parents = WatchedParents(node.parents)

    with pytest.raises(CircularDependencyError) as error:
        graph.forwards_plan(("blog", "0004"))

    assert str(error.value) == "blog.0001, blog.0002, blog.0003", (
        "the cycle's migrations in applying order: each depends on the one before it, the first on the last"
    )


@pytest.mark.exercise("08.2")
def test_forwards_plan_of_thousands_of_migrations_needs_no_recursion():
    graph = MigrationGraph()
    keys = [("blog", f"{number:04d}") for number in range(1, 3001)]
    for key in keys:
        graph.add_node(key, None)
    for parent, child in zip(keys, keys[1:]):
        graph.add_dependency("test", child, parent, skip_validation=True)

    assert graph.forwards_plan(keys[-1]) == keys


# -- backwards_plan, leaves and roots ------------------------------------------------------


@pytest.mark.exercise("08.2")
def test_backwards_plan_lists_what_depends_on_the_target_first_and_the_target_last():
    graph = graph_of({"blog.0002": ["blog.0001"], "blog.0003": ["blog.0002"], "shop.0001": ["blog.0002"]})

    assert names(graph.backwards_plan(("blog", "0002"))) == ["shop.0001", "blog.0003", "blog.0002"]
    with pytest.raises(NodeNotFoundError, match=r"^Node \('blog', 'nope'\) not a valid node$"):
        graph.backwards_plan(("blog", "nope"))


def test_leaf_and_root_nodes_ignore_dependencies_on_other_apps():
    graph = graph_of({"blog.0002": ["blog.0001", "shop.0001"], "shop.0002": ["shop.0001", "blog.0002"]})

    assert graph.leaf_nodes() == [("blog", "0002"), ("shop", "0002")]
    assert graph.root_nodes() == [("blog", "0001"), ("shop", "0001")]
    assert graph.leaf_nodes("shop") == [("shop", "0002")]
    assert graph.root_nodes("blog") == [("blog", "0001")]


def test_two_leaves_in_one_app_are_both_listed():
    graph = graph_of({"blog.0002_a": ["blog.0001"], "blog.0002_b": ["blog.0001"]})

    assert graph.leaf_nodes("blog") == [("blog", "0002_a"), ("blog", "0002_b")]


def test_graph_describes_itself_with_its_sizes():
    graph = graph_of({"blog.0002": ["blog.0001"], "blog.0003": ["blog.0002", "blog.0001"]})

    assert str(graph) == "Graph: 3 nodes, 3 edges"
    assert repr(graph) == "<MigrationGraph: nodes=3, edges=3>"
    assert ("blog", "0002") in graph and ("blog", "0009") not in graph
    assert repr(graph.node_map[("blog", "0001")]) == "<Node: ('blog', '0001')>"


def test_nodes_sort_and_compare_by_key():
    first, second = Node(("blog", "0001")), Node(("blog", "0002"))

    assert sorted([second, first]) == [first, second]
    assert first == ("blog", "0001") and first != second
    assert first[0] == "blog" and str(first) == "('blog', '0001')"


# -- missing nodes, duplicates and cycles ---------------------------------------------------


def test_a_dependency_on_a_missing_migration_names_it_and_the_migration_asking():
    graph = MigrationGraph()
    graph.add_node(("blog", "0002"), FakeMigration(("blog", "0002")))

    with pytest.raises(NodeNotFoundError) as error:
        graph.add_dependency("blog.0002", ("blog", "0002"), ("blog", "0001"))

    assert str(error.value) == "Migration blog.0002 dependencies reference nonexistent parent node ('blog', '0001')"
    assert error.value.origin == "blog.0002" and error.value.node == ("blog", "0001")
    assert isinstance(graph.node_map[("blog", "0001")], DummyNode)


def test_a_run_before_on_a_missing_migration_names_the_missing_child():
    graph = MigrationGraph()
    graph.add_node(("blog", "0001"), None)
    graph.add_dependency("blog.0001", ("shop", "0001"), ("blog", "0001"), skip_validation=True)

    with pytest.raises(NodeNotFoundError, match=r"nonexistent child node \('shop', '0001'\)$"):
        graph.validate_consistency()


def test_a_key_can_be_added_once():
    graph = graph_of({"blog.0002": ["blog.0001"]})

    with pytest.raises(ValueError, match=r"^Migration blog\.0001 is already in the graph\.$"):
        graph.add_node(("blog", "0001"), None)


def test_ensure_not_cyclic_names_the_cycle_in_applying_order():
    graph = MigrationGraph()
    for key in [("blog", "0001"), ("blog", "0002"), ("shop", "0001")]:
        graph.add_node(key, None)
    graph.add_dependency("x", ("blog", "0002"), ("blog", "0001"))
    graph.add_dependency("x", ("shop", "0001"), ("blog", "0002"))
    graph.ensure_not_cyclic()  # no cycle yet
    graph.add_dependency("x", ("blog", "0001"), ("shop", "0001"))

    with pytest.raises(CircularDependencyError) as error:
        graph.ensure_not_cyclic()

    assert str(error.value) == "blog.0001, blog.0002, shop.0001"


# -- squashed migrations -----------------------------------------------------------------


def test_a_replacement_takes_the_place_and_the_edges_of_the_migrations_it_replaces():
    graph = graph_of({"blog.0002": ["blog.0001"], "blog.0003": ["blog.0002"], "shop.0001": ["blog.0002"]})
    graph.add_node(("blog", "0001_squashed_0002"), None)

    graph.remove_replaced_nodes(("blog", "0001_squashed_0002"), [("blog", "0001"), ("blog", "0002")])

    assert names(graph.forwards_plan(("shop", "0001"))) == ["blog.0001_squashed_0002", "shop.0001"]
    assert names(graph.forwards_plan(("blog", "0003"))) == ["blog.0001_squashed_0002", "blog.0003"]
    assert ("blog", "0001") not in graph


def test_removing_a_replacement_gives_its_children_back_to_the_last_replaced_migration():
    graph = graph_of({"blog.0002": ["blog.0001"], "blog.0003": ["blog.0001_squashed_0002"]})

    graph.remove_replacement_node(("blog", "0001_squashed_0002"), [("blog", "0001"), ("blog", "0002")])

    assert names(graph.forwards_plan(("blog", "0003"))) == ["blog.0001", "blog.0002", "blog.0003"]


@pytest.mark.parametrize("method, message", [
    ("remove_replaced_nodes", "Unable to find replacement node ('blog', 'nope'). It was either never added to "
                              "the migration graph, or has been removed."),
    ("remove_replacement_node", "Unable to remove replacement node ('blog', 'nope'). It was either never "
                                "added to the migration graph, or has been removed already."),
])
def test_an_unknown_replacement_is_node_not_found(method, message):
    graph = graph_of({"blog.0002": ["blog.0001"]})

    with pytest.raises(NodeNotFoundError) as error:
        getattr(graph, method)(("blog", "nope"), [("blog", "0001")])

    assert str(error.value) == message


def test_a_replacement_in_the_middle_takes_the_edges_from_before_and_after():
    graph = graph_of({"blog.0002": ["blog.0001"], "blog.0003": ["blog.0002"], "blog.0004": ["blog.0003"],
                      "blog.0002_squashed_0003": ["blog.0001"]})

    graph.remove_replaced_nodes(("blog", "0002_squashed_0003"), [("blog", "0002"), ("blog", "0003"), ("blog", "0099")])

    assert names(graph.forwards_plan(("blog", "0004"))) == ["blog.0001", "blog.0002_squashed_0003", "blog.0004"]

    graph = graph_of({"blog.0002": ["blog.0001"], "blog.0003": ["blog.0002"], "blog.0004": ["blog.0002_squashed_0003"],
                      "blog.0002_squashed_0003": ["blog.0001"]})
    graph.remove_replacement_node(("blog", "0002_squashed_0003"), [("blog", "0002"), ("blog", "0003")])

    assert names(graph.forwards_plan(("blog", "0004"))) == ["blog.0001", "blog.0002", "blog.0003", "blog.0004"]
    assert graph.leaf_nodes() == [("blog", "0004")]


def test_the_state_of_no_migrations_is_empty():
    state = MigrationGraph().make_state()

    assert state.models == {} and state.real_apps == set()
