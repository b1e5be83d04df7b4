// The part of uglify-js 3.x (BSD-2-Clause) that the script-tag build uses; the package ships no types.
declare module 'uglify-js' {
  export interface MinifyOutput {
    code?: string;
    error?: Error;
  }
  export function minify(
    code: string,
    options?: { compress?: Record<string, unknown> | false; mangle?: boolean; output?: Record<string, unknown> },
  ): MinifyOutput;
}
