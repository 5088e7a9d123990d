"""How fast the app is where the hand is, with 100k cases of history on the device.

Printed, in one run on this machine:

- **home**: whole processes, from the exec of ``python`` to the screen drawn: a trivial
  Textual app (one Static) and ``fieldkit app`` as the command line starts it (configuration,
  the command line, logging, the app), launched in turn in a 120x40 pseudo-terminal; for
  fieldkit the home drawn (keys taken), its data drawn (open cases, drafts, sync state) and
  its due rounds drawn. p50/p95 of ``--runs`` launches each; ratio of medians vs trivial.
  Target (issue 17): home with its data drawn <= 2x the trivial app, whole processes.
  Each also prints the CPU time the process had used when drawn (``time.process_time`` in
  the child): on this shared machine the wall clock moves by ±50% with other people's
  work, the CPU time much less.
- **cases**: the first page of the case list with 100k cases — the default filter (open
  cases, from the store's small active file) cold in a fresh workspace, the all-statuses
  filter cold (reads the archive months' case indexes) and warm, and the Cases screen in the app
  from key to first page drawn. Target: <= 300 ms.
- **key-to-saved**: one check answered in the runner, from the key event to the answer
  durable in the store (``Store.save_answer`` returned), p50/p95 over ``--answers``; this
  includes the scan capture's hold-back (``scan_gap_ms``, 25 ms by default), printed on its
  own line with what follows it. A key is held back only where a code of the device could
  begin with it (``fieldkit/ui/scan.py``): in the demo compound ``n`` (n/a) is applied at
  once and ``p`` (pass) is held, as PARK-B1 and PUMP begin with it; both are timed, then
  ``p`` with ``scan_gap_ms = 0`` (no scanner) and with ``scan_prefix = "ctrl+b"`` (a scanner
  sending STX before each code). The save alone (``Run.answer``) is printed too. Target
  (issue 17): <= 20 ms p95 at the default setting, no key lost or misapplied.

Run: ``.venv/bin/python bench/app.py`` (``--cases 10000`` for a quicker run; ``--keep DIR``
to reuse a generated compound; ``--only home|cases|keys`` for one part).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fieldkit.config import SCAN_GAP_DEFAULT_MS

CHILD_TRIVIAL = """
import sys, time
from textual.app import App
from textual.widgets import Static

def mark(name):
    with open(sys.argv[1], "a") as marks:
        marks.write(f"{name} {time.perf_counter():.6f} {time.process_time():.6f}\\n")

class Trivial(App):
    def compose(self):
        yield Static("hello")
    def on_mount(self):
        self.call_after_refresh(self.done)
    def done(self):
        mark("interactive")
        self.exit()

Trivial().run()
"""

#: The app as ``fieldkit app`` starts it (``fieldkit.cli.main``: configuration, the command
#: line, logging, then the app on the data folder), with marks: the home mounted and drawn
#: (keys accepted), its data drawn (open cases, drafts, sync state), its due rounds drawn.
CHILD_FIELDKIT = """
import sys, time

def mark(name):
    with open(sys.argv[1], "a") as marks:
        marks.write(f"{name} {time.perf_counter():.6f} {time.process_time():.6f}\\n")

from fieldkit.ui.screens.home import HomeScreen

seen = set()
def after(name, method):
    takes = method.__code__.co_argcount  # on_mount(self); on_home_loaded(self, message)
    def wrapped(self, *args):
        method(self, *args[: takes - 1])
        if name not in seen:
            seen.add(name)
            self.call_after_refresh(lambda: done(self, name))
    return wrapped

def done(screen, name):
    mark(name)
    if len(seen) == 3 and name == "due":
        screen.app.exit()

HomeScreen.on_mount = after("interactive", HomeScreen.on_mount)
HomeScreen.on_home_loaded = after("data", HomeScreen.on_home_loaded)
HomeScreen.on_due_loaded = after("due", HomeScreen.on_due_loaded)

