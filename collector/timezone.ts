// Calendar arithmetic lives with the store, which buckets events by each site's
// local day; everything above it imports it from here.
export * from './store/time-zones.ts';
