import { type EventData, init, type Options, optIn, optOut, track } from './tracker.ts';

// The script-tag entry: <script defer src="https://COLLECTOR/footfall.js" data-site="SITE_ID"></script>
// Each data-* attribute is the init option of the same name (data-respect-dnt
// is respectDnt); one without a value is true. The one global, `footfall`,
// records custom events; calls made to the stub before the script loaded are
// replayed in order, after the page view.

/** The page's one global: `footfall('Signup', { props })`, `footfall.optOut()`, `footfall.optIn()`. */
interface Footfall {
  (name: string, data?: EventData): void;
  optOut(): void;
  optIn(): void;
  /** Calls queued by the stub `window.footfall = window.footfall || function () { (footfall.q = footfall.q || []).push(arguments) }`. */
  q?: IArguments[];
}

declare global {
  interface Window {
    footfall?: Footfall;
  }
}

const script = document.currentScript as HTMLScriptElement | null;
const options: Record<string, unknown> = { api: script && new URL(script.src).origin };
for (const name in script?.dataset) options[name] = script!.dataset[name] || true;
init(options as unknown as Options);
for (const args of window.footfall?.q || []) track(...(args as unknown as [string, EventData?]));
// `track` itself becomes the global: the script's own copy of the tracker, shared with no one.
const footfall = (window.footfall = track as Footfall);
footfall.optOut = optOut;
footfall.optIn = optIn;
