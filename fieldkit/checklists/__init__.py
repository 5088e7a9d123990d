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

The names below are imported from their module when first asked for (PEP 562): a part that
needs one module, such as the case lifecycle reader (``source``, ``reading``,
``diagnostics``), does not make the loader's, the runtime's and the expression language's
classes on the way (issue 17: the app's start).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

#: Each public name by the module that holds it.
_WHERE = {
    "definition": (
        "Checklist", "ChecklistRef", "Condition", "Item", "OnFail", "Option", "Repeat",
        "Section", "Text",
    ),
    "diagnostics": ("CODES", "Diagnostic"),
    "durations": ("parse_duration",),
    "loader": (
        "LoadResult", "load_file", "load_folder", "load_many", "load_text",
    ),
    "locate": ("checklist_files", "shipped_dir"),
    "runtime": (
        "Answer", "AnswerProblem", "ItemState", "Outcome", "Pass", "RunState", "check_answer",
        "check_number", "evaluate_run", "expand", "is_answered", "outcome", "pass_key",
        "read_number",
    ),
}  # fmt: skip
_MODULE = {name: module for module, names in _WHERE.items() for name in names}

__all__ = sorted(_MODULE)


def __getattr__(name: str) -> Any:
    module = _MODULE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE))
