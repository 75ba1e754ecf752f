import type { PatchFamily } from "./operatingSystems";

/**
 * What a patch baseline can say, as the SSM API defines it (API_PatchRule, API_PatchFilter,
 * API_CreatePatchBaseline): compliance levels, the filter keys each OS family accepts, and the
 * limits on rules. Shared by the config validator and the baselines component.
 */

export type ComplianceLevel = "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "INFORMATIONAL" | "UNSPECIFIED";
export const COMPLIANCE_LEVELS: readonly ComplianceLevel[] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL", "UNSPECIFIED"];

export const PATCH_FILTER_KEYS: Record<PatchFamily, readonly string[]> = {
    windows: ["PATCH_SET", "PRODUCT", "PRODUCT_FAMILY", "CLASSIFICATION", "MSRC_SEVERITY"],
    yum: ["PRODUCT", "CLASSIFICATION", "SEVERITY"],
    debian: ["PRODUCT", "PRIORITY", "SECTION"],
};

/** ApproveAfterDays range (PatchRule). */
export const MAX_APPROVE_AFTER_DAYS = 360;

/** CreatePatchBaseline ApprovalRules.PatchRules: 1-10 rules per baseline. */
export const MAX_APPROVAL_RULES = 10;

/** A configured rule: filters by key, and optionally its own compliance level. */
export interface CustomRule {
    readonly filters: Readonly<Record<string, readonly string[]>>;
    readonly complianceLevel?: ComplianceLevel;
}

/** Per-OS options of a patch group's baseline. */
export interface BaselineOptions {
    /** Overrides every rule's compliance level. */
    readonly complianceLevel?: ComplianceLevel;
    readonly approvedPatches?: readonly string[];
    readonly rejectedPatches?: readonly string[];
    /** @default "BLOCK" when rejectedPatches is set */
    readonly rejectedPatchesAction?: "ALLOW_AS_DEPENDENCY" | "BLOCK";
    /** Register as the Region's default baseline for the OS. */
    readonly setAsDefault?: boolean;
    /** Replaces the OS's default rules. */
    readonly approvalRules?: readonly CustomRule[];
}
