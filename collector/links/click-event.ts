/** How a tracked link's click is stored: as a `click` whose element is `tracked`, its code in a property. */
export const TRACKED = 'tracked';
/** The property that names a click's link code (so `filters=prop:link_code==spring` works on every stats route). */
export const LINK_CODE_PROP = 'link_code';
