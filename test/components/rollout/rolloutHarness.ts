import * as path from "node:path";
import { PythonHarness } from "../runbooks/runbookInterpreter";

/**
 * The runbook interpreter's Python harness process, running this folder's harness
 * (harness/rollout_harness.py): every SSM call is answered by botocore's Stubber (moto_server has
 * none of the Automation-execution or Change Calendar APIs), and the scripts' clock can be frozen.
 * No moto endpoint is needed: the rollout scripts call SSM only, and the harness refuses any other client.
 */
export function rolloutHarness(): PythonHarness {
    return new PythonHarness("http://127.0.0.1:9", "eu-west-2", path.join(__dirname, "harness", "rollout_harness.py"));
}

/** Freezes the scripts' `datetime.now()` at `iso` (an instant with offset, e.g. 2026-01-13T10:00:00+00:00). */
export async function setClock(harness: PythonHarness, iso: string): Promise<void> {
    const answer = await harness.request({ kind: "clock", now: iso });
    if (!answer.ok) throw new Error(`clock: ${answer.error}`);
}

/** Runs one handler of `script` (the runbook's source, unchanged, plus `extra` test-only code) with queued SSM answers. */
export async function runHandler(harness: PythonHarness, script: string, handler: string, events: Record<string, unknown>, extra = ""): Promise<Record<string, unknown>> {
    const answer = await harness.request({ kind: "script", script: `${script}\n${extra}`, handler, events, ssm: [] });
    if (!answer.ok) throw new Error(`${handler}: ${answer.error}`);
    return answer.payload ?? {};
}
