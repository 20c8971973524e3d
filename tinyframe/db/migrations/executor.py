"""Running migrations against a database: the plan, then each migration in its own transaction.

How it works: ``MigrationExecutor(connection)`` loads the graph
(``MigrationLoader``). ``migration_plan(targets)`` turns targets into steps
``[(migration, backwards), ...]``: a target not yet applied is reached
forwards (the graph's ``forwards_plan``, minus what is applied); an applied
one backwards, by unapplying what came after it in its app; ``(app, None)``
unapplies the whole app. ``migrate(targets)`` then runs the plan:

- forwards, each migration's ``apply`` gets the project state before it (the
  models as they were then) and a schema editor, in one transaction with the
  row ``record_applied`` writes to ``tinyframe_migrations``: a failure rolls
  all of it back, and the error says which migration and operation failed;
- backwards, the states before each migration are computed first (replaying
  the files in memory), then each ``unapply`` runs with the state it needs.

``--fake`` records without touching the schema; ``--fake-initial`` fakes an
initial migration whose tables and columns are all there already
(``detect_soft_applied``). ``progress_callback(action, migration, fake)``
lets ``migrate`` print "Applying blog.0001_initial... OK".
"""

from tinyframe.db.migrations.exceptions import InvalidMigrationPlan, IrreversibleError
from tinyframe.db.migrations.loader import MigrationLoader
from tinyframe.db.migrations.recorder import MigrationRecorder

__all__ = ["MigrationExecutor"]


def failed_operation(migration, error: BaseException):
    """The operation of ``migration`` that was running when ``error`` was raised, or None.

    ``Migration.apply`` runs the operations one after another; the innermost
    frame of the traceback that belongs to one of them (a method whose
    ``self`` is the operation) tells which.
    """
    found = None
    traceback = error.__traceback__
    while traceback is not None:
        owner = traceback.tb_frame.f_locals.get("self")
        if any(owner is operation for operation in migration.operations):
            found = owner
        traceback = traceback.tb_next
    return found


def explain_failure(error: BaseException, migration, backwards: bool) -> None:
    """Add a note to ``error`` naming the migration and the operation that failed, and what was kept."""
    operation = failed_operation(migration, error)
    verb = "Unapplying" if backwards else "Applying"
    where = f"{verb} {migration} failed"
    if operation is not None:
        number = next(index for index, candidate in enumerate(migration.operations, 1) if candidate is operation)
        where += f" in operation {number} of {len(migration.operations)}: {operation.describe()}"
    if isinstance(error, IrreversibleError):
        # Raised before the first operation is undone: even a migration that is not atomic changed nothing.
        where += "; nothing was run: the schema, the rows and tinyframe_migrations are as before it."
    elif migration.atomic:
        where += "; its changes were rolled back: the schema, the rows and tinyframe_migrations are as before it."
    else:
        where += "; it is not atomic (atomic = False), so the operations before the failure stay done."
    error.add_note(where)


def is_rendered(state) -> bool:
    """Whether ``state.apps`` (its models as real classes) is already made; rendering takes time."""
    return state._apps is not None


