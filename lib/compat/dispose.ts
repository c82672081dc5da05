/**
 * `Symbol.asyncDispose` for the Node 20 releases that lack it.
 *
 * `await using` looks the symbol up at run time (TypeScript's `__addDisposableResource`
 * throws "Symbol.asyncDispose is not defined"; esbuild, and so tsx, falls back to a symbol
 * of its own). Node defines it as `Symbol.for('nodejs.asyncDispose')` from 20.4 on; on an
 * earlier 20.x we define the very same registered symbol, so objects disposable by Node's
 * own classes and by ours agree. This is the one global this package touches, and only
 * where the platform leaves it undefined.
 * @module
 */

if (typeof Symbol.asyncDispose !== 'symbol') {
  Object.defineProperty(Symbol, 'asyncDispose', { value: Symbol.for('nodejs.asyncDispose') });
}

export {};
