"""
Runs SQS calls through boto3 for the tests, one JSON request per line on stdin, one JSON answer
per line on stdout. The interpreter decides the protocol: botocore >= 1.31.81 speaks AWS JSON 1.0,
Debian's python3-boto3 1.26 the Query protocol; the first line out says which.

Request: {"op": "SendMessage", "params": {...}}. Answer: {"ok": {...}} with the parsed reply
(bytes as base64), or {"error": {"code", "message", "status", "type", "queryErrorCode"}}.
Client-side parameter validation is off so the service sees exactly what the test sends.
"""
import base64
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint = sys.argv[1]
client = boto3.client(
    "sqs",
    endpoint_url=endpoint,
    region_name="us-east-1",
    aws_access_key_id="AKIDEXAMPLE",
    aws_secret_access_key="secret",
    config=Config(retries={"max_attempts": 1}, parameter_validation=False),
)


def plain(value):
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def out(answer):
    sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


out({"protocol": client.meta.service_model.protocol, "botocore": __import__("botocore").__version__})
for line in sys.stdin:
    if not line.strip():
        continue
    request = json.loads(line)
    try:
        # The operation's wire name, so tests use AWS's names (SendMessage, not send_message).
        result = client._make_api_call(request["op"], request.get("params", {}))
        out({"ok": plain(result)})
    except ClientError as error:
        response = error.response
        details = response.get("Error", {})
        out(
            {
                "error": {
                    "code": details.get("Code"),
                    "message": details.get("Message"),
                    "type": details.get("Type"),
                    "queryErrorCode": details.get("QueryErrorCode"),
                    "status": response.get("ResponseMetadata", {}).get("HTTPStatusCode"),
                }
            }
        )
    except Exception as error:  # a client-side failure: reported, never a hang
        out({"error": {"code": "ClientSide", "message": f"{type(error).__name__}: {error}"}})
