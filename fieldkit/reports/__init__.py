"""Reports computed from record dicts, the same on a device and on the office server.

Sits just above :mod:`fieldkit.model` in the import layers, so ``fieldkit.services`` (the
device) and ``fieldkit_server`` (the office) both use one implementation of the numbers
and of their printable forms; neither the store, the server's database nor Textual is
imported here.
"""
