"""A small compound with special-care residents, written through the store like office data."""

from __future__ import annotations

import random
from pathlib import Path

from fieldkit.services.demo import compound
from fieldkit.services.people import mark_demo_residents
from fieldkit.services.workspace import Workspace
from fieldkit.store import Store


def make_compound(data_dir: Path, floors: int = 8, seed: int = 3) -> dict[str, list]:
    refs = compound(buildings=2, entrances=2, floors=floors, flats=2)
    mark_demo_residents(refs["unit"], random.Random(seed), share=0.25)
    with Store.open(data_dir) as store:
        for entity, records in refs.items():
            store.put_reference(entity, records)
    return refs


def open_workspace(data_dir: Path) -> Workspace:
    return Workspace.open(data_dir, command="tests")
