/**
 * The Python (python3.11) of the gate runbook's aws:executeScript steps (gateDocument.ts). One
 * source for the check and the start step so both parse the patch-run request the same way.
 * Its Patch Tuesday arithmetic is patchTuesday.ts's, line for line (a test cross-checks them).
 */
import { MAX_PATCH_TUESDAY_OFFSET_DAYS } from "./patchTuesday";

/**
 * Tags the gate puts on the patch run it starts (Automation executions take at most 5 tags,
 * tagging-automations.html). DescribeAutomationExecutions filters by tag KEY only
 * (AutomationExecutionFilter TagKey), so the group is part of one key: `patching:gate:<group>`
 * finds a group's gated runs in one call; its value is the gate execution id (audit trail). The
 * scripts still read the tags back (ListTagsForResource) before trusting a run.
 */
export const ROLLOUT_TAGS = {
    group: "patching:group",
    operation: "patching:operation",
    gatePrefix: "patching:gate:",
    overrideReason: "patching:override-reason",
} as const;

/** StartAutomationExecution members the gate passes on; anything else is refused (fail closed). */
export const PATCH_RUN_REQUEST_KEYS = ["DocumentName", "Parameters", "TargetParameterName", "Targets", "MaxConcurrency", "MaxErrors", "TargetLocations", "AlarmConfiguration"] as const;

/**
 * Execution statuses after which a run does nothing more (AutomationExecutionStatus enum, SSM API
 * reference); every other status (Pending, InProgress, Waiting, Cancelling, approvals, Scheduled,
 * RunbookInProgress, change-calendar override states) is still running.
 */
export const TERMINAL_STATUSES = ["Success", "Failed", "TimedOut", "Cancelled", "Rejected", "CompletedWithSuccess", "CompletedWithFailure", "Exited", "ChangeCalendarOverrideRejected"] as const;

const py = (values: readonly string[]) => `{${values.map((v) => `'${v}'`).join(", ")}}`;

