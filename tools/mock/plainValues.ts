import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import * as path from "node:path";

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
 * stays readable, and a changed bundle still shows up as a changed digest. A file asset is read
 * and hashed here, as the Pulumi engine does with the path the SDK sends (its identity is the
 * sha256 of the bytes, not the path); its path is left out, so a checkout elsewhere plans the
 * same. A file that cannot be read is reported as such (the engine would fail the update on it).
 */
function assetSummary(record: Record<string, unknown>): unknown {
    if (typeof record["text"] === "string") {
        const text = record["text"];
        return { $asset: "text", ...contentDigest(Buffer.from(text, "utf8")) };
    }
    if (typeof record["path"] === "string") {
        return { $asset: "file", ...fileDigest(record["path"]) };
    }
    return { $asset: "remote", source: record["uri"] };
}

function contentDigest(contents: Buffer): { bytes: number; sha256: string } {
    return { bytes: contents.length, sha256: createHash("sha256").update(contents).digest("hex") };
}

/** Per path, size and modification time: every Region's function names the same bundle file. */
const fileDigests = new Map<string, { bytes: number; sha256: string }>();

function fileDigest(file: string): { bytes: number; sha256: string } | { unreadable: string } {
    try {
        const { size, mtimeMs } = statSync(file);
        const key = JSON.stringify([path.resolve(file), size, mtimeMs]);
        let digest = fileDigests.get(key);
        if (digest === undefined) {
            digest = contentDigest(readFileSync(file));
            fileDigests.set(key, digest);
        }
        return digest;
    } catch (error) {
        return { unreadable: error instanceof Error ? error.message : String(error) };
    }
}
