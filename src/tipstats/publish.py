"""Publishing a built folder: never over someone else's files, and never leaving no folder at all.

A build writes into a staging folder beside the target, then puts it in place:

* The target is replaced only when it does not exist, is empty, holds the marker file that every
  build writes (:data:`MARKER`), or holds nothing but files a build writes. Anything else (a folder
  with a thesis in it, ``data/raw``) is refused with :class:`OutputFolderError` and nothing is
  touched. A folder with no write permission is respected, not replaced.
* Where the system can, the staging folder and the target are exchanged in one atomic step
  (Linux ``renameat2(RENAME_EXCHANGE)``), so a complete folder exists under the target's name at
  every instant. Elsewhere the old folder is renamed aside first; a kill between the two renames is
  repaired by :func:`recover`, which every build runs first.
* Staging and set-aside folders carry the process id of their build, so the next build removes the
  ones whose process is gone (a killed build's leftovers), and leaves a live concurrent build's alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import stat
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

MARKER = ".tipstats-build"
MARKER_TEXT = (
    "This folder was written by tipstats (a build or the site); the next run replaces it whole.\n"
    "Do not keep other files here.\n"
)
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>staging|old)-(?:(?P<pid>\d+)-)?[0-9a-f]+$")
RENAME_EXCHANGE = 2  # linux/fs.h


class OutputFolderError(ValueError):
    """An output folder that a command must not replace (not ours, or read-only)."""


def _writable(path: Path) -> bool:
    """Writable by this process and not made read-only by its mode (root ignores permissions, not intent)."""
    return os.access(path, os.W_OK) and bool(
        path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    )


def refuse_unless_replaceable(
    target: Path, own_files: Iterable[str] = (), *, whole: bool = True, generic: Iterable[str] = ()
) -> None:
    """Raise :class:`OutputFolderError` unless ``target`` may be replaced whole by a build.

    ``own_files``: names of the files and folders a build writes (a folder holding only these is a build
    of before the marker). ``whole=False``: the command writes its files into ``target`` rather than
    replacing it (``tipstats figures``, ``tipstats analysis``); the same rule decides whose folder it is.
    ``generic``: own names that anyone may use (``index.md``): a folder holding only those is not ours.
    """
    target = Path(target)
    verb = "replace" if whole else "write into"
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputFolderError(
            f"{target}: not a folder; a build writes a folder of its own. Nothing was touched."
        )
    if target.exists():
        # the swap renames in the parent
        read_only = not (_writable(target) and (_writable(target.parent) or not whole))
    else:
        nearest = next((p for p in target.parents if p.exists()), Path.cwd())
        read_only = not _writable(nearest)
    if read_only:
        raise OutputFolderError(f"{target}: read-only; nothing is written to it. Nothing was touched.")
    if not target.exists():
        return
    entries = list(target.iterdir())
    if not entries or (target / MARKER).is_file():
        return
    own = set(own_files)
    foreign = sorted(e.name for e in entries if e.name not in own)
    if not foreign and {e.name for e in entries} <= set(generic):
        foreign = sorted(e.name for e in entries)  # nothing only tipstats would write: not ours
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise OutputFolderError(
            f"{target}: refusing to {verb} a folder that tipstats did not write (it holds {shown}). "
            f"Write into an empty or new folder, or one an earlier build wrote (it has {MARKER}). "
            "Nothing was touched."
        )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def leftovers(target: Path) -> list[tuple[Path, str, int | None]]:
    """Staging and set-aside folders of ``target``'s builds: (path, 'staging' or 'old', pid or None)."""
    target = Path(target)
    if not target.parent.is_dir():
        return []
    found = []
    for path in sorted(target.parent.iterdir()):
        match = _LEFTOVER.match(path.name)
        if match and match["name"] == target.name and path.is_dir():
            found.append((path, match["kind"], int(match["pid"]) if match["pid"] else None))
    return found


def recover(target: Path) -> None:
    """Put back a set-aside folder if a build died between its two renames; remove dead builds' leftovers."""
    target = Path(target)
    dead = [(p, kind) for p, kind, pid in leftovers(target) if pid is None or not _alive(pid)]
    if not target.exists():
        old = [p for p, kind in dead if kind == "old"]
        if old:
            os.replace(old[-1], target)
            _fsync_dir(target.parent)
    for path, _kind in dead:
        if path.exists():
            shutil.rmtree(path, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a folder be opened for fsync
        _fsync(path)


def fsync_tree(folder: Path) -> None:
    """Flush every file of ``folder`` and the folder itself to disk before it is published."""
    for path in sorted(Path(folder).rglob("*")):
        if path.is_file():
            _fsync(path)
    _fsync_dir(Path(folder))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot (then nothing happened)."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def put_in_place(staging: Path, target: Path, token: str) -> None:
    """Make the complete ``staging`` folder the ``target``; the old target is removed afterwards."""
    if not target.exists():
        os.replace(staging, target)
    elif _exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # it now holds the old folder
    else:
        aside = target.parent / f".{target.name}.old-{token}"
        os.replace(target, aside)
        try:
            os.replace(staging, target)
        except BaseException:
            os.replace(aside, target)
            raise
        shutil.rmtree(aside, ignore_errors=True)
    _fsync_dir(target.parent)


@contextlib.contextmanager
def published_directory(target: Path, own_files: Iterable[str] = ()) -> Iterator[Path]:
    """Yield an empty staging folder; on success it becomes ``target`` (see the module docstring).

    On any error the staging folder is removed and ``target`` is left as it was.
    """
    target = Path(target)
    own = {*own_files, MARKER}
    refuse_unless_replaceable(target, own)
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging = target.parent / f".{target.name}.staging-{token}"
    staging.mkdir()
    try:
        yield staging
        (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
        fsync_tree(staging)
        refuse_unless_replaceable(target, own)  # someone may have put files there during the build
        put_in_place(staging, target, token)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
