/**
 * The Python handlers of patchWithStoppedInstancesDocument's aws:executeScript steps (python3.11),
 * kept apart from the step graph so each can be read (and diffed) on its own.
 */

/** aws:executeScript may run 600 seconds at most; leave the poll loop time to report. */
export const ONLINE_POLL_SECONDS = 540;

/**
 * The most ids one step can hand on: aws:executeScript output lists are capped at 100 items
 * (automation-action-executeScript.html, "Outputs"). Above it the start script fails BEFORE
 * starting anything. Paging through chunks was the alternative; it needs a loop whose started ids
 * are spread over several step outputs, and a cancel in between would forget some of them. One
 * patch group per location should not hold 100 stopped instances; split it if it does.
 */
export const MAX_STARTED_INSTANCES = 100;

// Discovery and start in one script, not aws:executeAwsApi + a script: the script paginates
// DescribeInstances (executeAwsApi makes one call) and an empty result needs no special casing.
// An id is recorded only when StartInstances answers PreviousState "stopped": if someone else
// started the instance between the describe and our call, the answer is pending/running and the
// instance is not ours to stop later. One StartInstances per instance: one failure does not lose
// the others. Members are the group's EC2 instances in any state but terminated plus its hybrid
// (mi-) nodes: none at all is the "no instances in this location" case, a success.
export const START_SCRIPT = [
    "import boto3",
    "from datetime import datetime, timezone",
    "",
    `MAX_STARTED_INSTANCES = ${MAX_STARTED_INSTANCES}`,
    "",
    "def start_stopped_instances(events, context):",
    "    ec2 = boto3.client('ec2')",
    "    group, tag = events['PatchGroup'], 'tag:' + events['TagKey']",
    "    filters = [{'Name': tag, 'Values': [group]},",
    "               {'Name': 'instance-state-name', 'Values': ['pending', 'running', 'stopping', 'stopped']}]",
    "    members, stopped = set(), []",
    "    for page in ec2.get_paginator('describe_instances').paginate(Filters=filters):",
    "        for instance in [i for r in page['Reservations'] for i in r['Instances']]:",
    "            members.add(instance['InstanceId'])",
    "            if instance['State']['Name'] == 'stopped':",
    "                stopped.append(instance['InstanceId'])",
    "    ssm = boto3.client('ssm')",
    "    for page in ssm.get_paginator('describe_instance_information').paginate(Filters=[{'Key': tag, 'Values': [group]}]):",
    "        members.update(i['InstanceId'] for i in page['InstanceInformationList'])",
    "    started_at = datetime.now(timezone.utc).isoformat()",
    "    if not members:",
    "        return {'StartedInstanceIds': [], 'StartedCount': 0, 'StartedAt': started_at, 'FailedToStart': [], 'NotStartedByUs': [],",
    "                'MemberCount': 0, 'Status': 'No instances of patch group ' + group + ' in this location'}",
    "    if len(stopped) > MAX_STARTED_INSTANCES:",
    "        raise Exception(str(len(stopped)) + ' stopped instances in patch group ' + group + ': more than the ' + str(MAX_STARTED_INSTANCES)",
    "                        + ' one run can track (aws:executeScript list output limit); nothing was started. Split the patch group.')",
    "    started, not_ours, failed = [], [], []",
    "    for instance_id in stopped:",
    "        try:",
    "            changes = ec2.start_instances(InstanceIds=[instance_id])['StartingInstances']",
    "        except Exception as error:",
    "            failed.append(instance_id + ': ' + str(error))",
    "            continue",
    "        previous = changes[0]['PreviousState']['Name'] if changes else 'unknown'",
    "        if previous == 'stopped':",
    "            started.append(instance_id)",
    "        else:",
    "            not_ours.append(instance_id + ': was ' + previous)",
    "    return {'StartedInstanceIds': started, 'StartedCount': len(started), 'StartedAt': started_at, 'FailedToStart': failed, 'NotStartedByUs': not_ours,",
    "            'MemberCount': len(members), 'Status': 'Started ' + str(len(started)) + ' stopped instance(s) of ' + str(len(members)) + ' member(s)'}",
].join("\n");

// PingStatus stays Online for a while after a stop, so only a ping after the start counts.
// A script, not aws:waitForAwsResourceProperty: nodes that have not registered yet are absent
// from DescribeInstanceInformation, and a list selector over the others would pass too early.
export const WAIT_ONLINE_SCRIPT = [
    "import time",
    "from datetime import datetime",
    "import boto3",
    "",
    "def wait_until_online(events, context):",
    "    ssm = boto3.client('ssm')",
    "    waiting = set(events['InstanceIds'])",
    "    since = datetime.fromisoformat(events['StartedAt'])",
    "    deadline = time.time() + int(events['PollSeconds'])",
    "    while waiting:",
    "        ids = sorted(waiting)",
    "        for chunk in [ids[n:n + 50] for n in range(0, len(ids), 50)]:",
    "            pages = ssm.get_paginator('describe_instance_information').paginate(Filters=[{'Key': 'InstanceIds', 'Values': chunk}])",
    "            for info in [i for page in pages for i in page['InstanceInformationList']]:",
    "                if info['PingStatus'] == 'Online' and info['LastPingDateTime'] >= since:",
    "                    waiting.discard(info['InstanceId'])",
    "        if waiting and time.time() > deadline:",
    "            raise Exception('Not Online in Systems Manager yet: ' + ', '.join(sorted(waiting)))",
    "        if waiting:",
    "            time.sleep(15)",
    "    return {'OnlineInstanceIds': events['InstanceIds']}",
].join("\n");

export const VERIFY_SCRIPT = [
    "def verify_patch_succeeded(events, context):",
    "    if events['PatchStatus'] != 'Success':",
    "        raise Exception('AWS-RunPatchBaseline command ' + events['CommandId'] + ' ended ' + events['PatchStatus'])",
    "    return {'PatchStatus': events['PatchStatus']}",
].join("\n");

// When the start step itself is cancelled, Automation has no output of it to resolve and the
// reference arrives unresolved (not a list): the script then stops nothing and fails, naming the
// problem, rather than guess which instances this execution started (never stop a foreign one).
export const STOP_ON_CANCEL_SCRIPT = [
    "import boto3",
    "",
    "def stop_started_instances(events, context):",
    "    ids = events['InstanceIds']",
    "    if not isinstance(ids, list):",
    "        raise Exception('Cancelled before StartStoppedInstances reported which instances it started; stopped nothing. Check patch group instances started at ' + str(events.get('ExecutionId')))",
    "    if ids:",
    "        boto3.client('ec2').stop_instances(InstanceIds=ids)",
    "    return {'StoppedInstanceIds': ids}",
].join("\n");
