/**
 * The Python (python3.11) of the window-cutoff runbook (cutoffDocument.ts): cancel this group's
 * gated patch runs that are still running when the change window ends.
 */
import { ROLLOUT_TAGS, TERMINAL_STATUSES } from "./gateScript";

const terminal = `{${TERMINAL_STATUSES.map((s) => `'${s}'`).join(", ")}}`;

// Found by document name and the gate's tag key (DescribeAutomationExecutions filters by tag KEY
// only), then each run's tags are read back: only a run whose patching:group tag names this group
// AND that carries the gate key is stopped; an untagged run (started by hand, by another tool) is
// never touched. Type Cancel (not Complete) so the stopped-instances workflow's onCancel step
// re-stops the instances it started. Idempotent: runs already Cancelling or finished are skipped,
// and a run that finishes between the describe and the stop (InvalidAutomationStatusUpdate) is
// reported as already ended, so a second cutoff run changes nothing.
export const CUTOFF_SCRIPT = [
    "import boto3",
    "from botocore.exceptions import ClientError",
    "",
    `GROUP_TAG, GATE_TAG_PREFIX = '${ROLLOUT_TAGS.group}', '${ROLLOUT_TAGS.gatePrefix}'`,
    `TERMINAL = ${terminal}`,
    "",
    "def cancel_running_patch_runs(events, context):",
    "    ssm = boto3.client('ssm')",
    "    group, gate_key = events['PatchGroup'], GATE_TAG_PREFIX + events['PatchGroup']",
    "    cancelled, ended, ignored = [], [], []",
    "    for document in events['DocumentNames']:",
    "        filters = [{'Key': 'DocumentNamePrefix', 'Values': [document]}, {'Key': 'TagKey', 'Values': [gate_key]}]",
    "        for page in ssm.get_paginator('describe_automation_executions').paginate(Filters=filters):",
    "            for run in page['AutomationExecutionMetadataList']:",
    "                run_id, status = run['AutomationExecutionId'], run['AutomationExecutionStatus']",
    "                if run['DocumentName'] != document or run.get('ParentAutomationExecutionId') or status in TERMINAL or status == 'Cancelling':",
    "                    continue",
    "                tags = {t['Key']: t['Value'] for t in ssm.list_tags_for_resource(ResourceType='Automation', ResourceId=run_id)['TagList']}",
    "                if tags.get(GROUP_TAG) != group or gate_key not in tags:",
    "                    ignored.append(run_id)",
    "                    continue",
    "                try:",
    "                    ssm.stop_automation_execution(AutomationExecutionId=run_id, Type='Cancel')",
    "                    cancelled.append(run_id)",
    "                except ClientError as error:",
    "                    if error.response['Error']['Code'] != 'InvalidAutomationStatusUpdateException':",
    "                        raise",
    "                    ended.append(run_id)",
    "    status = 'cancelled ' + str(len(cancelled)) + ' running patch run(s) of ' + group",
    "    if ended:",
    "        status += '; ' + str(len(ended)) + ' ended before the cutoff reached them'",
    "    return {'CancelledExecutionIds': cancelled, 'AlreadyEnded': ended, 'NotGated': ignored, 'Status': status}",
].join("\n");
