"""Live-server tests: a real Odoo 18 with 2 workers on loopback, driven over
HTTP like a voice provider (scripts/test.sh runs them when Odoo is present)."""

import os
import pathlib
import sys

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "scripts"))

import odoo_server  # noqa: E402  (scripts/ is not a package)


@pytest.fixture(scope="session")
def server():
    why = odoo_server.available()
    if why:
        pytest.skip(why)
    with odoo_server.OdooServer(f"ops_coach_live_{os.getpid()}", workers=2, profiles=12) as running:
        yield running
