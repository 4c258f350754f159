"""Writing files so that nothing is ever half-written: the one atomic writer.

Every output goes to a temporary file in its own folder (same file system)
and is renamed into place only when all outputs of a step are complete; on
any error the temporaries are removed and the earlier files stay as they
were.  A new folder is written the same way: staged beside its final place,
then renamed, and never over an existing one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from anze_kg.errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FILE_MODE = 0o666 & ~_umask()
FOLDER_MODE = 0o777 & ~_umask()
_HINT = "check the folder exists and is writable; nothing was changed"


@contextmanager
def replacing(paths: list[Path]) -> Iterator[dict[Path, BinaryIO]]:
    """Open a temporary beside each of ``paths`` for writing; when the block
    ends without an error, rename them all into place; else remove them all.
    An ``OSError`` becomes an :class:`OutputError` naming the file."""
    staged: dict[Path, tuple[Path, BinaryIO]] = {}
    current: Path | None = None
    try:
        for path in paths:
            current = path
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            os.chmod(tmp, FILE_MODE)
            staged[path] = (Path(tmp), os.fdopen(fd, "wb"))
        current = None
        yield {path: handle for path, (_, handle) in staged.items()}
        for path, (tmp, handle) in staged.items():
            current = path
            handle.close()
        for path, (tmp, _) in staged.items():
            current = path
            os.replace(tmp, path)
    except OSError as exc:
        _discard(staged)
        target = current or getattr(exc, "filename", None) or next(iter(paths), "")
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}", hint=_HINT) from None
    except BaseException:
        _discard(staged)
        raise


def _discard(staged: dict[Path, tuple[Path, BinaryIO]]) -> None:
    for tmp, handle in staged.values():
        handle.close()
        tmp.unlink(missing_ok=True)


def write_files(files: dict[Path, bytes]) -> None:
    """Write all ``files`` (path -> bytes) or none."""
    with replacing(list(files)) as handles:
        for path, data in files.items():
            try:
                handles[path].write(data)
            except OSError as exc:  # name the file being written (a full disk names none)
                raise OSError(exc.errno, exc.strerror, str(path)) from None


def write_new_folder(target: Path, files: dict[str, bytes]) -> Path:
    """Create the folder ``target`` holding ``files`` (relative path -> bytes),
    all at once: staged beside it, then renamed.  An existing ``target`` is an
    error and is left as it is."""
    if target.exists():
        raise OutputError(f"{target} already exists", hint="move it away or choose another name; nothing was written")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    except OSError as exc:
        raise OutputError(f"cannot write to {target.parent}: {exc.strerror or exc}", hint=_HINT) from None
    try:
        write_files({staging / name: data for name, data in files.items()})
        os.chmod(staging, FOLDER_MODE)
        os.rename(staging, target)  # fails if the folder appeared meanwhile: nothing is overwritten
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}", hint="nothing was written") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