class MigrationExecutor:
    """Plans and runs migrations on one connection, up or down to a set of targets."""

    def __init__(self, connection, progress_callback=None):
        self.connection = connection
        self.loader = MigrationLoader(self.connection)
        self.recorder = MigrationRecorder(self.connection)
        self.progress_callback = progress_callback

    def report(self, *args) -> None:
        if self.progress_callback:
            self.progress_callback(*args)

    def migration_plan(self, targets, clean_start: bool = False) -> list[tuple]:
        """``[(migration, backwards), ...]`` that brings the database to ``targets``.

        A target ``(app_label, name)`` already applied means "back to just
        after it": its app's migrations that follow it are unapplied (and
        whatever depends on them), nothing else. ``(app_label, None)``
        unapplies the whole app. With ``clean_start``, the plan is for an
        empty database.
        """
        graph = self.loader.graph
        applied = {} if clean_start else dict(self.loader.applied_migrations)
        plan = []

        def unapply_from(start) -> None:
            for key in graph.backwards_plan(start):
                if key in applied:
                    plan.append((graph.nodes[key], True))
                    applied.pop(key)

        for target in targets:
            if target[1] is None:
                for root in graph.root_nodes(target[0]):
                    unapply_from(root)
            elif target in applied:
                if self.loader.replace_migrations and target not in graph.node_map:
                    # A migration a squashed one replaced: plan again with the originals.
                    self.loader.replace_migrations = False
                    self.loader.build_graph()
                    return self.migration_plan(targets, clean_start=clean_start)
                # Only the same app's next migrations go (and what needs them):
                # rolling back to the target itself could undo other apps' work.
                for child in sorted(child for child in graph.node_map[target].children if child.key[0] == target[0]):
                    unapply_from(child.key)
            else:
                for key in graph.forwards_plan(target):
                    if key not in applied:
                        plan.append((graph.nodes[key], False))
                        applied[key] = graph.nodes[key]
        return plan

    def _create_project_state(self, with_applied_migrations: bool = False):
        """The state of the apps without migrations, plus, if asked, of the migrations applied."""
        from tinyframe.db.migrations.state import ProjectState

        state = ProjectState(real_apps=self.loader.unmigrated_apps)
        if with_applied_migrations:
            applied = self.applied_in_graph()
            for migration, _ in self.migration_plan(self.loader.graph.leaf_nodes(), clean_start=True):
                if migration in applied:
                    migration.mutate_state(state, preserve=False)
        return state

    def applied_in_graph(self) -> list:
        """The Migration objects of the graph that are applied."""
        graph = self.loader.graph
        return [graph.nodes[key] for key in self.loader.applied_migrations if key in graph.nodes]

    def migrate(self, targets, plan=None, state=None, fake: bool = False, fake_initial: bool = False):
        """Bring the database to ``targets`` (or run ``plan``); return the project state afterwards.

        A plan must go one way: forwards only or backwards only.
        """
        if plan == []:
            if not self.recorder.has_table():
                return self._create_project_state(with_applied_migrations=False)
        else:
            self.recorder.ensure_schema()
        if plan is None:
            plan = self.migration_plan(targets)
        full_plan = self.migration_plan(self.loader.graph.leaf_nodes(), clean_start=True)
        all_forwards = all(not backwards for _, backwards in plan)
        all_backwards = all(backwards for _, backwards in plan)
        if not plan:
            if state is None:
                state = self._create_project_state(with_applied_migrations=True)
        elif all_forwards == all_backwards:
            raise InvalidMigrationPlan(
                "Migration plans with both forwards and backwards migrations are not supported. Please split "
                "your migration process into separate plans of only forwards OR backwards migrations.",
                plan,
            )
        elif all_forwards:
            if state is None:
                state = self._create_project_state(with_applied_migrations=True)
            state = self._migrate_all_forwards(state, plan, full_plan, fake=fake, fake_initial=fake_initial)
        else:
            state = self._migrate_all_backwards(plan, full_plan, fake=fake)
        self.check_replacements()
        return state

    def _migrate_all_forwards(self, state, plan, full_plan, fake: bool, fake_initial: bool):
        """Apply the plan's migrations in the order of the full plan."""
        to_run = [migration for migration, _ in plan]
        if not is_rendered(state):
            self.report("render_start")
            state.apps  # render the models once, now, rather than inside the first migration
            self.report("render_success")
        for migration, _ in full_plan:
            if not to_run:
                break
            if migration in to_run:
                state = self.apply_migration(state, migration, fake=fake, fake_initial=fake_initial)
                to_run.remove(migration)
        return state

    def _migrate_all_backwards(self, plan, full_plan, fake: bool):
        """Unapply the plan's migrations, each given the state from just before it was applied.

        First a pass over the full plan, in memory, keeps the state before each
        migration to undo; then the migrations are undone in the plan's order.
        """
        to_run = [migration for migration, _ in plan]
        states = {}
        state = self._create_project_state()
        applied = self.applied_in_graph()
        self.report("render_start")
        for migration, _ in full_plan:
            if not to_run:
                break
            if migration in to_run:
                state.apps  # rendered once per state: each keeps the models of its point in history
                states[migration] = state
                state = migration.mutate_state(state, preserve=True)
                to_run.remove(migration)
            elif migration in applied:
                migration.mutate_state(state, preserve=False)
        self.report("render_success")
        for migration, _ in plan:
            self.unapply_migration(states[migration], migration, fake=fake)
            applied.remove(migration)
        # The state afterwards: the one before the last migration undone, plus
        # the applied migrations that come after it in the full plan.
        last = plan[-1][0]
        state = states[last]
        state.clear_delayed_apps_cache()  # forget the rendered models rather than keep them in step
        keys = [migration for migration, _ in full_plan]
        for migration in keys[keys.index(last):]:
            if migration in applied:
                migration.mutate_state(state, preserve=False)
        return state

    def apply_migration(self, state, migration, fake: bool = False, fake_initial: bool = False):
        """Run ``migration`` forwards and record it, in one transaction; return the state after it."""
        recorded = False
        self.report("apply_start", migration, fake)
        if not fake and fake_initial:
            applied, state = self.detect_soft_applied(state, migration)
            fake = applied
        if not fake:
            try:
                with self.connection.schema_editor(atomic=migration.atomic) as schema_editor:
                    state = migration.apply(state, schema_editor)
                    if not schema_editor.deferred_sql:
                        # In the same transaction: the record goes if the migration does.
                        self.record_migration(migration)
                        recorded = True
            except Exception as error:
                explain_failure(error, migration, backwards=False)
                raise
        if not recorded:
            self.record_migration(migration)
        self.report("apply_success", migration, fake)
        return state

    def record_migration(self, migration) -> None:
        """Record ``migration`` as applied (a squashed one as each migration it replaces)."""
        if migration.replaces:
            for app_label, name in migration.replaces:
                self.recorder.record_applied(app_label, name)
        else:
            self.recorder.record_applied(migration.app_label, migration.name)

    def unapply_migration(self, state, migration, fake: bool = False):
        """Run ``migration`` backwards and forget it; return the state before it."""
        self.report("unapply_start", migration, fake)
        if not fake:
            try:
                with self.connection.schema_editor(atomic=migration.atomic) as schema_editor:
                    state = migration.unapply(state, schema_editor)
                    self.record_unapplied(migration)
            except Exception as error:
                explain_failure(error, migration, backwards=True)
                raise
        else:
            self.record_unapplied(migration)
        self.report("unapply_success", migration, fake)
        return state

    def record_unapplied(self, migration) -> None:
        for app_label, name in migration.replaces:
            self.recorder.record_unapplied(app_label, name)
        self.recorder.record_unapplied(migration.app_label, migration.name)

    def check_replacements(self) -> None:
        """Record a squashed migration as applied when everything it replaces is."""
        applied = self.recorder.applied_migrations()
        for key, migration in self.loader.replacements.items():
            if key not in applied and all(tuple(replaced) in applied for replaced in migration.replaces):
                self.recorder.record_applied(*key)

    def detect_soft_applied(self, project_state, migration) -> tuple[bool, object]:
        """``(True, state after it)`` if ``migration`` is an initial one whose tables and columns all exist.

        Only ``CreateModel`` (its table) and ``AddField`` (its column, or its
        many-to-many table) are looked for; ``--fake-initial`` then records
        the migration without running it. A migration is initial if it says
        so (``initial = True``), or, when it does not say, if it depends on
        nothing in its own app.
        """
        from tinyframe.db.migrations.operations import AddField, CreateModel

        if migration.initial is None:
            if any(app_label == migration.app_label for app_label, _ in migration.dependencies):
                return False, project_state
        elif migration.initial is False:
            return False, project_state
        if project_state is None:
            after_state = self.loader.project_state((migration.app_label, migration.name), at_end=True)
        else:
            after_state = migration.mutate_state(project_state, preserve=True)
        apps = after_state.apps
        tables = {name.lower() for name in self.connection.introspection.table_names()}
        found = False
        for operation in migration.operations:
            if isinstance(operation, CreateModel):
                model = apps.get_model(migration.app_label, operation.name)
                if model._meta.proxy or not model._meta.managed:
                    continue
                if model._meta.db_table.lower() not in tables:
                    return False, project_state
                found = True
            elif isinstance(operation, AddField):
                model = apps.get_model(migration.app_label, operation.model_name)
                if model._meta.proxy or not model._meta.managed:
                    continue
                field = model._meta.get_field(operation.name)
                if field.many_to_many:
                    if field.remote_field.through._meta.db_table.lower() not in tables:
                        return False, project_state
                elif field.column.lower() not in self.column_names(model._meta.db_table):
                    return False, project_state
                found = True
        return found, after_state

    def column_names(self, table: str) -> set[str]:
        """The lower-cased column names of ``table`` in the database, as introspection reads them."""
        with self.connection.cursor() as cursor:
            description = self.connection.introspection.get_table_description(cursor, table)
        return {column.name.lower() for column in description}
