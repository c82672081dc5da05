/**
 * subfeed: stream records into a swarm of persistent child processes over stdin and
 * side-channel pipes (fd 3, 4, …), with backpressure and graceful shutdown.
 * @packageDocumentation
 */
export { createSwarm, Swarm } from './swarm.js';
export type {
  SwarmOptions,
  Formatter,
  ChannelSpec,
  SinkSpec,
  RouteSpec,
  ReadyCheck,
  ReadyContext,
} from './options.js';
export type { WorkerInfo, WorkerState } from './worker.js';
export {
  SubfeedError,
  OptionsError,
  SpawnError,
  ExitError,
  ClosedError,
  FormatError,
  StallError,
  AbortedError,
  type SubfeedErrorCode,
} from './errors.js';
export { splitCommand } from './command.js';
export { Coordinator, type CoordinatorOptions } from './compat/coordinator.js';
export { TaskTemplate, AnonChannel, FileChannel, type TaskTemplateOptions } from './compat/template.js';
export { Writer, WriterSpec, type WriterClass } from './compat/writer.js';
