/**
 * A typed model of SSM Automation runbooks (schemaVersion 0.3) and a pure checker for the
 * mistakes CreateDocument does not catch until an execution fails half-way: dangling `{{ }}`
 * references, jumps to steps that do not exist, unreachable steps.
 * Actions, common step properties and built-in outputs per the Automation actions reference:
 * https://docs.aws.amazon.com/systems-manager/latest/userguide/automation-actions.html
 */

/** Every action the Automation actions reference lists (23 actions). */
export const AUTOMATION_ACTIONS = [
    "aws:approve", "aws:assertAwsResourceProperty", "aws:branch", "aws:changeInstanceState", "aws:copyImage", "aws:createImage",
    "aws:createStack", "aws:createTags", "aws:deleteImage", "aws:deleteStack", "aws:executeAutomation", "aws:executeAwsApi",
    "aws:executeScript", "aws:executeStateMachine", "aws:invokeLambdaFunction", "aws:invokeWebhook", "aws:loop", "aws:pause",
    "aws:runCommand", "aws:runInstances", "aws:sleep", "aws:updateVariable", "aws:waitForAwsResourceProperty",
] as const;
export type AutomationAction = (typeof AUTOMATION_ACTIONS)[number];

/**
 * Outputs an action returns without an `outputs:` declaration, from each action's "Output"
 * section. aws:executeScript documents `Payload`; AWS-authored runbooks also reference
 * `<step>.OutputPayload`. An action missing here has no built-in outputs we rely on: a
 * reference to one is reported (a false alarm is cheaper than a failed patch night).
 */
export const BUILT_IN_OUTPUTS: Readonly<Partial<Record<AutomationAction, readonly string[]>>> = {
    "aws:runCommand": ["CommandId", "Status", "ResponseCode", "Output"],
    "aws:executeScript": ["Payload", "OutputPayload"],
    "aws:executeAutomation": ["ExecutionId", "Status", "Output"],
    "aws:invokeLambdaFunction": ["StatusCode", "FunctionError", "LogResult", "Payload"],
    "aws:invokeWebhook": ["Response", "ResponseCode"],
    "aws:runInstances": ["InstanceIds"],
    "aws:createImage": ["ImageId", "ImageState"],
    "aws:copyImage": ["ImageId", "ImageState"],
};

/**
 * Automation system variables as documented (automation-variables.html). `{{ ssm:<name> }}`
 * Parameter Store references are valid too but unused here, so they are reported like typos.
 */
export const SYSTEM_VARIABLES = ["global:ACCOUNT_ID", "global:DATE", "global:DATE_TIME", "global:AWS_PARTITION", "global:REGION", "automation:EXECUTION_ID"] as const;

/** Step names are what `onFailure: step:<name>` can address: `step:\w+` in AWS's SSM document schema. */
export const STEP_NAME_PATTERN = /^[A-Za-z0-9_]+$/;

export const VALUE_TYPES = ["String", "StringList", "Integer", "Boolean", "MapList", "StringMap"] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

export interface Parameter {
    readonly type: ValueType;
    readonly description: string;
    readonly default?: string | number | boolean | readonly string[];
    readonly allowedValues?: readonly string[];
    readonly allowedPattern?: string;
    /** StringList/MapList: most items a value may hold (SSM document parameter `maxItems`). */
    readonly maxItems?: number;
}

/** A declared step output: a JSONPath `Selector` into the action's response. */
export interface StepOutput {
    readonly Name: string;
    readonly Selector: string;
    readonly Type: ValueType;
}

export type StepJump = `step:${string}`;

export interface Step {
    readonly name: string;
    readonly action: AutomationAction;
    readonly description?: string;
    readonly maxAttempts?: number;
    readonly timeoutSeconds?: number;
    /** @default "Abort" */
    readonly onFailure?: "Abort" | "Continue" | StepJump;
    /** @default "Abort" */
    readonly onCancel?: "Abort" | StepJump;
    /** @default - true, except false when onFailure is Continue */
    readonly isCritical?: boolean;
    readonly isEnd?: boolean;
    readonly nextStep?: string;
    readonly inputs: Readonly<Record<string, unknown>>;
    readonly outputs?: readonly StepOutput[];
}

