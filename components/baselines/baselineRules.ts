import { OPERATING_SYSTEMS, type OperatingSystem } from "../../catalog/operatingSystems";
import { MAX_APPROVAL_RULES, MAX_APPROVE_AFTER_DAYS, PATCH_FILTER_KEYS, type ComplianceLevel, type CustomRule } from "../../catalog/patchBaselines";

/**
 * Approval rules per operating system, modelled on AWS's predefined baselines
 * (https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-predefined-and-custom-patch-baselines.html)
 * and restricted to the PatchFilter keys valid for each family (API_PatchFilter):
 * Windows PRODUCT/CLASSIFICATION/MSRC_SEVERITY; yum family PRODUCT/CLASSIFICATION/SEVERITY;
 * Debian/Ubuntu PRODUCT/PRIORITY/SECTION, whose rules take no ApproveAfterDays.
 */

export interface PatchFilter {
    readonly key: string;
    readonly values: readonly string[];
}

export interface ApprovalRule {
    readonly approveAfterDays?: number;
    readonly complianceLevel: ComplianceLevel;
    readonly enableNonSecurity?: boolean;
    readonly patchFilters: readonly PatchFilter[];
}

interface RuleTemplate {
    readonly filters: readonly PatchFilter[];
    readonly complianceLevel: ComplianceLevel;
}

/** Classification/severity vocabularies differ per distribution (values from the SSM docs). */
const RULE_TEMPLATES: Record<OperatingSystem, readonly RuleTemplate[]> = {
    WINDOWS: [
        {
            filters: [
                { key: "CLASSIFICATION", values: ["CriticalUpdates", "SecurityUpdates"] },
                { key: "MSRC_SEVERITY", values: ["Critical", "Important"] },
            ],
            complianceLevel: "CRITICAL",
        },
        { filters: [{ key: "CLASSIFICATION", values: ["UpdateRollups", "Updates"] }], complianceLevel: "MEDIUM" },
    ],
    AMAZON_LINUX_2: yumRules(["Critical", "Important"]),
    AMAZON_LINUX_2023: yumRules(["Critical", "Important"]),
    REDHAT_ENTERPRISE_LINUX: yumRules(["Critical", "Important"]),
    ROCKY_LINUX: yumRules(["Critical", "Important"]),
    ALMA_LINUX: yumRules(["Critical", "Important"]),
    // Oracle rates errata Important/Moderate (AWS's predefined Oracle Linux baseline uses these).
    ORACLE_LINUX: yumRules(["Important", "Moderate"]),
    SUSE: [
        {
            filters: [
                { key: "CLASSIFICATION", values: ["Security"] },
                { key: "SEVERITY", values: ["Critical", "Important"] },
            ],
            complianceLevel: "CRITICAL",
        },
        // Recommended updates are mostly rated Moderate/Low, so they get a rule of their own.
        { filters: [{ key: "CLASSIFICATION", values: ["Recommended"] }], complianceLevel: "MEDIUM" },
    ],
    UBUNTU: debianRules(),
    DEBIAN: debianRules(),
};

function yumRules(severities: readonly string[]): RuleTemplate[] {
    return [
        {
            filters: [
                { key: "CLASSIFICATION", values: ["Security"] },
                { key: "SEVERITY", values: severities },
            ],
            complianceLevel: "CRITICAL",
        },
        { filters: [{ key: "CLASSIFICATION", values: ["Bugfix"] }], complianceLevel: "MEDIUM" },
    ];
}

function debianRules(): RuleTemplate[] {
    return [{ filters: [{ key: "PRIORITY", values: ["Required", "Important", "Standard"] }], complianceLevel: "HIGH" }];
}

export interface ApprovalRuleOptions {
    /** Delay for this environment; ignored for Debian/Ubuntu, where the API rejects it. */
    readonly approveAfterDays: number;
    /** Overrides every rule's compliance level. */
    readonly complianceLevel?: ComplianceLevel;
    /** Replaces the OS's default rules. */
    readonly customRules?: readonly CustomRule[];
}

export function approvalRules(os: OperatingSystem, options: ApprovalRuleOptions): ApprovalRule[] {
    const family = OPERATING_SYSTEMS[os].family;
    const templates: readonly RuleTemplate[] =
        options.customRules === undefined
            ? RULE_TEMPLATES[os]
            : options.customRules.map((rule) => ({
                  filters: Object.entries(rule.filters).map(([key, values]) => ({ key, values })),
                  complianceLevel: rule.complianceLevel ?? "UNSPECIFIED",
              }));
    return templates.map((template) => ({
        ...(family === "debian" ? {} : { approveAfterDays: options.approveAfterDays }),
        complianceLevel: options.complianceLevel ?? template.complianceLevel,
        // EnableNonSecurity applies to yum-family Linux only (PatchRule reference).
        ...(family === "yum" ? { enableNonSecurity: false } : {}),
        patchFilters: template.filters,
    }));
}

/** Problems with a rule set as the API would see them (used by tests and the policy pack). */
export function ruleProblems(os: OperatingSystem, rules: readonly ApprovalRule[]): string[] {
    const family = OPERATING_SYSTEMS[os].family;
    const problems: string[] = [];
    if (rules.length === 0 || rules.length > MAX_APPROVAL_RULES) {
        problems.push(`${os}: a baseline needs 1-10 approval rules, has ${rules.length}`);
    }
    for (const rule of rules) {
        for (const filter of rule.patchFilters) {
            if (!PATCH_FILTER_KEYS[family].includes(filter.key)) {
                problems.push(`${os}: patch filter key ${filter.key} is not valid for ${family} (allowed: ${PATCH_FILTER_KEYS[family].join(", ")})`);
            }
        }
        if (family === "debian" && rule.approveAfterDays !== undefined) {
            problems.push(`${os}: Debian/Ubuntu rules take no approveAfterDays`);
        }
        if (family !== "debian" && (rule.approveAfterDays === undefined || rule.approveAfterDays < 0 || rule.approveAfterDays > MAX_APPROVE_AFTER_DAYS)) {
            problems.push(`${os}: approveAfterDays must be 0-${MAX_APPROVE_AFTER_DAYS}`);
        }
    }
    return problems;
}
