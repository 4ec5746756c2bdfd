"""Keys kept in a file next to the embedded database, for a machine without them in its
environment: every worker process of the machine reads the same one."""

import os
import secrets
from pathlib import Path


def machine_key(path: Path) -> str:
    """The random key in `path`, made by the first process that asks."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        draft.write_text(secrets.token_hex(32))
        draft.chmod(0o600)
        try:
            # link() creates the name only if absent: the first worker's key wins, whole.
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
