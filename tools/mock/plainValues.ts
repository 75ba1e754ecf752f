import * as pulumi from "@pulumi/pulumi";

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
        if (sig === pulumi.runtime.specialOutputValueSig) {
            return record["secret"] === true ? SECRET_MASK : "value" in record ? plainValue(record["value"]) : UNKNOWN_MARK;
        }
        return Object.fromEntries(Object.entries(record).map(([key, child]) => [key, plainValue(child)]));
    }
    return value;
}
