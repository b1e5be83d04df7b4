// The part of ua-parser-js 1.x (MIT) that Footfall uses; the package ships no types.
declare module 'ua-parser-js' {
  export interface UAResult {
    browser: { name?: string; version?: string; major?: string };
    os: { name?: string; version?: string };
    device: { type?: string; vendor?: string; model?: string };
  }
  export function UAParser(userAgent: string): UAResult;
}
