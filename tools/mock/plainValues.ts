import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/**
 * Turns the wire form of resource inputs (a protobuf Struct as JSON, with Pulumi's special
 * signatures) into plain JSON fit for a plan file: secrets masked, resource references as URNs,
 * unknowns marked. Nothing secret can survive this function.
 */
export const SECRET_MASK = "[secret]";
export const UNKNOWN_MARK = "[unknown]";

export function plainValue(value: unknown): unknown {
    if (value === pulumi.runtime.unknownValue) {
        return UNKNOWN_MARK;
    }
    if (Array.isArray(value)) {
        return value.map(plainValue);
    }
    if (value !== null && typeof value === "object") {
        const record = value as Record<string, unknown>;
        const sig = record[pulumi.runtime.specialSigKey];
        if (sig === pulumi.runtime.specialSecretSig) {
            return SECRET_MASK;
        }
        if (sig === pulumi.runtime.specialResourceSig) {
            return { $ref: record["urn"] };
        }
        if (sig === pulumi.runtime.specialAssetSig) {
            return assetSummary(record);
        }
        if (sig === pulumi.runtime.specialArchiveSig) {
            const assets = (record["assets"] ?? {}) as Record<string, unknown>;
            return { $archive: Object.fromEntries(Object.entries(assets).map(([name, asset]) => [name, plainValue(asset)])) };
        }
        if (sig === pulumi.runtime.specialOutputValueSig) {
            return record["secret"] === true ? SECRET_MASK : "value" in record ? plainValue(record["value"]) : UNKNOWN_MARK;
        }
        return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, plainValue(child)]));
    }
    return value;
}

/**
 * Assets (e.g. a bundled Lambda) appear as their size and digest, not their contents: a plan file
 * stays readable, and a changed bundle still shows up as a changed digest.
 */
function assetSummary(record: Record<string, unknown>): unknown {
    if (typeof record["text"] === "string") {
        const text = record["text"];
        return { $asset: "text", bytes: Buffer.byteLength(text), sha256: createHash("sha256").update(text).digest("hex") };
    }
    return { $asset: typeof record["path"] === "string" ? "file" : "remote", source: record["path"] ?? record["uri"] };
}
