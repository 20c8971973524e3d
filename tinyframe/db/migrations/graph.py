"""The migration graph: every migration of every app, and which ones each depends on.

How it works: the loader adds one node per migration file
(``add_node(("blog", "0002_post_slug"), migration)``) and one edge per
dependency (``add_dependency(migration, child, parent)``: the child needs the
parent applied first). A dependency on a migration that was never added
leaves a ``DummyNode`` standing in for it, and ``validate_consistency`` turns
the first of those into a ``NodeNotFoundError`` naming the migration that
asked for it. Then the questions the rest of the machinery asks are walks
over the edges: ``forwards_plan(target)`` lists what must be applied, in
order, to reach ``target`` (parents first); ``backwards_plan(target)`` what
must be unapplied to remove it (children first), the same depth-first walk
(``iterative_dfs``) in the two directions; ``leaf_nodes()`` are each
app's newest migrations and ``root_nodes()`` its first; ``make_state(nodes)``
replays the plan's operations into a ``ProjectState``, the models as they
were after those migrations, without touching a database.

Numbers in migration names mean nothing to the graph: ``0003`` comes after
``0002`` only because it says so in its ``dependencies``.

>>> graph = MigrationGraph()
>>> for key in [("blog", "0001_initial"), ("blog", "0002_post_slug"), ("shop", "0001_initial")]:
...     graph.add_node(key, None)
>>> graph.add_dependency("blog.0002", ("blog", "0002_post_slug"), ("blog", "0001_initial"))
>>> graph.add_dependency("blog.0002", ("blog", "0002_post_slug"), ("shop", "0001_initial"))
>>> graph.forwards_plan(("blog", "0002_post_slug"))
[('shop', '0001_initial'), ('blog', '0001_initial'), ('blog', '0002_post_slug')]
>>> graph.leaf_nodes()
[('blog', '0002_post_slug'), ('shop', '0001_initial')]
"""

from functools import total_ordering

from tinyframe.db.migrations.exceptions import CircularDependencyError, NodeNotFoundError

__all__ = ["DummyNode", "MigrationGraph", "Node"]


@total_ordering
class Node:
    """One migration in the graph: its ``(app_label, name)`` key and the nodes on either side of it.

    ``parents`` are the migrations it depends on, ``children`` those that
    depend on it. Nodes compare and sort by their key, so a walk that sorts
    its neighbours visits them in the same order on every run.
    """

    def __init__(self, key: tuple[str, str]):
        self.key = key
        self.children: set[Node] = set()
        self.parents: set[Node] = set()

    def __eq__(self, other):
        return self.key == (other.key if isinstance(other, Node) else other)

    def __lt__(self, other):
        return self.key < (other.key if isinstance(other, Node) else other)

    def __hash__(self):
        return hash(self.key)

    def __getitem__(self, index):
        return self.key[index]

    def __str__(self):
        return str(self.key)

    def __repr__(self):
        return f"<{type(self).__name__}: ({self.key[0]!r}, {self.key[1]!r})>"

    def add_child(self, child: "Node") -> None:
        self.children.add(child)

    def add_parent(self, parent: "Node") -> None:
        self.parents.add(parent)


class DummyNode(Node):
    """A stand-in for a migration something depends on but that no file provides.

    It keeps the message to raise if it is still there once every file is
    loaded (a later replacement may fill the gap first).
    """

    def __init__(self, key: tuple[str, str], origin, error_message: str):
        super().__init__(key)
        self.origin = origin
        self.error_message = error_message

    def raise_error(self):
        raise NodeNotFoundError(self.error_message, self.key, origin=self.origin)


def label(key) -> str:
    """``("blog", "0001_initial")`` → ``"blog.0001_initial"``, as messages name migrations."""
    return f"{key[0]}.{key[1]}"


