// What a subcommand may touch: its output streams, environment and working directory.
export interface CommandIo {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  env: NodeJS.ProcessEnv
  cwd: string
}
