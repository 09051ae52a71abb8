"""Pure-Python core of Ops Coach.

Nothing in this package imports Odoo: flow logic, caller normalisation, value
validation, payload parsing and rule evaluation live here so that they can be
tested anywhere and reused by every channel (Vapi, Retell, Twilio, manual).
Only relative imports are used inside the package.
"""
