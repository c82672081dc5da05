/**
 * The one place stream classes come from. The design card names readable-stream, a
 * userland copy of Node's streams with the same contract on every Node version; keeping the
 * import here means the rest of the code never cares which hierarchy a class belongs to.
 * Never test a stream with `instanceof`: core and readable-stream classes differ.
 * @module
 */
import readableStream from 'readable-stream';

export const { Duplex, Transform, Writable, Readable, pipeline, finished } = readableStream;
export type Duplex = readableStream.Duplex;
export type Transform = readableStream.Transform;
export type Writable = readableStream.Writable;
export type Readable = readableStream.Readable;
