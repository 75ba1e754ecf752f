// Entry prelude of the offline tools (plan, benchmark): imported first, so it runs before anything
// loads @pulumi/pulumi. The one side effect on import outside index.ts, and only in entry points.
import { deferModules } from "./deferredModules";

deferModules();
