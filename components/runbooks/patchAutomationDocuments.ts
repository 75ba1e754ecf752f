import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { parse, stringify } from "yaml";
import { documentProblems, type AutomationDocument } from "./documentModel";
import { patchWithStoppedInstancesDocument } from "./patchWithStoppedInstances";
import { runPatchBaselineDocument } from "./runPatchBaseline";

/**
 * Fixed names, the same in every account and Region: the central account's schedules start
 * these documents by name in every target location. Renaming one replaces the document.
 */
export const AUTOMATION_DOCUMENT_NAMES = {
    runPatchBaseline: "patching-RunPatchBaseline",
    patchWithStoppedInstances: "patching-PatchWithStoppedInstances",
} as const;
export type AutomationDocumentKey = keyof typeof AUTOMATION_DOCUMENT_NAMES;

/** Patch Manager recognises only these keys (PatchGroup when instance-metadata tags are on). */
export const PATCH_GROUP_TAG_KEYS = ["Patch Group", "PatchGroup"] as const;

/** CreateDocument `Name`: pattern and the prefixes AWS reserves (API_CreateDocument). */
export const DOCUMENT_NAME_PATTERN = /^[a-zA-Z0-9_\-.]{3,128}$/;
export const RESERVED_DOCUMENT_NAME_PREFIXES = ["aws", "amazon", "amzn"] as const;

export interface PatchAutomationDocumentsArgs {
    /** Region the documents are created in (one component per account and Region). */
    readonly region: string;
    /** Tag key carrying the patch group name: "Patch Group" or "PatchGroup". */
    readonly patchGroupTagKey: string;
    /**
     * Tags for both documents.
     * @default - no tags beyond the provider's default tags
     */
    readonly tags?: Readonly<Record<string, string>>;
}

/** Why CreateDocument would reject `name`, or undefined. */
export function documentNameProblem(name: string): string | undefined {
    if (!DOCUMENT_NAME_PATTERN.test(name)) {
        return `document name "${name}" does not match ${DOCUMENT_NAME_PATTERN.source}`;
    }
    const reserved = RESERVED_DOCUMENT_NAME_PREFIXES.find((prefix) => name.toLowerCase().startsWith(prefix));
    return reserved === undefined ? undefined : `document name "${name}" starts with "${reserved}", a prefix AWS reserves`;
}

/** The document content per key, built by the pure builders. */
export function automationDocuments(patchGroupTagKey: string): Record<AutomationDocumentKey, AutomationDocument> {
    return {
        runPatchBaseline: runPatchBaselineDocument({ patchGroupTagKey }),
        patchWithStoppedInstances: patchWithStoppedInstancesDocument({ patchGroupTagKey }),
    };
}

/**
 * The document content as CreateDocument gets it: YAML. Older Automation references say an inline
 * `Script` is supported in YAML runbooks only (JSON ones needing an Attachment); every reference
 * supports YAML. Same model, so the content checker still applies. Deterministic: the model's key
 * order, no line folding (lineWidth 0), block scalars for the scripts — an unchanged runbook never
 * shows a diff, each content change is a new document version.
 */
// The same documents render in every location; YAML rendering is a measurable part of a prod plan.
const rendered = new Map<string, string>();

export function renderDocument(doc: AutomationDocument): string {
    const key = JSON.stringify(doc);
    let content = rendered.get(key);
    if (content === undefined) {
        content = stringify(doc, { lineWidth: 0, minContentWidth: 0 });
        rendered.set(key, content);
    }
    return content;
}

/** The model back from rendered content (tests prove the round trip is lossless). */
export function parseDocument(content: string): AutomationDocument {
    return parse(content) as AutomationDocument;
}

export function validatePatchAutomationDocumentsArgs(args: PatchAutomationDocumentsArgs): void {
    if (args.region.trim() === "") {
        throw new Error(`PatchAutomationDocuments: region "${args.region}" is empty; give the Region the documents belong in`);
    }
    if (!(PATCH_GROUP_TAG_KEYS as readonly string[]).includes(args.patchGroupTagKey)) {
        throw new Error(`PatchAutomationDocuments: patchGroupTagKey "${args.patchGroupTagKey}" is not one of ${PATCH_GROUP_TAG_KEYS.map((k) => `"${k}"`).join(", ")}`);
    }
    const problems = [
        ...Object.values(AUTOMATION_DOCUMENT_NAMES).flatMap((name) => documentNameProblem(name) ?? []),
        ...Object.entries(automationDocuments(args.patchGroupTagKey)).flatMap(([key, doc]) => documentProblems(doc).map((p) => `${key}: ${p}`)),
    ];
    if (problems.length > 0) {
        throw new Error(`PatchAutomationDocuments: ${problems.join("; ")}`);
    }
}

/**
 * The patch runbooks in one account and Region: (a) AWS-RunPatchBaseline on one node, (b) the
 * stopped-instances workflow for one patch group, rendered as YAML (renderDocument).
 *
 * Created in EVERY location, not only centrally: the schedules start them by NAME with
 * TargetLocations, and a document name (not an ARN) resolves in the account the execution runs
 * in. AWS documents shared documents as runnable from another account only by their full ARN
 * (StartAutomationExecution / aws:runCommand DocumentName: "To run a shared document belonging to
 * another account, specify the document ARN", awsdocs/aws-systems-manager-user-guide#137), and
 * requires what the children resolve by name to exist in each target account and Region ("The
 * resource group must exist in each target account and Region", running-automations-multiple-
 * accounts-regions). Same-named documents everywhere satisfy both readings; sharing the central
 * document instead would need ARN references inside the child executions and still a copy for
 * the central account's own children.
 */
export class PatchAutomationDocuments extends pulumi.ComponentResource {
    /** Document name per runbook (the fixed AUTOMATION_DOCUMENT_NAMES). */
    readonly documentNames: Record<AutomationDocumentKey, pulumi.Output<string>>;
    /** Document ARN per runbook. */
    readonly documentArns: Record<AutomationDocumentKey, pulumi.Output<string>>;

    constructor(name: string, args: PatchAutomationDocumentsArgs, opts?: pulumi.ComponentResourceOptions) {
        validatePatchAutomationDocumentsArgs(args);
        super("patching:automation:PatchAutomationDocuments", name, {}, opts);
        const documents = automationDocuments(args.patchGroupTagKey);
        const roles: Record<AutomationDocumentKey, string> = { runPatchBaseline: "run-patch-baseline", patchWithStoppedInstances: "patch-with-stopped-instances" };
        const created = {} as Record<AutomationDocumentKey, aws.ssm.Document>;
        for (const key of Object.keys(AUTOMATION_DOCUMENT_NAMES) as AutomationDocumentKey[]) {
            created[key] = new aws.ssm.Document(
                `${name}-${roles[key]}`,
                {
                    region: args.region,
                    name: AUTOMATION_DOCUMENT_NAMES[key],
                    documentType: "Automation",
                    // Changing the format (JSON to YAML) updates the document in place as a new version.
                    documentFormat: "YAML",
                    content: renderDocument(documents[key]),
                    ...(args.tags ? { tags: { ...args.tags } } : {}),
                },
                { parent: this },
            );
        }
        this.documentNames = { runPatchBaseline: created.runPatchBaseline.name, patchWithStoppedInstances: created.patchWithStoppedInstances.name };
        this.documentArns = { runPatchBaseline: created.runPatchBaseline.arn, patchWithStoppedInstances: created.patchWithStoppedInstances.arn };
        this.registerOutputs({ documentNames: this.documentNames, documentArns: this.documentArns });
    }
}
