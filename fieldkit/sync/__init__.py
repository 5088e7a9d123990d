"""Sync on the device: the wire protocol and the record limits (shared with the office
server, which imports them), the device client and the device's side of the boundary.

The server is its own package, ``fieldkit_server`` in ``sync/``; nothing here imports it.
"""
