"""QR labels of a compound: what each unit, asset and checkpoint's label says, and what a
scanned label names.

A label's payload (:mod:`fieldkit.model.qr`) carries the site's short code and the code
painted on site (``Unit.label`` or ``number``, ``Asset.label``, ``Checkpoint.label``), so a
label printed today still resolves after the office re-sends its reference data with new
record ids. :class:`LabelIndex` is built once from the store's reference data;
:func:`lookup` answers a scan without touching the disk and never changes anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fieldkit.i18n import t
from fieldkit.model.qr import QRError, decode, encode, field_text, looks_like_payload
from fieldkit.services import places as places_
from fieldkit.services.types import ScanLookup
from fieldkit.store.keyed import label_key, painted_code

KIND_ORDER = ("unit", "asset", "checkpoint")


@dataclass(frozen=True)
class Label:
    """One printable label: the payload, the code people read, and the names under it."""

    payload: str
    kind: str
    id: str
    code: str
    names: dict[str, str]
    site: str
    building: str = ""


@dataclass(frozen=True)
class Skipped:
    """A record that cannot get a label (its code has characters a label cannot carry)."""

    kind: str
    id: str
    code: str
    reason: str


def _names(doc: dict) -> dict[str, str]:
    """A stored record's names; extras are top-level keys of a stored dict."""
    names = doc.get("names")
    if isinstance(names, dict) and names:
        return {str(k): str(v) for k, v in names.items()}
    text = doc.get("name") or doc.get("number") or doc["id"]
    return {"zh": text, "en": text}


@dataclass
class LabelIndex:
    """Every label of the device's reference data, by payload key and in print order."""

    site_codes: dict[str, str] = field(default_factory=dict)  # site id -> code (upper)
    building_codes: dict[str, str] = field(default_factory=dict)  # building id -> code
    labels: list[Label] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    by_key: dict[tuple[str, str, str], Label] = field(default_factory=dict)

    @classmethod
    def load(cls, store: Any) -> LabelIndex:
        index = cls(site_codes=site_codes(store))
        index.building_codes = {b.id: b.code or b.name for b in store.reference("building")}
        # Stored dicts, not records: 20,000 flats index in a fraction of the time.
        for kind in KIND_ORDER:
            for doc in store.reference_docs(kind):
                index._add(kind, doc)
        return index

    def _add(self, kind: str, doc: dict) -> None:
        code = painted_code(kind, doc)
        site = self.site_codes.get(doc.get("site_id", ""))
        if site is None:
            self.skipped.append(Skipped(kind, doc["id"], code, "site"))
            return
        try:
            payload = encode(kind, site, code)
        except QRError as exc:
            self.skipped.append(Skipped(kind, doc["id"], code, exc.key))
            return
        label = Label(
            payload=payload,
            kind=kind,
            id=doc["id"],
            code=code.upper(),
            names=_names(doc),
            site=site,
            building=self.building_codes.get(doc.get("building_id") or "", ""),
        )
        self.labels.append(label)
        self.by_key[(kind, site, label.code)] = label

    def select(
        self, site: str, building: str | None = None, kind: str | None = None
    ) -> list[Label]:
        """Labels of one site (code, case-insensitive), optionally one building and kind,
        in print order: kind, then building, then code."""
        site = site.strip().upper()
        out = [
            label
            for label in self.labels
            if label.site == site
            and (building is None or label.building == building)
            and (kind is None or label.kind == kind)
        ]
        out.sort(key=lambda lb: (KIND_ORDER.index(lb.kind), lb.building, places_.natural(lb.code)))
        return out


def sheet_title(site: Any, code: str) -> str:
    """The heading of a label sheet: the site's names in both languages and its code
    (翠湖苑 / Cuihu Garden (CH)); ``site`` is a :class:`fieldkit.model.Site`."""
    names = site.extra.get("names") if isinstance(site.extra.get("names"), dict) else {}
    title = " / ".join(dict.fromkeys(v for v in (names.get("zh"), names.get("en")) if v))
    return f"{title or site.name} ({code})"


def site_codes(store: Any) -> dict[str, str]:
    """Site id -> the code its labels carry (upper case), for the sites that can have one."""
    out = {}
    for site in store.reference("site"):
        try:
            out[site.id] = field_text(site.code or site.name)
        except QRError:
            continue
    return out


def lookup(store: Any, code: str) -> ScanLookup:
    """What a scanned fieldkit payload names, from the store's reference index (one bucket
    and the record: the same at the first scan after start as at the hundredth). Unknown,
    misread, another site's or junk codes give ``status`` malformed/unknown and a
    ``message`` saying what to do."""
    raw = code.strip()
    try:
        payload = decode(raw)
    except QRError as exc:
        return ScanLookup(code=raw, status="malformed", message=t(exc.key, **exc.params))
    sites = site_codes(store)
    here = sorted(set(sites.values()))
    if payload.site not in here:
        message = t("qr.scan.other_site", code=raw, site=payload.site, here=", ".join(here))
        return ScanLookup(code=raw, status="unknown", message=message)
    target = next(
        (
            found
            for site_id, site in sites.items()
            if site == payload.site
            for found in places_.find(store, label_key(payload.kind, site_id, payload.code))
        ),
        None,
    )
    if target is None:
        message = t(
            "qr.scan.unknown", kind=t(f"qr.kind.{payload.kind}"), label=payload.code,
            site=payload.site,
        )  # fmt: skip
        return ScanLookup(code=raw, status="unknown", message=message)
    return ScanLookup(code=raw, status="found", target=target)


def scan(workspace: Any, code: str) -> ScanLookup:
    """``Workspace.lookup_scan`` for fieldkit payloads."""
    return lookup(workspace.store, code)


__all__ = [
    "Label", "LabelIndex", "Skipped", "looks_like_payload", "lookup", "painted_code", "scan",
    "sheet_title",
]  # fmt: skip