from fieldkit.cli import main
sys.exit(main(["app"]))
"""


def launch(code: str, env: dict[str, str]) -> dict[str, float]:
    """One launch: a fresh process in a pseudo-terminal of 120x40 (POSIX; the app draws to
    a terminal as it does for a person); each mark is its time since the process was
    started, read on the one monotonic clock every process shares."""
    import fcntl
    import os
    import struct
    import termios
    import threading

    out: dict[str, float] = {}
    with tempfile.NamedTemporaryFile("r", suffix=".marks") as marks:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        drain = threading.Thread(target=_drain, args=(master,), daemon=True)
        drain.start()
        started = time.perf_counter()
        # ``python -c`` puts the working folder first on the path: started from a checkout,
        # every child would import that checkout's fieldkit whatever PYTHONPATH names
        # (``--against`` compared a tree with itself), so the child starts elsewhere
        proc = subprocess.Popen(
            [sys.executable, "-c", code, marks.name],
            stdin=slave, stdout=slave, stderr=subprocess.PIPE,
            env=env, start_new_session=True, cwd=Path(marks.name).parent,
        )  # fmt: skip
        os.close(slave)
        _, err = proc.communicate(timeout=300)
        os.close(master)
        said = marks.read()
        if proc.returncode != 0 or not said:
            raise RuntimeError(f"launch failed ({proc.returncode}): {err.decode()[-2000:]}")
        for line in said.split("\n"):
            if line.strip():
                name, value, cpu = line.split()
                out[name] = float(value) - started
                out[f"cpu {name}"] = float(cpu)
    return out


def _drain(fd: int) -> None:
    import os

    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:7.1f} ms"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))] * 1000


def bench_home(folder: Path, runs: int, against: Path | None = None) -> None:
    """Whole processes, from the exec of python to the first screen drawn: the trivial app
    and ``fieldkit app`` launched in turn (so both meet the same moments of a busy
    machine), medians and p95 of ``runs`` each, after one untimed launch of each.
    ``against``: another source tree of fieldkit (an export of an earlier commit) launched
    in the same turns, for before/after, on a copy of ``folder`` (``<folder>-against``)."""
    import os

    env = dict(os.environ, FIELDKIT_DATA_DIR=str(folder), TERM="xterm-256color",
               FIELDKIT_CONFIG=str(folder / "no-config.toml"))  # fmt: skip
    # As installed: pip writes every module's bytecode at install (Textual's is in
    # site-packages), and an editable checkout writes it at its first launch; with
    # PYTHONDONTWRITEBYTECODE set, as in these sessions' shells, every launch compiled
    # fieldkit's ~200 modules from source (~0.3 s) while Textual's came from the cache.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    here = {**env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    apps = [("trivial", CHILD_TRIVIAL, env), ("fieldkit", CHILD_FIELDKIT, here)]
    if against is not None:
        # A folder of its own, copied afresh: what a start keeps beside the data (the
        # checklist titles, the case lifecycles) names the files it was read from, and two
        # trees' shipped files differ, so in one folder each launch found the other's copy
        # stale and read every checklist again (~0.1-0.3 s a launch, to both trees)
        other = folder.with_name(f"{folder.name}-against")
        shutil.copytree(folder, other, symlinks=True, dirs_exist_ok=True)
        other_env = {**env, "PYTHONPATH": str(against), "FIELDKIT_DATA_DIR": str(other),
                     "FIELDKIT_CONFIG": str(other / "no-config.toml")}  # fmt: skip
        apps.append((f"fieldkit in {against}", CHILD_FIELDKIT, other_env))
    for _, code, app_env in apps:
        launch(code, app_env)  # untimed: the bytecode written, the files in the page cache
    marks: dict[str, dict[str, list[float]]] = {name: {} for name, _, _ in apps}
    for _ in range(runs):
        for name, code, app_env in apps:
            for mark, value in launch(code, app_env).items():
                marks[name].setdefault(mark, []).append(value)
    trivial = marks.pop("trivial")
    base = statistics.median(trivial["interactive"])
    print(f"home: whole processes in a 120x40 pseudo-terminal, {runs} launches each "
          "(bytecode cached, as installed)")  # fmt: skip
    print(f"home: trivial Textual app drawn               {spread(trivial['interactive'])}")
    cpu_base = statistics.median(trivial["cpu interactive"])
    print(f"home: trivial app's CPU time when drawn        {spread(trivial['cpu interactive'])}")
    for app, ours in marks.items():
        if app != "fieldkit":
            print(f"home: {app}")
        for name, label in (("interactive", "home drawn, keys taken"),
                            ("data", "home data drawn"), ("due", "due rounds drawn")):  # fmt: skip
            ratio = statistics.median(ours[name]) / base
            print(f"home: fieldkit {label:<31} {spread(ours[name])}  ({ratio:.2f}x trivial)")
        cpu = ours["cpu data"]
        ratio = statistics.median(cpu) / cpu_base
        label = "CPU time when its data is drawn"
        print(f"home: fieldkit {label:<31} {spread(cpu)}  ({ratio:.2f}x trivial)")


def spread(values: list[float]) -> str:
    return f"p50 {pct(values, 0.5):7.1f} ms  p95 {pct(values, 0.95):7.1f} ms"


def bench_cases(folder: Path) -> None:
    from fieldkit.services.types import UNFINISHED, CaseFilter
    from fieldkit.services.workspace import Workspace

    ws = Workspace.open(folder)
    try:
        t = time.perf_counter()
        page = ws.cases_page(CaseFilter(status=UNFINISHED))
        cold_open = time.perf_counter() - t
        t = time.perf_counter()
        every = ws.cases_page(CaseFilter(status=""))
        cold_all = time.perf_counter() - t
        warm = []
        for _ in range(5):
            t = time.perf_counter()
            ws.cases_page(CaseFilter(status=""), offset=5000)
            warm.append(time.perf_counter() - t)
        print(f"cases: first page, open filter, cold         {cold_open * 1000:7.1f} ms "
              f"({page.total} open)")  # fmt: skip
        print(f"cases: first page, all statuses, cold        {cold_all * 1000:7.1f} ms "
              f"({every.total} cases, from the months' indexes)")  # fmt: skip
        print(f"cases: a page, all statuses, warm            {ms(warm)}")
    finally:
        ws.close()
    print(f"cases: Cases screen, key to first page drawn {asyncio.run(_cases_screen(folder))}")


async def _cases_screen(folder: Path) -> str:
    from fieldkit.services.workspace import Workspace
    from fieldkit.ui.app import FieldkitApp
    from fieldkit.ui.screens.cases import CasesScreen

    ws = Workspace.open(folder)
    app = FieldkitApp(ws)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while getattr(app.screen, "due", None) is None:  # home fully loaded first
                await asyncio.sleep(0.01)
            t = time.perf_counter()
            await pilot.press("c")
            while not (isinstance(app.screen, CasesScreen) and app.screen.page is not None):
                await asyncio.sleep(0.001)
            await pilot.pause()
            return f"{(time.perf_counter() - t) * 1000:7.1f} ms"
    finally:
        ws.close()


async def _key_to_saved(
    folder: Path, answers: int, scan_gap: float, scan_prefix: str = "", check: str = "p"
) -> tuple[list[float], list[float], list[float], list[str]]:
    """Per answer: key event to durable, key event to the key leaving the scan capture
    (the hold-back), and ``Run.answer`` alone on a second run of the same round."""
    from textual import events

    from fieldkit.services.workspace import Workspace
    from fieldkit.ui.app import FieldkitApp
    from fieldkit.ui.screens.runner import RunnerScreen

    ws = Workspace.open(folder)
    app = FieldkitApp(ws, scan_gap=scan_gap, scan_prefix=scan_prefix)
    keys: list[float] = []
    held: list[float] = []
    kinds: list[str] = []  # each timed answer's item type: check (p/f/n) or choice (a digit)
    saves: list[float] = []
    released: list[float] = []
    deliver = app.scan.deliver

    async def timed_deliver(key: events.Key) -> None:
        released.append(time.perf_counter())
        await deliver(key)

    app.scan.deliver = timed_deliver
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            while getattr(app.screen, "due", None) is None:  # home fully loaded first
                await asyncio.sleep(0.01)
            route = ws.lookup_scan("R-2-1").target
            draft = ws.open_draft("fire.extinguisher.floor_round", route.id)
            if draft is not None:  # an earlier setting's round: each setting starts afresh
                ws.discard_draft(draft.id)
            runner = RunnerScreen(checklist_id="fire.extinguisher.floor_round", target=route)
            app.push_screen(runner)
            while runner.run is None:
                await asyncio.sleep(0.005)
            durable: dict[str, float] = {}
            answer = ws.answer
            loop = asyncio.get_running_loop()
            saved: asyncio.Future[None] = loop.create_future()

            def timed(given: Any) -> object:
                view = answer(given)  # returns once Store.save_answer has fsynced
                durable[given.key] = time.perf_counter()
                loop.call_soon_threadsafe(lambda: saved.done() or saved.set_result(None))
                return view

            ws.answer = timed  # the app's saver calls Workspace.answer for each answer
            while len(keys) < answers:
                step = runner.step()
                if step is None:
                    break
                key, char = {"check": (check, check), "choice": ("1", "1")}.get(
                    step.item.type, ("", "")
                )
                if not key:
                    if step.item.type == "multi":
                        await pilot.press("1", "enter")
                    else:
                        await pilot.press("enter")
                    await pilot.pause(0.05)
                    continue
                released.clear()
                saved = loop.create_future()  # woken by the saver thread: polling here
                t = time.perf_counter()  # would take the GIL from the save it measures
                app.post_message(events.Key(key, char))
                while step.key not in durable:
                    await asyncio.wait_for(saved, 10)
                    saved = loop.create_future()
                keys.append(durable[step.key] - t)
                held.append(released[0] - t if released else 0.0)  # none: never held
                kinds.append(step.item.type)
                await pilot.pause()
            target = route
            other = ws.start_run("fire.extinguisher.floor_round", target)
            checks = [s for s in other.steps() if s.item.type == "check"][:answers]
            for step in checks:
                t = time.perf_counter()
                other.answer(step.key, "pass")
                saves.append(time.perf_counter() - t)
    finally:
        ws.close()
    return keys, held, saves, kinds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20, help="launches of each app (home)")
    parser.add_argument("--answers", type=int, default=60)
    parser.add_argument("--scan-gap-ms", type=int, default=SCAN_GAP_DEFAULT_MS)
    parser.add_argument("--only", choices=("home", "cases", "keys"), help="run one part")
    parser.add_argument(
        "--against", type=Path, metavar="SRC",
        help="home: also launch fieldkit from this source tree in the same turns (before/after)",
    )  # fmt: skip
    parser.add_argument(
        "--keep", type=Path, metavar="DIR",
        help="generate the compound into DIR once and reuse it on later runs",
    )  # fmt: skip
    args = parser.parse_args()

    from fieldkit.services.demo import generate

    scratch = Path(tempfile.mkdtemp(prefix="fieldkit-bench-"))
    folder = args.keep or scratch / "compound"
    try:
        if (folder / "reference.json").exists():
            print(f"setup: reusing the compound in {folder}")
        else:
            t = time.perf_counter()
            generate(folder, cases=args.cases)
            print(f"setup: demo compound with {args.cases} cases written in "
                  f"{time.perf_counter() - t:.1f} s")  # fmt: skip
        if args.only in (None, "home"):
            bench_home(folder, args.runs, args.against)
        if args.only in (None, "cases"):
            bench_cases(folder)
        if args.only in (None, "keys"):
            gap = args.scan_gap_ms
            settings = [
                (gap, "", "n", "a check answered n/a: no code of the compound begins with n"),
                (gap, "", "p", "a check answered pass: p begins PARK-B1 and PUMP, held"),
                (0, "", "p", "no scanner"),
                (gap, "ctrl+b", "p", "a scanner sending STX first"),
            ]
            for gap_ms, prefix, check, why in settings:
                keys, held, saves, kinds = asyncio.run(
                    _key_to_saved(folder, args.answers, gap_ms / 1000, prefix, check)
                )
                after = [k - h for k, h in zip(keys, held, strict=True)]
                checks = [k for k, kind in zip(keys, kinds, strict=True) if kind == "check"]
                setting = f'scan_gap_ms = {gap_ms}, key "{check}" ({why})'
                if prefix:
                    setting = f'scan_prefix = "{prefix}", key "{check}" ({why})'

                print(f"key-to-saved: runner, {setting}, {len(keys)} answers")
                for label, values in (("key event to durable", keys),
                                      ("  of which scan hold-back", held),
                                      ("  of which after the hold-back", after),
                                      (f"  checks alone ({len(checks)}, key {check})", checks),
                                      (f"  choices alone ({len(keys) - len(checks)}, key 1)",
                                       [k for k, kind in zip(keys, kinds, strict=True)
                                        if kind != "check"])):  # fmt: skip
                    print(f"key-to-saved:   {label:<32} p50 {pct(values, 0.5):6.1f} ms  "
                          f"p95 {pct(values, 0.95):6.1f} ms")  # fmt: skip
            print(f"key-to-saved: Run.answer alone {'':<17} p50 {pct(saves, 0.5):6.1f} ms  "
                  f"p95 {pct(saves, 0.95):6.1f} ms  ({len(saves)} answers)")  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
