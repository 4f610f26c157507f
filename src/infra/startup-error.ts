/** A problem with the configuration or the machine, told to the operator in one line (exit 1, no stack trace). */
export class StartupError extends Error {}
