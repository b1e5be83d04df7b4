import { init, track } from './tracker.ts';

// The script-tag entry: <script defer src="https://COLLECTOR/footfall.js" data-site="SITE_ID"></script>

declare global {
  interface Window {
    footfall?: typeof track;
  }
}

const script = document.currentScript as HTMLScriptElement | null;
if (script?.dataset.site) {
  init({ site: script.dataset.site, api: script.dataset.api || new URL(script.src).origin });
}
window.footfall = track;