export interface AutomationDocument {
    readonly schemaVersion: "0.3";
    readonly description: string;
    /** `{{ <parameter> }}`: the role Automation assumes. */
    readonly assumeRole: string;
    readonly parameters: Readonly<Record<string, Parameter>>;
    readonly mainSteps: readonly Step[];
    /** Execution outputs, `<step>.<output>` without braces. */
    readonly outputs?: readonly string[];
}

export type Outcome = "success" | "failure" | "cancel";

/**
 * Steps that can run after `stepName` ends with `outcome`. Success: an aws:branch's choices and
 * Default (without Default, the next declared step), else nextStep, else the next declared step;
 * nothing after isEnd. Failure: the onFailure jump; Continue behaves like success; Abort ends.
 */
export function successors(doc: AutomationDocument, stepName: string, outcome: Outcome): string[] {
    const index = doc.mainSteps.findIndex((s) => s.name === stepName);
    const step = doc.mainSteps[index];
    if (step === undefined) {
        return [];
    }
    const following = doc.mainSteps[index + 1]?.name;
    const jump = (value: string | undefined) => (value?.startsWith("step:") ? [value.slice("step:".length)] : []);
    if (outcome === "cancel") {
        return jump(step.onCancel);
    }
    if (outcome === "failure" && step.onFailure !== "Continue") {
        return jump(step.onFailure);
    }
    if (step.action === "aws:branch") {
        const choices = branchChoices(step).map((choice) => choice.NextStep);
        const fallback = typeof step.inputs.Default === "string" ? step.inputs.Default : step.isEnd ? undefined : following;
        return [...choices, ...(fallback === undefined ? [] : [fallback])];
    }
    if (step.isEnd) {
        return [];
    }
    const next = step.nextStep ?? following;
    return next === undefined ? [] : [next];
}

export interface BranchChoice {
    readonly NextStep: string;
    readonly [operator: string]: unknown;
}

export function branchChoices(step: Step): BranchChoice[] {
    return Array.isArray(step.inputs.Choices) ? (step.inputs.Choices as BranchChoice[]) : [];
}

/** Every problem found, as readable sentences; an empty list means the runbook is consistent. */
export function documentProblems(doc: AutomationDocument): string[] {
    const role = /^\{\{\s*([A-Za-z0-9_]+)\s*\}\}$/.exec(doc.assumeRole)?.[1];
    return [
        ...failed([
            [doc.schemaVersion !== "0.3", `schemaVersion is "${doc.schemaVersion}"; Automation runbooks must use "0.3"`],
            // CreateDocument needs at least one step; an empty list is no consistent runbook.
            [doc.mainSteps.length === 0, "mainSteps is empty; a runbook needs at least one step"],
            [role === undefined || doc.parameters[role]?.type !== "String", `assumeRole "${doc.assumeRole}" must be {{ <a String parameter> }}`],
        ]),
        ...Object.entries(doc.parameters).flatMap(([name, parameter]) => parameterProblems(name, parameter)),
        ...stepProblems(doc),
        ...(doc.outputs ?? []).flatMap((output) => referenceProblems(doc, doc.mainSteps.length, output, "document outputs")),
    ];
}

/** The messages whose condition holds, each prefixed with `where`. */
function failed(checks: [boolean, string][], where?: string): string[] {
    return checks.filter(([bad]) => bad).map(([, message]) => (where === undefined ? message : `${where}: ${message}`));
}

function parameterProblems(name: string, parameter: Parameter): string[] {
    const value = parameter.default;
    const text = typeof value === "string";
    return failed(
        [
            [!VALUE_TYPES.includes(parameter.type), `unknown type ${parameter.type}`],
            [text && parameter.allowedValues !== undefined && !parameter.allowedValues.includes(value), `default "${value}" is not one of its allowedValues`],
            [text && parameter.allowedPattern !== undefined && !new RegExp(parameter.allowedPattern).test(value), `default "${value}" does not match its allowedPattern`],
        ],
        `parameter ${name}`,
    );
}

