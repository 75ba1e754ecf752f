/**
 * The CloudFormation side of organization mode (issue 16): typed plain objects for template
 * resources, and the markers the pure builders are called with where a StackSet template cannot
 * know a value (the account and Region it is deployed to).
 *
 * Every builder that takes an account id or Region is called with {@link ACCOUNT_ID_MARKER} /
 * {@link REGION_MARKER}; {@link sub} then wraps each string that carries a marker in `Fn::Sub`,
 * which CloudFormation resolves per stack instance. Any other `${…}` in such a string (an IAM
 * policy variable like `${aws:SourceAccount}`) is escaped as `${!…}`, which Fn::Sub renders as the
 * literal `${…}` ("To write a dollar sign and curly braces (${}) literally, add an exclamation
 * point (!) after the open curly brace", Fn::Sub reference). Strings without a marker are left
 * untouched: outside Fn::Sub a `${` is plain text.
 */

/** Pseudo parameters, written as Fn::Sub variables. */
export const ACCOUNT_ID_MARKER = "${AWS::AccountId}";
export const REGION_MARKER = "${AWS::Region}";
const MARKERS = [ACCOUNT_ID_MARKER, REGION_MARKER] as const;

/** One resource of a template (Resources.<logical id>). */
export interface CfnResource {
    readonly Type: string;
    readonly Properties: Readonly<Record<string, unknown>>;
    readonly DependsOn?: readonly string[];
    /** Log buckets and their keys: `Retain`, so deleting a stack instance never deletes audit data. */
    readonly DeletionPolicy?: "Retain" | "Delete";
    readonly UpdateReplacePolicy?: "Retain" | "Delete";
    /** A condition of the template's `Conditions` (e.g. an AWS Config rule some Regions lack). */
    readonly Condition?: string;
}

export type CfnResources = Readonly<Record<string, CfnResource>>;

export interface CfnTemplate {
    readonly AWSTemplateFormatVersion: "2010-09-09";
    readonly Description: string;
    /** Named conditions, e.g. `{"Fn::Not": [{"Fn::Equals": [{"Ref": "AWS::Region"}, "…"]}]}`. */
    readonly Conditions?: Readonly<Record<string, unknown>>;
    readonly Resources: CfnResources;
}

/** `Ref` to another resource of the same template (also orders creation). */
export const ref = (logicalId: string) => ({ Ref: logicalId });
export const getAtt = (logicalId: string, attribute: string) => ({ "Fn::GetAtt": [logicalId, attribute] });

/** True when a string carries one of the markers (and so must go through Fn::Sub). */
export function hasMarker(value: string): boolean {
    return MARKERS.some((marker) => value.includes(marker));
}

/** The Fn::Sub body of a marked string: every `${` that is not a marker becomes `${!`. */
export function escapeForSub(value: string): string {
    return value.replace(/\$\{(?!AWS::AccountId\}|AWS::Region\})/g, "${!");
}

/**
 * A builder's output made template-ready: every string with a marker becomes
 * `{ "Fn::Sub": <escaped> }`; everything else is copied as is (keys keep their order).
 */
export function sub(value: unknown): unknown {
    if (typeof value === "string") {
        return hasMarker(value) ? { "Fn::Sub": escapeForSub(value) } : value;
    }
    if (Array.isArray(value)) {
        return value.map(sub);
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, sub(item)]));
    }
    return value;
}

/**
 * What CloudFormation makes of {@link sub}'s output in one account and Region (tests, and readers
 * comparing a template with the configured-accounts mode): markers replaced, `${!` back to `${`.
 * Refs to other resources are left as they are.
 */
export function resolveSub(value: unknown, at: { readonly accountId: string; readonly region: string }): unknown {
    if (Array.isArray(value)) {
        return value.map((item) => resolveSub(item, at));
    }
    if (value !== null && typeof value === "object") {
        const entries = Object.entries(value);
        if (entries.length === 1 && entries[0][0] === "Fn::Sub" && typeof entries[0][1] === "string") {
            return entries[0][1].split(ACCOUNT_ID_MARKER).join(at.accountId).split(REGION_MARKER).join(at.region).split("${!").join("${");
        }
        return Object.fromEntries(entries.map(([key, item]) => [key, resolveSub(item, at)]));
    }
    return value;
}

// Stryker disable next-line Regex: equivalent — the empty words a single-character split leaves are dropped by filter(Boolean).
const WORD_SEPARATORS = /[^A-Za-z0-9]+/;

/** CloudFormation logical ids: alphanumeric only (template anatomy, "Resources"). */
export function logicalId(...parts: readonly string[]): string {
    return parts
        .map((part) =>
            part
                .split(WORD_SEPARATORS)
                .filter(Boolean)
                .map((word) => word[0].toUpperCase() + word.slice(1))
                .join(""),
        )
        .join("");
}

/** Retained on stack deletion and on replacement: audit data outlives any stack instance. */
export const RETAIN = { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" } as const;