export const GATE_SCRIPT = [
    "import json",
    "from datetime import date, datetime, timedelta, timezone",
    "from zoneinfo import ZoneInfo",
    "import boto3",
    "",
    `GROUP_TAG, OPERATION_TAG, GATE_TAG_PREFIX, OVERRIDE_TAG = '${ROLLOUT_TAGS.group}', '${ROLLOUT_TAGS.operation}', '${ROLLOUT_TAGS.gatePrefix}', '${ROLLOUT_TAGS.overrideReason}'`,
    `MAX_OFFSET_DAYS = ${MAX_PATCH_TUESDAY_OFFSET_DAYS}`,
    `TERMINAL = ${py(TERMINAL_STATUSES)}`,
    `REQUEST_KEYS = ${py(PATCH_RUN_REQUEST_KEYS)}`,
    "",
    "def second_tuesday(year, month):",
    "    first = date(year, month, 1)",
    "    # weekday(): Monday 0, Tuesday 1",
    "    return first + timedelta(days=(1 - first.weekday()) % 7 + 7)",
    "",
    "def offset_day(year, month, offset):",
    "    return second_tuesday(year, month) + timedelta(days=offset)",
    "",
    "def previous_month(day):",
    "    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)",
    "",
    "def is_offset_day(day, offset):",
    "    # This month's second Tuesday + N, or last month's when N carried it over the month end.",
    "    year, month = previous_month(day)",
    "    return day in (offset_day(day.year, day.month, offset), offset_day(year, month, offset))",
    "",
    "def next_offset_day(day, offset):",
    "    year, month = previous_month(day)",
    "    for _ in range(3):",
    "        candidate = offset_day(year, month, offset)",
    "        if candidate >= day:",
    "            return candidate",
    "        year, month = (year, month + 1) if month < 12 else (year + 1, 1)",
    "",
    "def patch_run_request(chunks):",
    "    # The request arrives as a StringList of <=500-character chunks: one parameter value may",
    "    # hold 512 characters (AutomationParameterValue), a request with many locations is longer.",
    "    request = json.loads(''.join(chunks))",
    "    unknown = sorted(set(request) - REQUEST_KEYS)",
    "    if unknown or 'DocumentName' not in request or 'TargetLocations' not in request:",
    "        raise Exception('PatchRunRequest must be a StartAutomationExecution request with DocumentName and TargetLocations; refusing members ' + ', '.join(unknown))",
    "    return request",
    "",
    "def tags_of(ssm, execution_id):",
    "    return {t['Key']: t['Value'] for t in ssm.list_tags_for_resource(ResourceType='Automation', ResourceId=execution_id)['TagList']}",
    "",
    "def latest_install(ssm, group, document):",
    "    filters = [{'Key': 'DocumentNamePrefix', 'Values': [document]}, {'Key': 'TagKey', 'Values': [GATE_TAG_PREFIX + group]}]",
    "    pages = ssm.get_paginator('describe_automation_executions').paginate(Filters=filters)",
    "    # A prefix filter: keep the exact document; top-level runs only (not per-location children).",
    "    runs = [r for page in pages for r in page['AutomationExecutionMetadataList'] if r['DocumentName'] == document and not r.get('ParentAutomationExecutionId')]",
    "    for run in sorted(runs, key=lambda r: r['ExecutionStartTime'], reverse=True):",
    "        tags = tags_of(ssm, run['AutomationExecutionId'])",
    "        if tags.get(GROUP_TAG) == group and tags.get(OPERATION_TAG) == 'Install' and GATE_TAG_PREFIX + group in tags:",
    "            return run",
    "    return None",
    "",
    "def ring_hold(ssm, ring, document, zone, today):",
    "    \"\"\"(reason to hold or None, note). Days are calendar days in the gate's time zone.\"\"\"",
    "    group, min_days, require = ring['after'], int(ring['minDays']), ring['require']",
    "    document = ring.get('documentName', document)",
    "    run = latest_install(ssm, group, document)",
    "    if run is None:",
    "        return 'ring ' + group + ' has no install run of ' + document + ' started by a gate', None",
    "    name = 'ring ' + group + \"'s latest install \" + run['AutomationExecutionId']",
    "    status = run['AutomationExecutionStatus']",
    "    if status not in TERMINAL:",
    "        return name + ' is still ' + status, None",
    "    ended = (run.get('ExecutionEndTime') or run['ExecutionStartTime']).astimezone(zone).date()",
    "    days = (today - ended).days",
    "    if days < min_days:",
    "        return name + ' ended ' + str(ended) + ', ' + str(days) + ' day(s) ago; ' + str(min_days) + ' required', None",
    "    if require == 'success':",
    "        if status != 'Success':",
    "            return name + ' ended ' + status + '; Success required', None",
    "        return None, name + ' succeeded ' + str(days) + ' day(s) ago'",
    "    required = float(require['compliancePercent'])",
    "    counters = ssm.get_automation_execution(AutomationExecutionId=run['AutomationExecutionId'])['AutomationExecution'].get('ProgressCounters', {})",
    "    total, succeeded = counters.get('TotalSteps', 0), counters.get('SuccessSteps', 0)",
    "    percent = 100.0 * succeeded / total if total else 0.0",
    "    share = '%g%% of its steps succeeded across accounts and Regions (%d of %d)' % (percent, succeeded, total)",
    "    if percent < required:",
    "        return name + ' ended ' + status + ': ' + share + '; ' + ('%g' % required) + '% required', None",
    "    return None, name + ': ' + share",
    "",
    "def check_gates(events, context):",
    "    request = patch_run_request(events['PatchRunRequest'])",
    "    zone_name = events['TimeZone']",
    "    zone = ZoneInfo(zone_name)",
    "    today = datetime.now(timezone.utc).astimezone(zone).date()",
    "    offset = events['PatchTuesdayOffsetDays']",
    "    notes = []",
    "    if offset != '':",
    "        days = int(offset)",
    "        if days < 0 or days > MAX_OFFSET_DAYS:",
    "            raise Exception('PatchTuesdayOffsetDays ' + offset + ' is not from 0 to ' + str(MAX_OFFSET_DAYS))",
    "        if not is_offset_day(today, days):",
    "            return {'Decision': 'wait', 'Status': 'held: ' + str(today) + ' (' + zone_name + ') is not Patch Tuesday + ' + offset + ' days; next ' + str(next_offset_day(today, days))}",
    "        notes.append(str(today) + ' is Patch Tuesday + ' + offset)",
    "    ssm = boto3.client('ssm')",
    "    calendar, override = events['ChangeCalendarName'], events['OverrideReason']",
    "    if calendar != '':",
    "        state = ssm.get_calendar_state(CalendarNames=[calendar])",
    "        if state['State'] != 'OPEN' and override == '':",
    "            return {'Decision': 'held', 'Status': 'held: change calendar ' + calendar + ' is ' + state['State'] + ' (blackout until ' + state.get('NextTransitionTime', 'unknown') + '); start with an override reason to run anyway'}",
    "        notes.append('calendar ' + calendar + ' ' + state['State'] + ('' if state['State'] == 'OPEN' else ', overridden: ' + override))",
    "    if events['Ring'] != '':",
    "        hold, note = ring_hold(ssm, json.loads(events['Ring']), request['DocumentName'], zone, today)",
    "        if hold is not None:",
    "            return {'Decision': 'held', 'Status': 'held: ' + hold}",
    "        notes.append(note)",
    "    return {'Decision': 'start', 'Status': 'clear: ' + ('; '.join(notes) if notes else 'no gate configured')}",
    "",
    "def start_patch_run(events, context):",
    "    request = patch_run_request(events['PatchRunRequest'])",
    "    group, gate_id, reason = events['PatchGroup'], events['GateExecutionId'], events['OverrideReason']",
    "    operation = request.get('Parameters', {}).get('Operation', ['Install'])[0]",
    "    tags = [{'Key': GROUP_TAG, 'Value': group}, {'Key': OPERATION_TAG, 'Value': operation}, {'Key': GATE_TAG_PREFIX + group, 'Value': gate_id}]",
    "    if reason != '':",
    "        tags.append({'Key': OVERRIDE_TAG, 'Value': reason})",
    "    # ClientToken = this gate execution's id (a UUID): a retried start cannot start a second run.",
    "    started = boto3.client('ssm').start_automation_execution(**request, ClientToken=gate_id, Tags=tags)",
    "    child = started['AutomationExecutionId']",
    "    return {'ChildExecutionId': child, 'Status': 'started: ' + request['DocumentName'] + ' execution ' + child}",
].join("\n");

/** Fails the step with the hold reason, so the execution ends Failed and the notifications see it. */
export const HOLD_SCRIPT = ["def hold(events, context):", "    raise Exception(events['Status'])"].join("\n");