function stepProblems(doc: AutomationDocument): string[] {
    const problems: string[] = [];
    const names = doc.mainSteps.map((s) => s.name);
    doc.mainSteps.forEach((step, index) => {
        const where = `step ${step.name}`;
        // Stryker disable next-line ArrayDeclaration: equivalent — one placeholder element gives one (undefined) name, never a duplicate.
        const outputNames = (step.outputs ?? []).map((o) => o.Name);
        // Stryker disable next-line ArrayDeclaration: equivalent — a placeholder that is no choice has no NextStep, so it adds no jump target.
        const choices = step.action === "aws:branch" ? branchChoices(step) : [];
        problems.push(
            ...failed(
                [
                    [names.indexOf(step.name) !== index, "duplicate step name"],
                    [!STEP_NAME_PATTERN.test(step.name), `name must match ${STEP_NAME_PATTERN.source}`],
                    [!(AUTOMATION_ACTIONS as readonly string[]).includes(step.action), `${step.action} is not an Automation action`],
                    [step.isEnd === true && step.nextStep !== undefined, "isEnd and nextStep contradict each other"],
                    [step.action === "aws:branch" && choices.length === 0, "aws:branch needs at least one choice"],
                    [new Set(outputNames).size !== outputNames.length, "duplicate output names"],
                ],
                where,
            ),
        );
        const targets: [string, string | undefined][] = [
            ["nextStep", step.nextStep],
            ["onFailure", jumpTarget(step.onFailure, ["Abort", "Continue"], problems, where)],
            ["onCancel", jumpTarget(step.onCancel, ["Abort"], problems, where)],
            ...choices.map((choice, i): [string, string] => [`Choices[${i}].NextStep`, choice.NextStep]),
            ...(step.action === "aws:branch" ? [["Default", step.inputs.Default as string | undefined] as [string, string | undefined]] : []),
        ];
        for (const [field, target] of targets.filter((t): t is [string, string] => t[1] !== undefined)) {
            problems.push(...failed([[!names.includes(target), `${field} names ${target}, which is not a step`], [target === step.name, `${field} jumps to the step itself`]], where));
        }
        problems.push(...references(step.inputs).flatMap((reference) => referenceProblems(doc, index, reference, where)));
    });
    const reached = reachable(doc);
    problems.push(...failed(doc.mainSteps.map((s) => [!reached.has(s.name), `step ${s.name}: unreachable from ${names[0]} (after an isEnd, or nothing jumps to it)`])));
    return problems;
}

function jumpTarget(value: string | undefined, keywords: string[], problems: string[], where: string): string | undefined {
    if (value === undefined || keywords.includes(value)) {
        return undefined;
    }
    if (!value.startsWith("step:")) {
        problems.push(`${where}: "${value}" must be ${keywords.join(", ")} or step:<name>`);
        return undefined;
    }
    return value.slice("step:".length);
}

function reachable(doc: AutomationDocument): Set<string> {
    const found = new Set<string>();
    const queue = doc.mainSteps.length > 0 ? [doc.mainSteps[0].name] : [];
    while (queue.length > 0) {
        const name = queue.pop() as string;
        if (!found.has(name)) {
            queue.push(...(["success", "failure", "cancel"] as const).flatMap((outcome) => successors(doc, name, outcome)));
        }
        found.add(name);
    }
    return found;
}

/** Every `{{ ... }}` inside a value, trimmed, in document order. */
export function references(value: unknown): string[] {
    if (typeof value === "string") {
        return [...value.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
    }
    // Stryker disable next-line ArrayDeclaration: equivalent — a placeholder string without braces holds no reference.
    const children: unknown[] = Array.isArray(value) ? value : value !== null && typeof value === "object" ? Object.values(value) : [];
    return children.flatMap(references);
}

/** A reference from the step at `index` must name a parameter, a system variable or an earlier step's output. */
function referenceProblems(doc: AutomationDocument, index: number, reference: string, where: string): string[] {
    if ((SYSTEM_VARIABLES as readonly string[]).includes(reference)) {
        return [];
    }
    const dot = reference.indexOf(".");
    if (dot < 0) {
        return doc.parameters[reference] === undefined ? [`${where}: {{ ${reference} }} is neither a parameter nor a system variable`] : [];
    }
    const [stepName, output] = [reference.slice(0, dot), reference.slice(dot + 1)];
    const position = doc.mainSteps.findIndex((s) => s.name === stepName);
    if (position < 0) {
        return [`${where}: {{ ${reference} }} names no step ${stepName}`];
    }
    if (position >= index) {
        return [`${where}: {{ ${reference} }} refers to a step declared at or after this one`];
    }
    const source = doc.mainSteps[position];
    const available = [...(source.outputs ?? []).map((o) => o.Name), ...(BUILT_IN_OUTPUTS[source.action] ?? [])];
    return available.includes(output) ? [] : [`${where}: {{ ${reference} }}: step ${stepName} has no output ${output}`];
}
