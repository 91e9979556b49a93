"""A local cache of work done per body, by content hash, so a second run does not redo it.

One SQLite file (git-ignored, under .cache/) of zlib-compressed JSON values. Keys include a
fingerprint of the code and libraries that made the value, so a change to either misses the
cache instead of reusing a stale verdict. A cache that cannot be opened or read is deleted and
the run goes on without it: the cache can only ever save time, never change a result.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path
from typing import Any

# zlib's fastest level, since a cold build compresses every value on the main thread: measured on
# 11,000 cached values (151 MB of JSON, a 2,000-review corpus), level 6 took 2.4 s and level 1
# 1.1 s, for 40 MB stored against 35
COMPRESSION = 1


class DiskCache:
    """key -> JSON value, written in one transaction by `save`."""

    def __init__(self, path: Path):
        self.path, self.pending = path, {}
        self.db = self._open()

    def _open(self) -> sqlite3.Connection | None:
        for _ in range(2):
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(self.path)
                db.execute("CREATE TABLE IF NOT EXISTS entries (key TEXT PRIMARY KEY, value BLOB)")
                return db
            except (sqlite3.Error, OSError):
                self.path.unlink(missing_ok=True)  # damaged: start again, once
        return None

    def get(self, key: str) -> Any | None:
        if key in self.pending:
            return self.pending[key]
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT value FROM entries WHERE key = ?", (key,)).fetchone()
            return json.loads(zlib.decompress(row[0])) if row else None
        except (sqlite3.Error, zlib.error, ValueError):
            return None

    def put(self, key: str, value: Any) -> None:
        self.pending[key] = value

    def save(self) -> None:
        if self.db is None or not self.pending:
            return
        rows = [(k, zlib.compress(json.dumps(v).encode(), COMPRESSION)) for k, v in self.pending.items()]
        try:
            with self.db:
                self.db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?)", rows)
            self.pending = {}
        except sqlite3.Error:
            pass  # a full disk or a locked file costs only the time saved


class CacheSlot:
    """The disk cache a module's pure functions memoise through, chosen by the command that runs
    them (`use`); until then, and with `use(None)`, nothing is kept and `get` finds nothing."""

    def __init__(self):
        self.disk: DiskCache | None = None

    def use(self, path: Path | None) -> None:
        self.disk = DiskCache(path) if path else None

    def get(self, key: str) -> Any | None:
        return self.disk.get(key) if self.disk is not None else None

    def put(self, key: str, value: Any) -> None:
        if self.disk is not None:
            self.disk.put(key, value)

    def save(self) -> None:
        if self.disk is not None:
            self.disk.save()
