"""Migration operations that keep signing open while a big table changes."""

from django.db.migrations.operations import AddIndex


class AddIndexWithoutBlocking(AddIndex):
    """AddIndex, built CONCURRENTLY on PostgreSQL so that writes to the table (a signature,
    a confirmation) go on while it is built; as usual elsewhere. The migration that uses
    it must say `atomic = False` (PostgreSQL builds such an index outside a transaction)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            schema_editor.add_index(model, self.index, concurrently=True)
        return None

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        model = from_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.remove_index(model, self.index, concurrently=True)
            else:
                schema_editor.remove_index(model, self.index)
