import { startMoto, type MotoServer } from "../../../tools/moto";
import { PythonHarness } from "./runbookInterpreter";

/**
 * moto_server and the Python harness for one describe block: started once in `before`, stopped in
 * `after`, moto's state reset before every test. Call inside `describe`; the getters are valid in
 * hooks and tests.
 */
export function useMotoHarness(region: string): { readonly moto: () => MotoServer; readonly harness: () => PythonHarness } {
    let moto: MotoServer | undefined;
    let harness: PythonHarness | undefined;
    before(async () => {
        moto = await startMoto();
        harness = new PythonHarness(moto.endpoint, region);
    });
    after(async () => {
        await harness?.stop();
        await moto?.stop();
    });
    beforeEach(async () => {
        await fetch(`${(moto as MotoServer).endpoint}/moto-api/reset`, { method: "POST" });
    });
    return { moto: () => moto as MotoServer, harness: () => harness as PythonHarness };
}
