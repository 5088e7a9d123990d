"""Devices: the list with when each was last seen, enrolment (the enrolment code and its
QR code on the page, as ``fieldkit-server enroll`` prints them) and revoking. The same
functions as the command line (``fieldkit_server.devices``)."""

from __future__ import annotations

import io

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from fieldkit.sync.protocol import ALL_SITES, ROLES
from fieldkit_server.console import people, web
from fieldkit_server.devices import DeviceError, add_device, device_state, revoke_device
from fieldkit_server.tables import Device

router = APIRouter()
NAME_MAX = 100
HOURS = (1, 24, 72)


def _page(ctx: web.Ctx, status: int = 200, **values) -> Response:
    consoles = people.console_device_ids(ctx.db)
    with ctx.db.sessions() as session:
        q = select(Device).order_by(Device.created_at.desc())
        if ctx.person.site != ALL_SITES:
            q = q.where(Device.site == ctx.person.site)
        found = [d for d in session.execute(q).scalars() if d.id not in consoles]
    return web.page(
        ctx, "devices.html", status, devices=found, state=device_state, roles=ROLES,
        hours=HOURS, **values,
    )  # fmt: skip


@router.get("/devices")
def devices(request: Request) -> Response:
    return _page(web.person(request, "devices"))


def qr_svg(text: str) -> str:
    """The code as an SVG QR code (drawn here: the page fetches nothing)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=12, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode("utf-8").split("?>", 1)[-1]


@router.post("/devices")
async def enrol(request: Request) -> Response:
    ctx = web.person(request, "devices")
    data = await web.form(ctx)
    name = str(data.get("name") or "").strip()[:NAME_MAX]
    role = str(data.get("role") or "")
    site = ctx.person.site if ctx.person.site != ALL_SITES else str(data.get("site") or "")
    try:
        hours = float(str(data.get("hours") or "24"))
    except ValueError:
        hours = 24.0
    if not name:
        return _page(ctx, 422, error=ctx.t("console.devices.name_needed"), form=data)
    if hours not in HOURS:
        hours = 24.0
    try:
        new = add_device(ctx.db, site=site.strip()[:100], role=role, name=name, hours=hours)
    except DeviceError as exc:
        return _page(ctx, 422, error=ctx.t(exc.key, **exc.params), form=data)
    people.record(ctx.db, ctx.person, "device_enrolled", "device", new.device_id, site,
                  role=role, name=name)  # fmt: skip
    url = str(request.base_url).rstrip("/")
    return _page(
        ctx, enrolled={"name": name, "role": role, "site": site, "code": new.code,
                       "expires": new.expires_at, "qr": qr_svg(new.code), "url": url},
    )  # fmt: skip


@router.post("/devices/{device_id}/revoke")
async def revoke(request: Request, device_id: str) -> Response:
    ctx = web.person(request, "devices")
    await web.form(ctx)
    with ctx.db.sessions() as session:
        device = session.get(Device, device_id[:36])
    consoles = people.console_device_ids(ctx.db)
    if device is None or device.id in consoles or not ctx.person.sees(device.site):
        raise web.Refusal(404, "console.error.no_device")
    if ctx.person.site != ALL_SITES and device.site == ALL_SITES:
        raise web.Refusal(404, "console.error.no_device")
    try:
        revoke_device(ctx.db, device.id)
    except DeviceError as exc:
        return _page(ctx, 422, error=ctx.t(exc.key, **exc.params))
    people.record(ctx.db, ctx.person, "device_revoked", "device", device.id, device.site)
    return _page(ctx, notice=ctx.t("console.devices.revoked", name=device.name))
