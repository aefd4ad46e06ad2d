"""SQLite with a write gate: Django's backend, plus an exclusive file lock held from
BEGIN to COMMIT or ROLLBACK.

SQLite makes a writer wait for the write lock by sleeping and polling (its busy handler
sleeps up to 100 ms between tries), so under a surge of signatures most of the time went
to sleeping while the lock was free: about 175 signatures/s with four workers on two
cores. A blocking `flock` instead queues the writers in the kernel, which wakes the next
one the moment the lock is released. The lock file sits beside the database and is
shared by every process and thread (each connection opens its own descriptor). A
process that dies holding it loses it with its descriptors, so a crash never leaves the
gate shut. An in-memory database (the test suite) has no gate.
"""

import fcntl

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    gate = None

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            self.gate = open(f"{self.settings_dict['NAME']}.write-gate", "ab")  # noqa: SIM115
        return connection

    def _start_transaction_under_autocommit(self):
        if self.gate is not None:
            fcntl.flock(self.gate, fcntl.LOCK_EX)
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._open_gate()
            raise

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._open_gate()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._open_gate()

    def _close(self):
        try:
            return super()._close()
        finally:
            if self.gate is not None:
                self.gate.close()  # closing the descriptor also releases the lock
                self.gate = None

    def _open_gate(self):
        if self.gate is not None:
            fcntl.flock(self.gate, fcntl.LOCK_UN)
