// The deployment program: validate this stack's config against the repository, then configure
// Pulumi Cloud (Deployments, ESC, policy groups) and bootstrap the IAM side of CI access.
import { loadDeploymentConfig } from "./config";
import { buildDeployment } from "./program";
import { projectFilesAt } from "./projectFiles";

const files = projectFilesAt();
const outputs = buildDeployment(loadDeploymentConfig(files), files);

export const stacks = outputs.stacks;
export const policyGroups = outputs.policyGroups;
export const ciTeams = outputs.ciTeams;
export const manualSteps = outputs.manualSteps;
