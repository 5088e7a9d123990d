"""A coordinator's device in a child process: appends timeline entries through the incident
service as fast as it can and prints each entry's id only after the call returned (the
moment the app would show it as saved). The parent SIGKILLs it at a random point, or as
soon as it prints ``writing``: a write's temp file is on disk and the live file not yet
replaced, the moment a kill must not be able to spoil.

Usage: python -m tests.incidents.kill_child DATA_DIR INCIDENT_ID
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from fieldkit.services import incidents as inc
from fieldkit.services.workspace import Workspace
from fieldkit.store import atomic


def _announce_writes() -> None:
    write_temp = atomic.write_temp

    def announced(path, data, durable=True):
        tmp = write_temp(path, data, durable)
        if path.name == "active.json":
            print("writing", flush=True)
            time.sleep(0.03)
        return tmp

    atomic.write_temp = announced


def main() -> None:
    data_dir, incident_id = Path(sys.argv[1]), sys.argv[2]
    ws = Workspace.open(data_dir, command="kill child")
    _announce_writes()
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        entry = inc.add_entry(ws, incident_id, f"entry {n} from pid", "observation")
        sys.stdout.write(entry.id + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
