/**
 * The operating systems this project builds patch baselines for, and the facts about each that
 * decide what AWS accepts. Values are the `OperatingSystem` enum of the SSM CreatePatchBaseline API
 * (https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_CreatePatchBaseline.html).
 */

/** Which patch-filter grammar an OS uses (PatchFilter keys differ per family). */
export type PatchFamily = "windows" | "yum" | "debian";

/** What an Azure VM or EC2 instance runs, as far as agent installation is concerned. */
export type OsKind = "linux" | "windows";

export interface OperatingSystemFacts {
    readonly family: PatchFamily;
    readonly kind: OsKind;
    readonly displayName: string;
}

export const OPERATING_SYSTEMS = {
    AMAZON_LINUX_2: { family: "yum", kind: "linux", displayName: "Amazon Linux 2" },
    AMAZON_LINUX_2023: { family: "yum", kind: "linux", displayName: "Amazon Linux 2023" },
    REDHAT_ENTERPRISE_LINUX: { family: "yum", kind: "linux", displayName: "Red Hat Enterprise Linux" },
    ROCKY_LINUX: { family: "yum", kind: "linux", displayName: "Rocky Linux" },
    ALMA_LINUX: { family: "yum", kind: "linux", displayName: "AlmaLinux" },
    ORACLE_LINUX: { family: "yum", kind: "linux", displayName: "Oracle Linux" },
    SUSE: { family: "yum", kind: "linux", displayName: "SUSE Linux Enterprise Server" },
    UBUNTU: { family: "debian", kind: "linux", displayName: "Ubuntu Server" },
    DEBIAN: { family: "debian", kind: "linux", displayName: "Debian Server" },
    WINDOWS: { family: "windows", kind: "windows", displayName: "Windows Server" },
} as const satisfies Record<string, OperatingSystemFacts>;

export type OperatingSystem = keyof typeof OPERATING_SYSTEMS;

export const OPERATING_SYSTEM_NAMES = Object.keys(OPERATING_SYSTEMS) as [OperatingSystem, ...OperatingSystem[]];
