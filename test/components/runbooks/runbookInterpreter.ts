import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { branchChoices, references, successors, type AutomationDocument, type Outcome, type Step } from "../../../components/runbooks/documentModel";

/**
 * A small Automation interpreter for the execution tests: walks a runbook MODEL (the one the
 * program renders) step by step, resolving `{{ }}` references the way Automation does, following
 * branches, onFailure, isCritical and onCancel. aws:executeScript steps run their embedded Python
 * for real (harness/runbook_harness.py against moto_server); aws:changeInstanceState calls the real
 * EC2 API on moto; aws:runCommand (an AWS-side action, not our code) is simulated by the test's
 * `runCommand` callback; aws:sleep does nothing.
 */

export interface HarnessAnswer {
    readonly ok: boolean;
    readonly payload?: Record<string, unknown>;
    readonly error?: string;
    readonly unusedSsmStubs?: number;
}

export interface SsmStub {
    readonly method: string;
    readonly response: Record<string, unknown>;
    readonly expected?: Record<string, unknown> | null;
}

/** The long-lived Python harness process. */
export class PythonHarness {
    private readonly child: ChildProcessWithoutNullStreams;
    private readonly answers: ((line: string) => void)[] = [];
    private stderr = "";

    /** `script`: another harness speaking the same line protocol (the rollout tests' own). */
    constructor(motoEndpoint: string, region: string, script = path.join(__dirname, "harness", "runbook_harness.py")) {
        this.child = spawn("python3", [script], {
            env: { ...process.env, MOTO_ENDPOINT: motoEndpoint, AWS_DEFAULT_REGION: region, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
        });
        this.child.stderr.on("data", (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString()).slice(-4000)));
        createInterface({ input: this.child.stdout }).on("line", (line) => this.answers.shift()?.(line));
    }

    request(body: Record<string, unknown>): Promise<HarnessAnswer> {
        return new Promise((resolve, reject) => {
            const onExit = () => reject(new Error(`python harness exited:\n${this.stderr}`));
            this.child.once("exit", onExit);
            this.answers.push((line) => {
                this.child.removeListener("exit", onExit);
                resolve(JSON.parse(line) as HarnessAnswer);
            });
            this.child.stdin.write(`${JSON.stringify(body)}\n`);
        });
    }

    async api(service: string, operation: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
        const answer = await this.request({ kind: "api", service, operation, params });
        if (!answer.ok) {
            throw new Error(`${service}.${operation}: ${answer.error}`);
        }
        return answer.payload ?? {};
    }

    async stop(): Promise<void> {
        if (this.child.exitCode === null) {
            const exited = new Promise((resolve) => this.child.once("exit", resolve));
            this.child.stdin.end();
            await exited;
        }
    }
}

export interface RunCommandCall {
    readonly step: string;
    readonly inputs: Record<string, unknown>;
}

export interface Scenario {
    readonly parameters: Record<string, unknown>;
    /** Queued SSM answers per executeScript step (moto has no DescribeInstanceInformation). */
    readonly ssm?: Record<string, (inputs: Record<string, unknown>) => SsmStub[]>;
    /** aws:runCommand, simulated: its outcome and outputs. */
    readonly runCommand?: (call: RunCommandCall) => Promise<{ outcome: Outcome; outputs: Record<string, unknown> }>;
    /** Steps that are cancelled while they run (their outputs are never recorded). */
    readonly cancelDuring?: readonly string[];
    /** Instances another actor starts right after the first DescribeInstances of this step. */
    readonly raceStart?: Record<string, string[]>;
    /** Per executeScript step: EC2 operations that fail with this error code, and a snapshot State DescribeSnapshots reports instead. */
    readonly ec2Faults?: Record<string, { readonly errors?: Record<string, string>; readonly snapshotState?: string }>;
}

export interface Execution {
    readonly status: "Success" | "Failed" | "Cancelled";
    readonly path: string[];
    readonly stepStatus: Record<string, "Success" | "Failed" | "Cancelled">;
    readonly failures: Record<string, string>;
    /** `<step>.<output>` → value, as Automation records them. */
    readonly values: Record<string, unknown>;
    /** The document's `outputs`, resolved. */
    readonly outputs: Record<string, unknown>;
}

export const EXECUTION_ID = "5a5a5a5a-0000-4000-8000-00000000e1e1";
export const ACCOUNT_ID = "123456789012";

/** Resolves `{{ }}` references: a value that is exactly one reference keeps its type; unresolved ones stay literal. */
export function resolve(value: unknown, lookup: (reference: string) => unknown): unknown {
    if (typeof value === "string") {
        const whole = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(value);
        if (whole !== null) {
            const found = lookup(whole[1]);
            return found === undefined ? value : found;
        }
        return value.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (literal, reference: string) => {
            const found = lookup(reference);
            return found === undefined ? literal : String(found);
        });
    }
    if (Array.isArray(value)) {
        return value.map((v) => resolve(v, lookup));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v, lookup)]));
    }
    return value;
}

/** `$.Payload.Name` (the only selector shape the runbooks use) applied to a step's response. */
function select(response: Record<string, unknown>, selector: string): unknown {
    const parts = selector.replace(/^\$\./, "").split(".");
    let current: unknown = response;
    for (const part of parts) {
        current = current !== null && typeof current === "object" ? (current as Record<string, unknown>)[part] : undefined;
    }
    return current;
}

