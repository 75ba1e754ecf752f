"""
Runs the rollout runbooks' embedded Python (gate, cutoff) unchanged, one JSON request per line on
stdin, one JSON answer per line on stdout: the same protocol as runbooks/harness/runbook_harness.py,
so runbookInterpreter.ts drives it. Differences, and why:
- moto_server (5.2.1) implements none of the APIs these scripts call (GetCalendarState,
  DescribeAutomationExecutions, GetAutomationExecution, StartAutomationExecution,
  StopAutomationExecution; ListTagsForResource only for other resource types), so every SSM call
  is answered by botocore's Stubber, which also validates each request against the SSM service
  model and compares it with the expected parameters: an unexpected or malformed call fails the script.
- A request {"kind": "clock", "now": ISO} freezes the scripts' `datetime.now()` (offset days and
  minDays depend on the date); the scripts themselves are not changed.
- Execution timestamps (ExecutionStartTime/EndTime) in queued responses become aware datetimes,
  as boto3 returns them.
"""
import json
import sys
import traceback
from datetime import datetime

import boto3
from botocore.stub import Stubber

_real_client = boto3.client
TIMESTAMP_KEYS = {"ExecutionStartTime", "ExecutionEndTime"}
clock = {"now": None}


class FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz=None):
        frozen = clock["now"]
        if frozen is None:
            return datetime.now(tz)
        return frozen.astimezone(tz) if tz is not None else frozen.replace(tzinfo=None)


def timestamps(value):
    if isinstance(value, dict):
        return {k: (datetime.fromisoformat(v) if k in TIMESTAMP_KEYS and isinstance(v, str) else timestamps(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [timestamps(v) for v in value]
    return value


def run_script(request):
    ssm = _real_client("ssm", region_name="eu-west-2", aws_access_key_id="testing", aws_secret_access_key="testing")
    stubber = Stubber(ssm)
    for stub in request.get("ssm", []):
        if "error" in stub:
            stubber.add_client_error(stub["method"], service_error_code=stub["error"], expected_params=stub.get("expected"))
        else:
            stubber.add_response(stub["method"], timestamps(stub["response"]), stub.get("expected"))
    stubber.activate()

    def client(service, *args, **kwargs):
        if service != "ssm":
            raise Exception("the rollout scripts call only SSM, not " + service)
        return ssm

    boto3.client = client
    try:
        namespace = {"__name__": "runbook_script"}
        exec(compile(request["script"], "<runbook script>", "exec"), namespace)
        if "datetime" in namespace:
            namespace["datetime"] = FrozenDatetime
        payload = namespace[request["handler"]](request["events"], None)
        return {"ok": True, "payload": payload, "unusedSsmStubs": len(stubber._queue)}
    except Exception as error:  # the step fails, as it would in Automation
        return {"ok": False, "error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc(limit=3)}
    finally:
        boto3.client = _real_client


for line in sys.stdin:
    request = json.loads(line)
    try:
        if request["kind"] == "clock":
            clock["now"] = datetime.fromisoformat(request["now"])
            answer = {"ok": True, "payload": {}}
        else:
            answer = run_script(request)
    except Exception as error:
        answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
    sys.stdout.write(json.dumps(answer, default=str) + "\n")
    sys.stdout.flush()
