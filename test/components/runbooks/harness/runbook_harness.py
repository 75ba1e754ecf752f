"""Runs a runbook's embedded Python handler for real, as aws:executeScript would, against moto_server.

One JSON request per stdin line, one JSON answer per stdout line (a long-lived process: boto3 is
imported once). Requests:
  {"kind": "script", "script": <source>, "handler": <name>, "events": {...},
   "ssm": [{"method": ..., "response": {...}, "expected": {...} | null}],
   "raceStart": [<instance ids another actor starts right after the first DescribeInstances>],
   "ec2Errors": {<operation>: <error code EC2 answers instead>},
   "snapshotState": <State every DescribeSnapshots answer reports instead, e.g. "error">}
  {"kind": "api", "service": "ec2", "operation": "stop_instances", "params": {...}}
EC2 goes to moto_server (MOTO_ENDPOINT). moto has no DescribeInstanceInformation, so the script's
SSM client is a real botocore client wrapped in botocore's Stubber, answering exactly the queued
responses (and checking the request parameters): any other SSM call fails the script.
The script itself is the runbook's source, executed unchanged: nothing of the runbook is faked.
"""
import json
import os
import sys
import traceback
from datetime import datetime

import boto3
from botocore.exceptions import ClientError
from botocore.stub import Stubber

ENDPOINT = os.environ["MOTO_ENDPOINT"]
REGION = os.environ.get("AWS_DEFAULT_REGION", "eu-west-2")
_real_client = boto3.client


def moto_client(service):
    return _real_client(service, region_name=REGION, endpoint_url=ENDPOINT,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def timestamps(value):
    """JSON has no timestamps: ISO strings under *DateTime keys become aware datetimes."""
    if isinstance(value, dict):
        return {k: (datetime.fromisoformat(v) if k.endswith("DateTime") and isinstance(v, str) else timestamps(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [timestamps(v) for v in value]
    return value


def run_script(request):
    ssm = _real_client("ssm", region_name=REGION, aws_access_key_id="testing", aws_secret_access_key="testing")
    stubber = Stubber(ssm)
    for stub in request.get("ssm", []):
        stubber.add_response(stub["method"], timestamps(stub["response"]), stub.get("expected"))
    stubber.activate()
    race = list(request.get("raceStart", []))

    def client(service, *args, **kwargs):
        if service == "ssm":
            return ssm
        made = moto_client(service)
        if service == "ec2" and race:
            def another_actor_starts(**_):
                # Someone else starts these instances between our describe and our StartInstances.
                if race:
                    moto_client("ec2").start_instances(InstanceIds=race)
                    race.clear()
            made.meta.events.register("after-call.ec2.DescribeInstances", another_actor_starts)
        if service == "ec2":
            for operation, code in request.get("ec2Errors", {}).items():
                def fail(operation=operation, code=code, **_):
                    raise ClientError({"Error": {"Code": code, "Message": "injected by the test"}}, operation)
                made.meta.events.register(f"before-call.ec2.{operation}", fail)
            if request.get("snapshotState"):
                def report_state(parsed, **_):
                    for snapshot in parsed.get("Snapshots", []):
                        snapshot["State"] = request["snapshotState"]
                made.meta.events.register("after-call.ec2.DescribeSnapshots", report_state)
        return made

    boto3.client = client
    try:
        namespace = {"__name__": "runbook_script"}
        exec(compile(request["script"], "<runbook script>", "exec"), namespace)
        payload = namespace[request["handler"]](request["events"], None)
        return {"ok": True, "payload": payload, "unusedSsmStubs": len(stubber._queue)}
    except Exception as error:  # the step fails, as it would in Automation
        return {"ok": False, "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc(limit=3)}
    finally:
        boto3.client = _real_client


def run_api(request):
    client = moto_client(request["service"])
    response = getattr(client, request["operation"])(**request.get("params", {}))
    response.pop("ResponseMetadata", None)
    return {"ok": True, "payload": json.loads(json.dumps(response, default=str))}


for line in sys.stdin:
    request = json.loads(line)
    try:
        answer = run_script(request) if request["kind"] == "script" else run_api(request)
    except Exception as error:
        answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer, default=str) + "\n")
    sys.stdout.flush()