class MigrationGraph:
    """The directed graph of every migration in a project, each edge a dependency.

    ``nodes`` maps each key to its ``Migration`` object; ``node_map`` maps it
    to its ``Node``, which holds the edges.
    """

    def __init__(self):
        self.node_map: dict[tuple[str, str], Node] = {}
        self.nodes: dict[tuple[str, str], object] = {}

    def add_node(self, key: tuple[str, str], migration) -> None:
        """Add the migration ``migration`` under ``key``; a key can be added once."""
        if key in self.node_map:
            raise ValueError(f"Migration {label(key)} is already in the graph.")
        self.node_map[key] = Node(key)
        self.nodes[key] = migration

    def add_dummy_node(self, key: tuple[str, str], origin, error_message: str) -> None:
        """Stand in for a missing migration until ``validate_consistency`` (see ``DummyNode``)."""
        self.node_map[key] = DummyNode(key, origin, error_message)
        self.nodes[key] = None

    def add_dependency(self, migration, child: tuple[str, str], parent: tuple[str, str],
                       skip_validation: bool = False) -> None:
        """Record that ``child`` depends on ``parent`` (``migration`` declared it, for the error message).

        A key the graph does not have becomes a ``DummyNode``; unless
        ``skip_validation``, it is reported at once. The loader skips the
        check while adding edges and validates once at the end.
        """
        for key, role in ((child, "child"), (parent, "parent")):
            if key not in self.nodes:
                message = f"Migration {migration} dependencies reference nonexistent {role} node {key!r}"
                self.add_dummy_node(key, migration, message)
        self.node_map[child].add_parent(self.node_map[parent])
        self.node_map[parent].add_child(self.node_map[child])
        if not skip_validation:
            self.validate_consistency()

    def remove_replaced_nodes(self, replacement: tuple[str, str], replaced) -> None:
        """Use the squashed migration ``replacement`` instead of the ones it ``replaced``.

        The replaced nodes go; edges that reached them now reach the
        replacement (except edges among the replaced themselves).
        """
        replaced = set(replaced)
        try:
            replacement_node = self.node_map[replacement]
        except KeyError:
            raise NodeNotFoundError(
                f"Unable to find replacement node {replacement!r}. It was either never added to the "
                f"migration graph, or has been removed.",
                replacement,
            ) from None
        for key in replaced:
            self.nodes.pop(key, None)
            node = self.node_map.pop(key, None)
            if node is None:
                continue
            for child in node.children:
                child.parents.discard(node)
                if child.key not in replaced:
                    replacement_node.add_child(child)
                    child.add_parent(replacement_node)
            for parent in node.parents:
                parent.children.discard(node)
                if parent.key not in replaced:
                    replacement_node.add_parent(parent)
                    parent.add_child(replacement_node)

    def remove_replacement_node(self, replacement: tuple[str, str], replaced) -> None:
        """Drop the squashed migration ``replacement`` and keep the ones it replaced.

        Its children are attached to the last of the replaced migrations (those
        that no other replaced migration depends on).
        """
        self.nodes.pop(replacement, None)
        try:
            replacement_node = self.node_map.pop(replacement)
        except KeyError:
            raise NodeNotFoundError(
                f"Unable to remove replacement node {replacement!r}. It was either never added to the "
                f"migration graph, or has been removed already.",
                replacement,
            ) from None
        replaced_nodes = {self.node_map[key] for key in replaced if key in self.node_map}
        last_replaced = {node for node in replaced_nodes if not (node.children & replaced_nodes)}
        for child in replacement_node.children:
            child.parents.discard(replacement_node)
            for node in last_replaced:
                node.add_child(child)
                child.add_parent(node)
        for parent in replacement_node.parents:
            parent.children.discard(replacement_node)

    def validate_consistency(self) -> None:
        """Raise ``NodeNotFoundError`` for the first dependency on a migration that does not exist."""
        for node in self.node_map.values():
            if isinstance(node, DummyNode):
                node.raise_error()

    def forwards_plan(self, target: tuple[str, str]) -> list[tuple[str, str]]:
        """The keys to apply, in order, to reach ``target``: every migration it needs, then itself."""
        if target not in self.nodes:
            raise NodeNotFoundError(f"Node {target!r} not a valid node", target)
        return self.iterative_dfs(self.node_map[target])

    def backwards_plan(self, target: tuple[str, str]) -> list[tuple[str, str]]:
        """The keys to unapply, in order, to remove ``target``: every migration that needs it, then itself."""
        if target not in self.nodes:
            raise NodeNotFoundError(f"Node {target!r} not a valid node", target)
        return self.iterative_dfs(self.node_map[target], forwards=False)

    def iterative_dfs(self, start: Node, forwards: bool = True) -> list[tuple[str, str]]:
        """The keys of ``start`` and every node it leads to, each after the nodes it leads to, ``start`` last.

        Exercise 08.2. Forwards, a node leads to its ``parents`` (the
        migrations it depends on), so the result is the order to apply them
        in; backwards, to its ``children`` (the migrations depending on it),
        the order to unapply them in. Walk the graph depth first from
        ``start``, and put a node in the plan once all the nodes it leads to
        are in it. A node reached twice is planned once.

        Siblings go in Django's order: a node's neighbours are explored from
        the greatest key to the smallest (``sorted(node.parents,
        reverse=True)``), each one's own neighbours first. So forwards from
        ``("blog", "0002")``, which depends on ``("blog", "0001")`` and
        ``("shop", "0001")``, the plan is ``[("shop", "0001"), ("blog",
        "0001"), ("blog", "0002")]``.

        A cycle (a node that, through the nodes it leads to, leads back to
        itself) is a ``CircularDependencyError`` whose message names the
        migrations of the cycle as ``app_label.name``, joined by ", ", in the
        order the walk would plan them (each leads to the one before it, the
        first to the last), e.g. "blog.0001_initial, blog.0002_second".

        Use a loop with your own stack rather than recursion: a project may have
        thousands of migrations, more than Python's recursion limit.
        """
        def neighbours(node: Node) -> list[Node]:
            return sorted(node.parents if forwards else node.children, reverse=True)

        plan: list[tuple[str, str]] = []
        planned: set[Node] = set()
        # The path being explored: each entry a node and the neighbours still to visit.
        path = [(start, iter(neighbours(start)))]
        on_path = {start}
        while path:
            node, remaining = path[-1]
            neighbour = next((neighbour for neighbour in remaining if neighbour not in planned), None)
            if neighbour is None:  # everything the node leads to is planned: the node can be
                path.pop()
                on_path.discard(node)
                planned.add(node)
                plan.append(node.key)
            elif neighbour in on_path:
                keys = [entry.key for entry, _ in path]
                cycle = keys[keys.index(neighbour.key):]
                raise CircularDependencyError(", ".join(label(key) for key in reversed(cycle)))
            else:
                path.append((neighbour, iter(neighbours(neighbour))))
                on_path.add(neighbour)
        return plan

    def root_nodes(self, app: str | None = None) -> list[tuple[str, str]]:
        """Each app's first migrations (those depending on nothing in their own app), sorted; one app's if given."""
        return sorted(
            key for key in self.nodes
            if (app is None or key[0] == app) and all(parent.key[0] != key[0] for parent in self.node_map[key].parents)
        )

    def leaf_nodes(self, app: str | None = None) -> list[tuple[str, str]]:
        """Each app's newest migrations (nothing in their own app depends on them), sorted; one app's if given.

        More than one in an app means two branches were made apart (often in
        two version-control branches) and need a merge migration.
        """
        return sorted(
            key for key in self.nodes
            if (app is None or key[0] == app) and all(child.key[0] != key[0] for child in self.node_map[key].children)
        )

    def ensure_not_cyclic(self) -> None:
        """Raise ``CircularDependencyError`` naming the migrations of a cycle, if the graph has one.

        The message lists them in applying order: each depends on the one
        before it, and the first on the last.
        """
        finished: set[tuple[str, str]] = set()
        for start in sorted(self.nodes):
            if start in finished:
                continue
            path = [(start, iter(sorted(self.node_map[start].children)))]
            on_path = {start}
            while path:
                key, children = path[-1]
                child = next((child.key for child in children if child.key not in finished), None)
                if child is None:
                    path.pop()
                    on_path.discard(key)
                    finished.add(key)
                elif child in on_path:
                    keys = [entry for entry, _ in path]
                    raise CircularDependencyError(", ".join(label(key) for key in keys[keys.index(child):]))
                else:
                    path.append((child, iter(sorted(self.node_map[child].children))))
                    on_path.add(child)

    def _generate_plan(self, nodes, at_end: bool) -> list[tuple[str, str]]:
        """The forwards plans of ``nodes``, merged; without ``nodes`` themselves unless ``at_end``."""
        plan = []
        for node in nodes:
            for key in self.forwards_plan(node):
                if key not in plan and (at_end or key not in nodes):
                    plan.append(key)
        return plan

    def make_state(self, nodes=None, at_end: bool = True, real_apps=None):
        """The ``ProjectState`` after the migrations ``nodes`` (one key or a list), or before them if not ``at_end``.

        Without ``nodes``, the state after every app's newest migrations: the
        models as the migration files describe them. ``real_apps`` are the
        labels of apps without migrations, whose models are taken as they are.
        """
        from tinyframe.db.migrations.state import ProjectState

        if nodes is None:
            nodes = self.leaf_nodes()
        if not nodes:
            return ProjectState()
        if isinstance(nodes, tuple) and isinstance(nodes[0], str):
            nodes = [nodes]
        state = ProjectState(real_apps=real_apps)
        for key in self._generate_plan(nodes, at_end):
            state = self.nodes[key].mutate_state(state, preserve=False)
        return state

    def __contains__(self, key) -> bool:
        return key in self.nodes

    def _nodes_and_edges(self) -> tuple[int, int]:
        return len(self.nodes), sum(len(node.parents) for node in self.node_map.values())

    def __str__(self):
        return "Graph: %s nodes, %s edges" % self._nodes_and_edges()

    def __repr__(self):
        nodes, edges = self._nodes_and_edges()
        return f"<{type(self).__name__}: nodes={nodes}, edges={edges}>"
