// npm run deps: checks the layering rules over the project's import graph; exit 1 on a violation.
import { importCycles, looseComponentFiles, ruleViolations } from "./dependencyRules";
import { buildImportGraph } from "./importGraph";

const graph = buildImportGraph(process.cwd());
const problems = [
    ...ruleViolations(graph),
    ...importCycles(graph).map((cycle) => `import cycle: ${[...cycle, cycle[0]].join(" → ")}`),
    ...looseComponentFiles(graph.files).map((file) => `${file}: only the barrel index.ts sits at the root of components/; move it into its capability's folder`),
];
for (const problem of problems) {
    console.error(problem);
}
console.log(`${graph.files.length} files, ${graph.edges.filter((edge) => !edge.external).length} project imports: ${problems.length === 0 ? "layering rules hold" : `${problems.length} problem(s)`}`);
process.exitCode = problems.length === 0 ? 0 : 1;
