// What a subcommand may touch: its output streams, environment and working directory.
export interface CommandIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  cwd: string
  /** Whether stderr is a terminal (progress bars are drawn only there); false when absent. */
  stderrIsTTY?: boolean
}
