import type { Parameter } from "./documentModel";

/**
 * The per-node runbook's first step (CheckNode) and the node exclusions it honours (issue 19:
 * exceptions that expire). The schedules target a patch group's resource group, and a resource
 * group's tag query cannot leave out named instances, nor can TargetLocations (it excludes
 * accounts only) or a baseline: so a node is left out where the patch happens, here, from the
 * list the patch run request carries.
 */

/**
 * StartAutomationExecution takes at most 50 values per StringList parameter
 * (AutomationParameterValueList: 0-50 items of 1-512 characters); the config allows no more.
 */
export const MAX_EXCLUDED_NODES = 50;

/** A node a run must not patch, until the end of `expires` (UTC) when given. */
export interface NodeExclusion {
    /** i-… or mi-… */
    readonly id: string;
    /** YYYY-MM-DD, the last day the exclusion holds; absent: no end. */
    readonly expires?: string;
}

/**
 * `ExcludedNodes`: `<node id>` or `<node id>:<YYYY-MM-DD>` per node this run must not patch. The
 * expiry travels with the id so an exclusion ends on time at run time too (fail-safe: after its
 * day the node is patched again), even while an expired config blocks the next deployment. Empty by
 * default: a request without it (a group without exclusions, a Config remediation, a hand-started
 * run) behaves exactly as before.
 */
export const EXCLUDED_NODES_PARAMETERS = {
    ExcludedNodes: {
        type: "StringList",
        description: "(Optional) Managed nodes this run skips, each <id> or <id>:<YYYY-MM-DD> (skipped through that day, UTC; patched after it): the child ends Success with CheckNode.NodeStatus \"Skipped: <id> is excluded …\". Empty: none.",
        default: [],
        maxItems: MAX_EXCLUDED_NODES,
    },
} as const satisfies Record<string, Parameter>;

/** The CheckNode reason of an excluded node, after "Skipped: <id> " (ops status shows it). */
export const EXCLUDED_REASON = "is excluded from patching (patchGroups[].excludedNodes)";

// An excluded node is skipped before any API call (nothing about it needs reading). Otherwise:
// SendCommand accepts a command for a stopped or offline node and leaves it pending until it
// times out (hours), so the child fails and eats MaxErrors. The node is checked first: EC2 state
// (DescribeInstances, i- ids only; hybrid mi- nodes have no EC2 state) and Systems Manager
// PingStatus (DescribeInstanceInformation, both). Anything but running + Online is a skip, which
// ends the child as Success with the reason recorded. Any API error propagates: the step fails
// and counts as an error, because "could not check" is not "nothing to do".
export const CHECK_NODE_SCRIPT = [
    "from datetime import datetime, timezone",
    "import boto3",
    "from botocore.exceptions import ClientError",
    "",
    "def check_node(events, context):",
    "    node = events['InstanceId']",
    "    today = datetime.now(timezone.utc).date().isoformat()",
    "    for entry in events.get('ExcludedNodes') or []:",
    "        excluded, _, expires = entry.partition(':')",
    "        # ISO dates compare as strings; the exclusion holds through its expires day (UTC).",
    "        if excluded == node and (expires == '' or today <= expires):",
    `            return {'NodeStatus': 'Skipped: ' + node + ' ${EXCLUDED_REASON}' + ('' if expires == '' else ' until ' + expires)}`,
    "    if node.startswith('i-'):",
    "        try:",
    "            reservations = boto3.client('ec2').describe_instances(InstanceIds=[node])['Reservations']",
    "        except ClientError as error:",
    "            if error.response['Error']['Code'] != 'InvalidInstanceID.NotFound':",
    "                raise",
    "            reservations = []",
    "        instances = [i for r in reservations for i in r['Instances']]",
    "        if not instances:",
    "            return {'NodeStatus': 'Skipped: ' + node + ' does not exist in EC2'}",
    "        state = instances[0]['State']['Name']",
    "        if state != 'running':",
    "            return {'NodeStatus': 'Skipped: EC2 instance ' + node + ' is ' + state}",
    "    found = boto3.client('ssm').describe_instance_information(Filters=[{'Key': 'InstanceIds', 'Values': [node]}])['InstanceInformationList']",
    "    if not found:",
    "        return {'NodeStatus': 'Skipped: ' + node + ' is not registered with Systems Manager'}",
    "    if found[0]['PingStatus'] != 'Online':",
    "        return {'NodeStatus': 'Skipped: ' + node + ' has Systems Manager PingStatus ' + found[0]['PingStatus']}",
    "    return {'NodeStatus': 'Ready'}",
].join("\n");

/** A node as the `ExcludedNodes` parameter writes it. */
export function excludedNodeEntry(node: NodeExclusion): string {
    return node.expires === undefined ? node.id : `${node.id}:${node.expires}`;
}

/**
 * The patch run request with `ExcludedNodes` in its Parameters (sorted: the schedule input does not
 * change when the config reorders the list). None: the request is returned unchanged, so a group
 * without exclusions sends exactly what it sent before.
 */
export function withExcludedNodes(patchRun: Readonly<Record<string, unknown>>, nodes: readonly NodeExclusion[] | undefined): Record<string, unknown> {
    if (nodes === undefined || nodes.length === 0) {
        return { ...patchRun };
    }
    if (nodes.length > MAX_EXCLUDED_NODES) {
        throw new Error(`ExcludedNodes: ${nodes.length} nodes; a StartAutomationExecution list parameter takes at most ${MAX_EXCLUDED_NODES}`);
    }
    return { ...patchRun, Parameters: { ...(patchRun.Parameters as Record<string, unknown>), ExcludedNodes: nodes.map(excludedNodeEntry).sort() } };
}
