"""``fieldkit checklist validate|show``: check checklist files; show one as a person reads it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from fieldkit.cli.parser import command_group, error
from fieldkit.i18n import get_language, t

LANG_CHOICES = ("zh", "en")


def register(subparsers) -> None:
    actions = command_group(subparsers, "checklist", "checklists.cli")

    validate = actions.add_parser(
        "validate",
        help=t("checklists.cli.validate_help"),
        description=t("checklists.cli.validate_description"),
    )
    validate.add_argument("paths", nargs="+", metavar="PATH", help=t("checklists.cli.paths_help"))
    validate.add_argument("--strict", action="store_true", help=t("checklists.cli.strict_help"))
    validate.add_argument(
        "--format", choices=("text", "json"), default="text", help=t("checklists.cli.format_help")
    )
    _lang_option(validate)
    validate.set_defaults(handler=validate_command)

    show = actions.add_parser(
        "show", help=t("checklists.cli.show_help"), description=t("checklists.cli.show_description")
    )
    show.add_argument("file", metavar="FILE", help=t("checklists.cli.file_help"))
    _lang_option(show)
    show.set_defaults(handler=show_command)


def _lang_option(parser: argparse.ArgumentParser) -> None:
    """Accept ``--lang`` after the command too; ``fieldkit.cli.main`` has already applied it."""
    parser.add_argument(
        "--lang",
        choices=LANG_CHOICES,
        default=argparse.SUPPRESS,
        metavar="zh|en",
        help=t("cli.lang_help"),
    )


def validate_command(args, ctx) -> int:
    from fieldkit.checklists import checklist_files, load_many

    files: list[Path] = []
    problems = []
    for raw in args.paths:
        path = Path(raw)
        if path.is_dir():
            found = checklist_files(path)
            if not found:
                problems.append(t("checklists.cli.no_files", path=raw))
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            problems.append(t("checklists.cli.missing_path", path=raw))
    if problems:
        for line in problems:
            error(line)
        return 2

    results = load_many(dict.fromkeys(files))
    strict = args.strict
    bad = sum(1 for r in results if not r.ok(strict))
    errors = sum(1 for r in results for d in r.diagnostics if d.is_error(strict))
    warnings = sum(1 for r in results for d in r.diagnostics if not d.is_error(strict))
    if args.format == "json":
        doc = {
            "strict": strict,
            "language": get_language(),
            "files": [
                {
                    "path": r.path,
                    "ok": r.ok(strict),
                    "checklist": r.checklist.ref.to_dict() if r.checklist else None,
                    "diagnostics": [d.to_dict(strict=strict) for d in r.diagnostics],
                }
                for r in results
            ],
            "summary": {
                "files": len(results),
                "invalid": bad,
                "errors": errors,
                "warnings": warnings,
            },
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        for r in results:
            for d in r.diagnostics:
                print(d.render(strict=strict))
        key = "checklists.cli.summary_bad" if bad else "checklists.cli.summary_ok"
        print(t(key, files=len(results), bad=bad, errors=errors, warnings=warnings))
    return 1 if bad else 0


def show_command(args, ctx) -> int:
    from fieldkit.checklists import load_file

    path = Path(args.file)
    if not path.is_file():
        key = "checklists.cli.is_folder" if path.is_dir() else "checklists.cli.missing_path"
        error(t(key, path=args.file))
        return 2
    result = load_file(path)
    if result.checklist is None:
        for d in result.diagnostics:
            print(d.render(), file=sys.stderr)
        print(t("checklists.cli.show_invalid", path=args.file), file=sys.stderr)
        return 1
    print("\n".join(render_tree(result.checklist, get_language())))
    return 0


def render_tree(checklist, lang: str) -> list[str]:
    """The checklist as indented lines: sections, items, options, logic and routing."""
    from fieldkit.checklists.describe import (
        applies_to_words,
        condition_words,
        every_words,
        on_fail_words,
        repeat_words,
        word,
    )
    from fieldkit.checklists.wording import finding_pattern

    def sh(key: str, **params: object) -> str:
        return t(f"checklists.show.{key}", lang, **params)

    lines = [checklist.title.get(lang)]
    lines.append(
        "  "
        + sh("meta", id=checklist.id, version=checklist.version, hash=checklist.content_hash[:19])
    )
    lines.append(
        "  "
        + sh(
            "target",
            target=applies_to_words(checklist.applies_to, lang),
            every=every_words(checklist.schedule, lang),
        )
    )
    if checklist.schedule.calendar:
        lines.append(
            "  " + t("rules.missed.show", lang, route=on_fail_words(checklist.missed_route, lang))
        )
    if checklist.source:
        lines.append("  " + t("rules.source.show", lang, source=checklist.source.get(lang)))
    if checklist.description:
        lines.append("  " + checklist.description.get(lang))
    if checklist.tags:
        lines.append("  " + sh("tags", tags=", ".join(checklist.tags)))
    for s_no, section in enumerate(checklist.sections, 1):
        lines.append("")
        lines.append(f"{s_no}  {section.title.get(lang)}  [{section.id}]")
        if section.repeat:
            lines.append("   " + repeat_words(section.repeat, lang))
        if section.show_if:
            lines.append(
                "   " + sh("shown_when", cond=condition_words(section.show_if, checklist, lang))
            )
        for i_no, item in enumerate(section.items, 1):
            pad = " " * 7
            lines.append(f"   {s_no}.{i_no}  {item.label.get(lang)}  [{item.id}]")
            facts = [word("type", item.type, lang)]
            if item.unit:
                facts.append(sh("unit", unit=item.unit))
            if item.range:
                facts.append(_bounds(sh, "range", item.range))
            if item.expect:
                facts.append(_bounds(sh, "expect", item.expect))
            if item.decimals is not None:
                facts.append(sh("decimals", count=item.decimals))
            if item.required:
                facts.append(sh("required"))
            elif item.required_if:
                facts.append(
                    sh("required_when", cond=condition_words(item.required_if, checklist, lang))
                )
            else:
                facts.append(sh("optional"))
            lines.append(pad + sh("sep").join(facts))
            if item.hint:
                lines.append(pad + sh("hint", text=item.hint.get(lang)))
            if item.show_if:
                lines.append(
                    pad + sh("shown_when", cond=condition_words(item.show_if, checklist, lang))
                )
            for option in item.options:
                text = f"{option.label.get(lang)} [{option.id}]"
                if option.fails:
                    route = on_fail_words(option.on_fail or item.on_fail, lang)
                    lines.append(pad + "✗ " + text + "  " + sh("option_fails", route=route))
                else:
                    lines.append(pad + "· " + text)
            if item.can_fail and item.type in ("check", "number"):
                lines.append(pad + sh("on_fail", route=on_fail_words(item.on_fail, lang)))
            if item.can_fail:
                lines.append(pad + t("findings.show.reads", lang, text=finding_pattern(item, lang)))
    return lines


def _bounds(sh, kind: str, pair) -> str:
    low, high = pair
    if low is not None and high is not None:
        return sh(f"{kind}_both", low=low, high=high)
    if low is not None:
        return sh(f"{kind}_low", low=low)
    if high is not None:
        return sh(f"{kind}_high", high=high)
    return sh(f"{kind}_open")
