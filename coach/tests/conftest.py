"""Make the pure package importable as ``coach`` without importing the addon
(whose ``__init__`` needs Odoo)."""

import pathlib
import sys

ADDON_ROOT = pathlib.Path(__file__).resolve().parents[2]
if str(ADDON_ROOT) not in sys.path:
    sys.path.insert(0, str(ADDON_ROOT))