/** aws:branch operators the runbooks use, as the aws:branch reference defines them (And / Not nest choices without NextStep). */
function choiceMatches(choice: Record<string, unknown>, lookup: (reference: string) => unknown): boolean {
    if (Array.isArray(choice.And)) return (choice.And as Record<string, unknown>[]).every((inner) => choiceMatches(inner, lookup));
    if (choice.Not !== undefined) return !choiceMatches(choice.Not as Record<string, unknown>, lookup);
    const variable = resolve(choice.Variable, lookup);
    if ("NumericGreater" in choice) return Number(variable) > Number(choice.NumericGreater);
    if ("NumericEquals" in choice) return Number(variable) === choice.NumericEquals;
    if ("StringEquals" in choice) return variable === choice.StringEquals;
    if ("StringStartsWith" in choice) return typeof variable === "string" && variable.startsWith(String(choice.StringStartsWith));
    throw new Error(`the interpreter does not evaluate ${JSON.stringify(choice)}`);
}

export async function execute(doc: AutomationDocument, harness: PythonHarness, scenario: Scenario): Promise<Execution> {
    const defaults = Object.fromEntries(Object.entries(doc.parameters).flatMap(([name, p]) => (p.default === undefined ? [] : [[name, p.default]])));
    const parameters = { ...defaults, ...scenario.parameters };
    for (const name of Object.keys(doc.parameters).filter((n) => !(n in parameters))) {
        throw new Error(`required parameter ${name} missing`);
    }
    const values: Record<string, unknown> = {};
    const system: Record<string, unknown> = { "automation:EXECUTION_ID": EXECUTION_ID, "global:ACCOUNT_ID": ACCOUNT_ID, "global:REGION": "eu-west-2" };
    const lookup = (reference: string) => system[reference] ?? (reference in parameters ? parameters[reference] : values[reference]);
    const execution: Execution = { status: "Success", path: [], stepStatus: {}, failures: {}, values, outputs: {} };
    let status: Execution["status"] = "Success";
    let current: string | undefined = doc.mainSteps[0].name;
    let cancelled = false;
    while (current !== undefined) {
        if (execution.path.length > 3 * doc.mainSteps.length) throw new Error(`no end: ${execution.path.join(" > ")}`);
        const step: Step = doc.mainSteps.find((s) => s.name === current) ?? assertNever(current);
        execution.path.push(step.name);
        const inputs = resolve(step.inputs, lookup) as Record<string, unknown>;
        let outcome: Outcome = "success";
        let response: Record<string, unknown> = {};
        let next: string[] | undefined;
        switch (step.action) {
            case "aws:executeScript": {
                const stubs = scenario.ssm?.[step.name]?.(inputs) ?? [];
                const answer = await harness.request({
                    kind: "script",
                    script: inputs.Script,
                    handler: inputs.Handler,
                    events: inputs.InputPayload,
                    ssm: stubs,
                    raceStart: scenario.raceStart?.[step.name] ?? [],
                    ec2Errors: scenario.ec2Faults?.[step.name]?.errors ?? {},
                    snapshotState: scenario.ec2Faults?.[step.name]?.snapshotState ?? null,
                });
                if (answer.ok && answer.unusedSsmStubs !== 0) throw new Error(`${step.name}: ${answer.unusedSsmStubs} SSM answers were never asked for`);
                outcome = answer.ok ? "success" : "failure";
                response = { Payload: answer.payload };
                if (!answer.ok) execution.failures[step.name] = answer.error ?? "failed";
                break;
            }
            case "aws:changeInstanceState": {
                const ids = inputs.InstanceIds as string[];
                if (inputs.CheckStateOnly === false && ids.length > 0) {
                    await harness.api("ec2", inputs.DesiredState === "stopped" ? "stop_instances" : "start_instances", { InstanceIds: ids });
                }
                break;
            }
            case "aws:runCommand": {
                const result = await (scenario.runCommand ?? (async () => ({ outcome: "success" as Outcome, outputs: { CommandId: "c-1", Status: "Success" } })))({ step: step.name, inputs });
                outcome = result.outcome;
                response = result.outputs;
                // Built-in outputs of aws:runCommand, recorded whatever the outcome.
                for (const [name, value] of Object.entries(result.outputs)) values[`${step.name}.${name}`] = value;
                if (outcome === "failure") execution.failures[step.name] = `command ${String(result.outputs.Status)}`;
                break;
            }
            case "aws:branch": {
                const match = branchChoices(step).find((choice) => choiceMatches(choice, lookup));
                next = [match?.NextStep ?? (step.inputs.Default as string)];
                break;
            }
            case "aws:sleep":
                break;
            default:
                throw new Error(`the interpreter does not run ${step.action}`);
        }
        if (!cancelled && scenario.cancelDuring?.includes(step.name)) {
            outcome = "cancel";
            cancelled = true;
        }
        execution.stepStatus[step.name] = outcome === "success" ? "Success" : outcome === "failure" ? "Failed" : "Cancelled";
        if (outcome === "success") {
            for (const output of step.outputs ?? []) values[`${step.name}.${output.Name}`] = select(response, output.Selector);
        }
        if (outcome === "cancel") {
            status = "Cancelled";
        } else if (outcome === "failure" && status !== "Cancelled" && step.isCritical !== false && step.onFailure !== "Continue") {
            status = "Failed";
        }
        // successors(): Continue after a failure behaves like success, as in Automation.
        current = (next ?? successors(doc, step.name, outcome))[0];
    }
    const outputs = Object.fromEntries((doc.outputs ?? []).flatMap((o) => (o in values ? [[o, values[o]]] : [])));
    return { ...execution, status, outputs };
}

function assertNever(name: string | undefined): never {
    throw new Error(`no step ${name}`);
}

/** Every `{{ }}` the step references (for assertions that inputs were fully resolved). */
export const referencesOf = (step: Step): string[] => references(step.inputs);
