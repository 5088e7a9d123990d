"""Sync: the wire protocol (shared by both ends), the device client and the office server.

The server lives in ``fieldkit.sync.server`` and needs the ``server`` extra; nothing on the
device side imports it.
"""
