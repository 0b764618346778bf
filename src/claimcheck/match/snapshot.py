"""Copies of the search index that a new instance starts from, instead of rebuilding its own.

With PostgreSQL every API instance keeps an index of its own, and a new one used to rebuild it
from the database (about 44 s per million claims). A snapshot is a consistent copy of a running
instance's index, taken under the index's write lock (no commit can land while the files are
copied), with the change-log position it covers (``claimcheck-snapshot.json``). A new instance
copies it into its index folder, then applies the changes logged since that position, as it
would after any restart (``sync.py``).

A snapshot is a folder: ``v{FORMAT}/`` (tantivy's files and the index state) and the manifest. It
is written beside its destination and renamed into place, so a folder that exists is whole.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import filelock

from claimcheck.errors import Busy, InvalidInput, StoreError
from claimcheck.match.search import FORMAT, IndexState, TantivyIndex

MANIFEST = "claimcheck-snapshot.json"
# tantivy's own lock files: a copy must not carry a lock its new owner never took.
_LOCKS = (".tantivy-writer.lock", ".tantivy-meta.lock")


@dataclass(frozen=True, slots=True)
class Snapshot:
    format: int
    store_id: str
    seq: int  # the store's change-log position the copy is in step with
    claims: int
    documents: int
    created: str  # UTC, ISO 8601

    @property
    def state(self) -> IndexState:
        return IndexState(self.store_id, self.seq, self.format)


def write_snapshot(index: TantivyIndex, dest: Path, timeout: float | None = None) -> Snapshot:
    """Copy ``index`` into the new folder ``dest`` (which must not exist, or be empty)."""
    if index.path is None:
        raise InvalidInput("an in-memory index has no files to copy")
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InvalidInput(f"{dest} already exists and is not an empty folder; give a new one")
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        with index.locked(timeout):
            state = index.state()
            if state is None:
                raise InvalidInput("the search index has never been built; nothing to copy")
            shutil.copytree(index.path / f"v{FORMAT}", tmp / f"v{FORMAT}", ignore=shutil.ignore_patterns(*_LOCKS))
            snapshot = Snapshot(FORMAT, state.store_id, state.seq, index.count(), index.count_documents(),
                                time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        (tmp / MANIFEST).write_text(json.dumps(asdict(snapshot), indent=1) + "\n", "utf-8")
        if dest.exists():
            dest.rmdir()  # empty, checked above
        os.replace(tmp, dest)
    except OSError as exc:
        raise StoreError(f"cannot write the snapshot to {dest}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return snapshot


def read_snapshot(src: Path) -> Snapshot:
    """The manifest of the snapshot in ``src``, checked: the files are there and of this format."""
    try:
        data = json.loads((src / MANIFEST).read_text("utf-8"))
        snapshot = Snapshot(**data)
    except FileNotFoundError:
        raise InvalidInput(f"{src} is not an index snapshot (no {MANIFEST})") from None
    except (ValueError, TypeError):
        raise InvalidInput(f"{src / MANIFEST} is not a snapshot manifest this version reads") from None
    if snapshot.format != FORMAT:
        raise InvalidInput(f"the snapshot in {src} is of index format {snapshot.format}; this version "
                           f"reads {FORMAT}: take a new snapshot, or rebuild (`claimcheck reindex`)")
    if not (src / f"v{FORMAT}" / "meta.json").is_file():
        raise InvalidInput(f"the snapshot in {src} has no index files (v{FORMAT}/meta.json)")
    return snapshot


def restore_snapshot(src: Path, index_path: Path, timeout: float = 10.0) -> Snapshot:
    """Replace the index at ``index_path`` with the snapshot in ``src``. For an instance that is
    not running yet: readers of the old files in another process would lose them."""
    snapshot = read_snapshot(src)
    index_path.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(index_path / "write.lock", thread_local=False)
    try:
        lock.acquire(timeout=timeout, poll_interval=0.02)
    except filelock.Timeout:
        raise Busy("the search index is busy with another writer; stop the instance using it") from None
    tmp = index_path / f".restore-{os.getpid()}"
    old = index_path / f".replaced-{os.getpid()}"
    live = index_path / f"v{FORMAT}"
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(src / f"v{FORMAT}", tmp)
        if live.exists():
            os.replace(live, old)
        os.replace(tmp, live)
    except OSError as exc:
        raise StoreError(f"cannot restore the snapshot into {index_path}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
        lock.release()
    return snapshot
