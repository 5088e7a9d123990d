"""The checklist language: load YAML with positions, validate, evaluate logic safely.

Loading (never raises; problems come back as diagnostics)::

    from fieldkit.checklists import load_file
    result = load_file("checklists/fire/extinguisher-monthly.yaml")
    for d in result.diagnostics:
        print(d.render())           # path:line:column: FKnnn: message (current language)
    checklist = result.checklist    # a Checklist, or None when there was any error

Running (the app and the office server share these)::

    from fieldkit.checklists import evaluate_run, expand
    passes = expand(checklist, assets)                      # assets: [{"id", "kind", ...}]
    state = evaluate_run(checklist, answers, passes=passes) # answers[pass_key][item_id]
    state.missing, state.failures, state.get(pass_key, item_id).visible

Modules: ``loader`` (load_*), ``definition`` (the dataclasses), ``runtime`` (run helpers),
``expressions`` (the condition language), ``diagnostics`` (codes and messages),
``durations`` (``4h`` → timedelta), ``vocabulary`` (fixed words), ``describe`` (conditions
and routing in words), ``locate`` (the shipped checklists folder).
"""

from fieldkit.checklists.definition import (
    Checklist,
    ChecklistRef,
    Condition,
    Item,
    OnFail,
    Option,
    Repeat,
    Section,
    Text,
)
from fieldkit.checklists.diagnostics import CODES, Diagnostic
from fieldkit.checklists.durations import parse_duration
from fieldkit.checklists.loader import (
    LoadResult,
    checklist_files,
    load_file,
    load_folder,
    load_many,
    load_text,
)
from fieldkit.checklists.locate import shipped_dir
from fieldkit.checklists.runtime import (
    Answer,
    AnswerProblem,
    ItemState,
    Outcome,
    Pass,
    RunState,
    check_answer,
    check_number,
    evaluate_run,
    expand,
    is_answered,
    outcome,
    pass_key,
    read_number,
)

__all__ = [
    "CODES",
    "Answer",
    "AnswerProblem",
    "Checklist",
    "ChecklistRef",
    "Condition",
    "Diagnostic",
    "Item",
    "ItemState",
    "LoadResult",
    "OnFail",
    "Option",
    "Outcome",
    "Pass",
    "Repeat",
    "RunState",
    "Section",
    "Text",
    "check_answer",
    "check_number",
    "checklist_files",
    "evaluate_run",
    "expand",
    "is_answered",
    "load_file",
    "load_folder",
    "load_many",
    "load_text",
    "outcome",
    "parse_duration",
    "pass_key",
    "read_number",
    "shipped_dir",
]
