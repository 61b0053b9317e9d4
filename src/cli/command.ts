// What a `trent` CLI verb is. Each verb lives in commands/<verb>.ts and is listed in commands.ts.

export interface CliCommand {
  name: string
  summary: string
  /** Runs with the arguments after the verb; resolves to the process exit code. */
  run(args: string[]): Promise<number>
}
