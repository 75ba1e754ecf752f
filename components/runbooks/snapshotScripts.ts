import { SNAPSHOT_MARKER_VALUE, SNAPSHOT_TAGS } from "./installSafety";

/**
 * Embedded Python of the per-node runbook's snapshot steps (issue 17 item 6), executed in tests
 * against moto_server (test/components/runbooks/runbookExecution.test.ts).
 */

/** One wait attempt polls this long: aws:executeScript stops a script at 600 seconds. */
export const SNAPSHOT_POLL_SECONDS = 540;
/**
 * Wait attempts (maxAttempts of the wait step): 6 x 540 s ≈ 54 minutes for every volume of the
 * node to reach `completed`. A first snapshot copies the whole volume, so a very large volume can
 * take longer: then the step fails, the node is not patched and the run counts an error — fail
 * closed (no install without a finished restore point); the snapshots stay and are pruned later.
 */
export const SNAPSHOT_WAIT_ATTEMPTS = 6;
/** Expired snapshots one run deletes at most (keeps the step well inside its timeout). */
export const PRUNE_LIMIT = 50;

const tags = JSON.stringify(SNAPSHOT_TAGS);

// CreateSnapshots with InstanceSpecification: one crash-consistent, point-in-time set of all the
// instance's EBS volumes (boot volume included). TagSpecifications tags them in the same call
// (ec2:CreateAction = CreateSnapshots, which the role's CreateTags permission requires). No
// CopyTagsFromSource: volume tags could carry anything (a Patch Group key the role may never write);
// the snapshots get exactly the program's tags. Expired program snapshots of this account and
// Region are pruned first (see README "Snapshots before install": DLM cannot expire snapshots it
// did not create); a prune problem is reported, never blocks the snapshot.
export const SNAPSHOT_SCRIPT = [
    "import boto3",
    "from datetime import datetime, timedelta, timezone",
    "from botocore.exceptions import ClientError",
    "",
    `TAGS = ${tags}`,
    `MARKER_VALUE = '${SNAPSHOT_MARKER_VALUE}'`,
    `PRUNE_LIMIT = ${PRUNE_LIMIT}`,
    "",
    "def prune_expired(ec2, now):",
    "    deleted, problems = [], []",
    "    try:",
    "        pages = ec2.get_paginator('describe_snapshots').paginate(OwnerIds=['self'], Filters=[{'Name': 'tag:' + TAGS['marker'], 'Values': [MARKER_VALUE]}])",
    "        expired = [s['SnapshotId'] for p in pages for s in p['Snapshots'] if {t['Key']: t['Value'] for t in s.get('Tags', [])}.get(TAGS['expiresAt'], '9999') < now.strftime('%Y-%m-%dT%H:%M:%SZ')]",
    "    except ClientError as error:",
    "        return deleted, ['could not list snapshots: ' + error.response['Error']['Code']]",
    "    for snapshot_id in expired[:PRUNE_LIMIT]:",
    "        try:",
    "            ec2.delete_snapshot(SnapshotId=snapshot_id)",
    "            deleted.append(snapshot_id)",
    "        except ClientError as error:",
    "            # NotFound: another node's run deleted it first; InUse: an AMI uses it (kept).",
    "            if error.response['Error']['Code'] != 'InvalidSnapshot.NotFound':",
    "                problems.append(snapshot_id + ': ' + error.response['Error']['Code'])",
    "    return deleted, problems",
    "",
    "def snapshot_volumes(events, context):",
    "    node = events['InstanceId']",
    "    if not node.startswith('i-'):",
    "        return {'SnapshotStatus': 'Skipped: ' + node + ' is a hybrid node; it has no EBS volumes to snapshot', 'SnapshotIds': [], 'ExpiresAt': '', 'Pruned': [], 'PruneProblems': []}",
    "    ec2 = boto3.client('ec2')",
    "    now = datetime.now(timezone.utc)",
    "    pruned, problems = prune_expired(ec2, now)",
    "    expires = (now + timedelta(days=int(events['RetainDays']))).strftime('%Y-%m-%dT%H:%M:%SZ')",
    "    instance = ec2.describe_instances(InstanceIds=[node])['Reservations'][0]['Instances'][0]",
    "    group = {t['Key']: t['Value'] for t in instance.get('Tags', [])}.get(events['PatchGroupTagKey'], '')",
    "    values = {'marker': MARKER_VALUE, 'patchGroup': group, 'node': node, 'executionId': events['ExecutionId'], 'expiresAt': expires}",
    "    created = ec2.create_snapshots(",
    "        InstanceSpecification={'InstanceId': node, 'ExcludeBootVolume': False},",
    "        Description='Before patching ' + node + ' (Automation ' + events['ExecutionId'] + ')',",
    "        TagSpecifications=[{'ResourceType': 'snapshot', 'Tags': [{'Key': TAGS[k], 'Value': v} for k, v in values.items()]}],",
    "    )",
    "    ids = [s['SnapshotId'] for s in created['Snapshots']]",
    "    if not ids:",
    "        raise RuntimeError('CreateSnapshots returned no snapshot for ' + node + ': no restore point, not patching')",
    "    return {'SnapshotStatus': 'Created ' + str(len(ids)) + ' snapshot(s) of ' + node + ', expiring ' + expires, 'SnapshotIds': ids, 'ExpiresAt': expires, 'Pruned': pruned, 'PruneProblems': problems}",
].join("\n");

// Polls DescribeSnapshots until every snapshot is completed. A snapshot in `error` (or gone) fails
// the step at once; still pending at the end of the poll raises too, and the step's maxAttempts
// gives the next attempt (each attempt stays under aws:executeScript's 600 seconds).
export const WAIT_FOR_SNAPSHOTS_SCRIPT = [
    "import time",
    "import boto3",
    "",
    "def wait_for_snapshots(events, context):",
    "    ids = events['SnapshotIds']",
    "    deadline = time.time() + int(events['PollSeconds'])",
    "    ec2 = boto3.client('ec2')",
    "    while True:",
    "        states = {s['SnapshotId']: s['State'] for s in ec2.describe_snapshots(SnapshotIds=ids)['Snapshots']}",
    "        failed = [i + ' is ' + states.get(i, 'missing') for i in ids if states.get(i) not in ('pending', 'completed')]",
    "        if failed:",
    "            raise RuntimeError('snapshot failed: ' + ', '.join(failed) + '; not patching')",
    "        if all(states[i] == 'completed' for i in ids):",
    "            return {'SnapshotsCompleted': len(ids)}",
    "        if time.time() >= deadline:",
    "            raise TimeoutError('snapshots still pending: ' + ', '.join(i for i in ids if states[i] == 'pending'))",
    "        time.sleep(15)",
].join("\n");
