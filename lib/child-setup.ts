/**
 * What a worker's child is started with: its argv (placeholders substituted), its stdio
 * (channel pipes on fd 0 and 3+, sinks on 1 and 2) and its environment (one variable per
 * side channel, plus SUBFEED_WORKER_ID).
 * @module
 */
import type { PipeEnds } from './channel/pipes.js';
import { substitutePlaceholders } from './command.js';
import type { SwarmPlan } from './options.js';

type StdioEntry = 'inherit' | 'ignore' | 'pipe' | number;

/** The command with `{id}` and `{<channel>}` replaced for this worker. */
export function childArgv(plan: SwarmPlan<unknown>, workerId: number): string[] {
  const paths = new Map(plan.channels.map((channel) => [channel.name, `/dev/fd/${channel.fd}`]));
  return plan.command.map((argument) => substitutePlaceholders(argument, workerId, paths));
}

/** stdio for spawn(): each channel's read end at its fd; /dev/null on fd 0 without a stdin channel. */
export function childStdio(plan: SwarmPlan<unknown>, pipes: readonly PipeEnds[], stdout: StdioEntry, stderr: StdioEntry): StdioEntry[] {
  const stdio: StdioEntry[] = ['ignore', stdout, stderr];
  plan.channels.forEach((channel, index) => (stdio[channel.fd] = pipes[index].readFd));
  return stdio;
}

/** process.env, then the `env` option, then SUBFEED_WORKER_ID and one variable per side channel. */
export function childEnvironment(plan: SwarmPlan<unknown>, workerId: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...plan.env, SUBFEED_WORKER_ID: String(workerId) };
  for (const channel of plan.channels) if (channel.name !== 'stdin') env[channel.name] = String(channel.fd);
  return env;
}
