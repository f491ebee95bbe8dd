/**
 * Which columns a Parquet re-read may decode alone. parquet-wasm 0.8 matches a projected name as a
 * prefix of each column path and then indexes the path by the name's length in bytes as if it were
 * characters: a non-ASCII name that begins another column's name (`é` and `é2`, `温度` and `温度差`)
 * panics inside its WebAssembly. Such a projection is not asked for; the whole row group is decoded.
 */

/** Whether decoding only `wanted` of a file with columns `all` is safe (see above). */
export function projectionIsSafe(wanted: readonly string[], all: readonly string[]): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII is exactly U+0000–U+007F.
  const ascii = /^[\u0000-\u007f]*$/;
  return wanted.every((name) => ascii.test(name) || !all.some((other) => other !== name && other.startsWith(name)));
}
