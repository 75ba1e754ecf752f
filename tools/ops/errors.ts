/** Bad arguments: one line naming the value and what is allowed; exit code 2, nothing started. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}
