"""Print the Ops line's tool definitions as JSON: Vapi tools for an assistant you
keep in Vapi yourself (the transient assistants the addon answers with carry
them already), or Retell custom functions for your Retell agent.

    python3 scripts/vapi_tools.py https://odoo.example.com [--secret S | --credential-id ID]
    python3 scripts/vapi_tools.py https://odoo.example.com --retell
"""

import argparse
import json
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from coach.tools import TOOLS, function_tools, retell_functions  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", help="where Vapi reaches your Odoo")
    parser.add_argument("--secret", help="sent as X-Vapi-Secret")
    parser.add_argument("--credential-id", help="a Vapi credential to reference instead")
    parser.add_argument("--retell", action="store_true", help="print Retell custom functions instead")
    args = parser.parse_args()
    if args.retell:
        print(json.dumps(retell_functions(args.base_url.rstrip("/") + "/ops_coach/retell", list(TOOLS)), indent=2))
        return
    server = {"url": args.base_url.rstrip("/") + "/ops_coach/vapi", "timeoutSeconds": 20}
    if args.credential_id:
        server["credentialId"] = args.credential_id
    elif args.secret:
        server["headers"] = {"X-Vapi-Secret": args.secret}
    print(json.dumps(function_tools(server, list(TOOLS)), indent=2))


if __name__ == "__main__":
    main()
