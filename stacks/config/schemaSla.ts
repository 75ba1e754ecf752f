import type { ComplianceLevel } from "../../catalog/patchBaselines";
import { integer, record } from "./vocabulary";

/**
 * `compliance.sla`: how many days a missing patch may stay missing, per compliance severity.
 *
 * The vocabulary is the compliance severity of the patch's compliance item (AWS:ComplianceItem
 * `Severity`: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, UNSPECIFIED), not the vendor's
 * `PatchSeverity`: the vendor scale differs per OS (Windows MSRC Critical/Important/Moderate/Low,
 * Amazon Linux and RHEL Critical/Important/Medium/Low, Ubuntu priorities, SUSE …) while the
 * compliance severity is one scale for every OS — Patch Manager writes the `ComplianceLevel` of
 * the baseline rule that approved the patch (API_PatchRule, API_ComplianceItem). So one table
 * covers Windows, Linux and Azure hybrid nodes, and the patch groups' baselines (whose rules set
 * complianceLevel) decide which patches carry which SLA.
 */

/** Days from 1 to 365: a longer SLA than a year is no SLA. */
const slaDays = (severity: string) => integer(1, 365, `days a patch of level ${severity} may stay missing`);

/** The defaults (days): common vulnerability-management practice, e.g. critical within a week, high within a month. */
export const SLA_DEFAULT_DAYS = { CRITICAL: 7, HIGH: 30, MEDIUM: 90, LOW: 180 } as const satisfies Partial<Record<ComplianceLevel, number>>;

/** Resolved SLA days per compliance severity; a severity without an entry has no SLA. */
export type PatchSlaDays = Readonly<Partial<Record<ComplianceLevel, number>>>;

export const slaSchema = record(
    {
        CRITICAL: slaDays("CRITICAL").default(SLA_DEFAULT_DAYS.CRITICAL).describe("Patches whose baseline rule gives compliance level CRITICAL."),
        HIGH: slaDays("HIGH").default(SLA_DEFAULT_DAYS.HIGH).describe("Compliance level HIGH (also the level of explicitly approved patches unless the baseline sets another)."),
        MEDIUM: slaDays("MEDIUM").default(SLA_DEFAULT_DAYS.MEDIUM),
        LOW: slaDays("LOW").default(SLA_DEFAULT_DAYS.LOW),
        INFORMATIONAL: slaDays("INFORMATIONAL").optional().describe("No SLA when absent."),
        UNSPECIFIED: slaDays("UNSPECIFIED").optional().describe("No SLA when absent."),
    },
    "patch SLAs in days per compliance severity ({CRITICAL?, HIGH?, MEDIUM?, LOW?, INFORMATIONAL?, UNSPECIFIED?})",
);
