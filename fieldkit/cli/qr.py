"""``fieldkit qr labels|decode``: print QR label sheets from the device's reference data;
read codes back from a photo or a sheet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fieldkit.cli.parser import command_group, error
from fieldkit.i18n import plural, t

KIND_CHOICES = ("unit", "asset", "checkpoint")
FORMATS = {".pdf": "pdf", ".png": "png"}


def register(subparsers) -> None:
    actions = command_group(subparsers, "qr", "qr.cli")

    labels = actions.add_parser(
        "labels", help=t("qr.cli.labels_help"), description=t("qr.cli.labels_description")
    )
    labels.add_argument("--site", required=True, metavar="SITE", help=t("qr.cli.site_help"))
    labels.add_argument("--building", metavar="B", help=t("qr.cli.building_help"))
    labels.add_argument("--kind", choices=KIND_CHOICES, help=t("qr.cli.kind_help"))
    labels.add_argument("--out", required=True, metavar="FILE", help=t("qr.cli.out_help"))
    labels.add_argument(
        "--lang", default=argparse.SUPPRESS, metavar="zh|en", help=t("cli.lang_help")
    )
    labels.set_defaults(handler=labels_command)

    decode = actions.add_parser(
        "decode", help=t("qr.cli.decode_help"), description=t("qr.cli.decode_description")
    )
    decode.add_argument("images", nargs="+", metavar="IMAGE", help=t("qr.cli.image_help"))
    decode.add_argument(
        "--lang", default=argparse.SUPPRESS, metavar="zh|en", help=t("cli.lang_help")
    )
    decode.set_defaults(handler=decode_command)


def _index(data_dir: Path):
    """The label index of the device's reference data, or None (with a message)."""
    from fieldkit.services.labels import LabelIndex
    from fieldkit.store import Store, StoreError

    if not (data_dir / "reference.json").exists():
        error(t("qr.cli.no_reference", path=str(data_dir)))
        return None
    try:
        store = Store.open(data_dir, readonly=True)
    except StoreError as exc:
        error(exc.message())
        return None
    try:
        index = LabelIndex.load(store)
        sites = {s.id: s for s in store.reference("site")}
    finally:
        store.close()
    return index, sites


def labels_command(args, ctx) -> int:
    out = Path(args.out)
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        error(t("qr.cli.bad_format", path=args.out))
        return 2
    if not out.parent.is_dir():
        error(t("qr.cli.no_folder", path=str(out.parent)))
        return 2
    found = _index(ctx.data_dir)
    if found is None:
        return 2
    index, sites = found
    wanted = args.site.strip().upper()
    site_id = next(
        (sid for sid, code in index.site_codes.items() if wanted in (code, sid.upper())), None
    )
    if site_id is None:
        known = ", ".join(sorted(set(index.site_codes.values()))) or "-"
        error(t("qr.cli.unknown_site", site=args.site, known=known))
        return 2
    site_code = index.site_codes[site_id]
    if args.building is not None:
        buildings = sorted({lb.building for lb in index.labels if lb.site == site_code} - {""})
        if args.building not in buildings:
            known = ", ".join(buildings) or "-"
            error(t("qr.cli.unknown_building", building=args.building, known=known))
            return 2
    chosen = index.select(site_code, args.building, args.kind)
    if not chosen:
        error(t("qr.cli.nothing"))
        return 1
    from fieldkit.services.labels import sheet_title

    title = sheet_title(sites[site_id], site_code)
    try:
        from fieldkit.services import labelsheet
    except ImportError as exc:
        error(t("qr.cli.no_library", name=exc.name or "reportlab"))
        return 2
    try:
        if fmt == "pdf":
            count = labelsheet.write_pdf(chosen, out, title)
            files = [out]
        else:
            result = labelsheet.write_png(chosen, out, title)
            files = result.files
            count = len(files)
            if not result.chinese:
                print(t("qr.cli.no_cjk_font"), file=sys.stderr)
    except ImportError as exc:
        error(t("qr.cli.no_library", name=exc.name or "reportlab"))
        return 2
    except OSError as exc:
        error(t("qr.cli.cannot_write", path=str(out), reason=exc.strerror or exc))
        return 2
    print(t("qr.cli.written", labels=len(chosen), pages=count, files=", ".join(map(str, files))))
    skipped = [s for s in index.skipped if s.reason != "site"]
    for item in skipped:
        print(t("qr.cli.skipped", kind=t(f"qr.kind.{item.kind}"), code=item.code or item.id))
    return 1 if skipped else 0


def decode_command(args, ctx) -> int:
    from fieldkit.model.qr import QRError, decode
    from fieldkit.services.zbar import ZbarError, read_codes

    index = None
    if (ctx.data_dir / "reference.json").exists():
        found = _index(ctx.data_dir)
        index = found[0] if found else None
    problems = 0
    total = 0
    for image in args.images:
        try:
            codes = read_codes(Path(image))
        except ZbarError as exc:
            error(t(exc.key, **exc.params))
            return 2
        if not codes:
            print(t("qr.cli.none_found", path=image))
            problems += 1
            continue
        for code in codes:
            total += 1
            try:
                payload = decode(code)
            except QRError as exc:
                problems += 1
                print(f"{code}\t{t(exc.key, **exc.params)}")
                continue
            kind = t(f"qr.kind.{payload.kind}")
            label = index.by_key.get((payload.kind, payload.site, payload.code)) if index else None
            if label is not None:
                from fieldkit.services.types import pick

                print(f"{code}\t{kind} {payload.code}\t{pick(label.names)}")
            else:
                if index is not None:
                    problems += 1
                where = t("qr.cli.not_on_device") if index is not None else ""
                print(f"{code}\t{kind} {payload.code} ({payload.site})\t{where}".rstrip())
    print(plural("qr.cli.decoded", total), file=sys.stderr)
    return 1 if problems else 0
