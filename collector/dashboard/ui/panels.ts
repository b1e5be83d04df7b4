import { formatDuration, formatMoney, formatNumber, formatPercent, formatShare } from './format.ts';
import type { BreakdownRow } from './types.ts';

/** What the breakdown panels show, as data: which dimensions, in which tabs, with which columns. */

export interface Column {
  readonly label: string;
  /** A short description for screen readers and the CSV-minded: what the number counts. */
  readonly title: string;
  readonly value: (row: BreakdownRow, totalVisitors: number) => string;
  /** Left out when no row has a value for it (revenue on a site that sells nothing). */
  readonly optional?: boolean;
  /** Kept on a phone, beside the first two columns: money a site makes is not a detail. */
  readonly onPhone?: boolean;
}

export interface PanelTab {
  readonly id: string;
  readonly label: string;
  /** The dimension asked for; a tab with several (UTM) offers a choice among them. */
  readonly dims: readonly { readonly dim: string; readonly label: string }[];
  /** The heading over the values, e.g. `Page`. */
  readonly valueHeading: string;
  readonly columns: readonly Column[];
  /** A `prop:KEY` tab: the person names the property. */
  readonly property?: boolean;
}

export interface PanelDef {
  readonly id: string;
  readonly title: string;
  readonly tabs: readonly PanelTab[];
}

const visitors: Column = { label: 'Visitors', title: 'unique visitors', value: (r) => formatNumber(r.visitors) };
const share: Column = {
  label: '%',
  title: 'share of all visitors',
  value: (r, total) => (total > 0 ? formatShare(r.visitors, total) : '—'),
};
const pageviews: Column = { label: 'Views', title: 'page views', value: (r) => formatNumber(r.pageviews) };
const visits = (label: string, title: string): Column => ({ label, title, value: (r) => formatNumber(r.visits) });
const bounce: Column = { label: 'Bounce', title: 'bounce rate', value: (r) => formatPercent(r.bounce_rate) };
const eventCount = (label: string, title: string): Column => ({ label, title, value: (r) => formatNumber(r.events) });

const one = (dim: string, label: string) => [{ dim, label }];
/** A tab of one dimension whose rows show visitors and their share of all. */
const shareTab = (dim: string, label: string, heading: string): PanelTab => ({
  id: dim,
  label,
  dims: one(dim, heading),
  valueHeading: heading,
  columns: [visitors, share],
});

export const PANELS: readonly PanelDef[] = [
  {
    id: 'pages',
    title: 'Pages',
    tabs: [
      {
        id: 'page',
        label: 'Top pages',
        dims: one('page', 'Page'),
        valueHeading: 'Page',
        columns: [
          visitors,
          pageviews,
          {
            label: 'Scroll',
            title: "mean of each visitor's greatest scroll depth",
            value: (r) => (r.scroll_depth == null ? '—' : formatPercent(r.scroll_depth)),
            optional: true,
          },
          { label: 'Time', title: 'engaged time per page view', value: (r) => formatDuration(r.time_on_page), optional: true },
        ],
      },
      {
        id: 'entry_page',
        label: 'Entry',
        dims: one('entry_page', 'Entry page'),
        valueHeading: 'Entry page',
        columns: [visitors, visits('Entries', 'visits that began here'), bounce],
      },
      {
        id: 'exit_page',
        label: 'Exit',
        dims: one('exit_page', 'Exit page'),
        valueHeading: 'Exit page',
        columns: [visitors, visits('Exits', 'visits that ended here')],
      },
    ],
  },
  {
    id: 'sources',
    title: 'Sources',
    tabs: [
      { id: 'source', label: 'Sources', dims: one('source', 'Source'), valueHeading: 'Source', columns: [visitors, bounce] },
      {
        id: 'referrer',
        label: 'Referrers',
        dims: one('referrer', 'Referrer'),
        valueHeading: 'Referrer',
        columns: [visitors, visits('Visits', 'visits')],
      },
      {
        id: 'utm',
        label: 'UTM',
        dims: [
          { dim: 'utm_source', label: 'Source' },
          { dim: 'utm_medium', label: 'Medium' },
          { dim: 'utm_campaign', label: 'Campaign' },
          { dim: 'utm_term', label: 'Term' },
          { dim: 'utm_content', label: 'Content' },
        ],
        valueHeading: 'UTM',
        columns: [visitors, visits('Visits', 'visits')],
      },
    ],
  },
  {
    id: 'locations',
    title: 'Locations',
    tabs: [shareTab('country', 'Countries', 'Country'), shareTab('region', 'Regions', 'Region'), shareTab('city', 'Cities', 'City')],
  },
  {
    id: 'devices',
    title: 'Devices',
    tabs: [shareTab('browser', 'Browsers', 'Browser'), shareTab('os', 'OS', 'Operating system'), shareTab('device', 'Devices', 'Device')],
  },
  {
    id: 'events',
    title: 'Events & conversions',
    tabs: [
      {
        id: 'event',
        label: 'Events',
        dims: one('event', 'Event'),
        valueHeading: 'Event',
        columns: [
          { label: 'Uniques', title: 'visitors who sent it', value: (r) => formatNumber(r.visitors) },
          eventCount('Total', 'times it was sent'),
          { label: 'CR', title: 'conversion rate: share of visitors who sent it', value: (r) => formatPercent(r.conversion_rate) },
          { label: 'Revenue', title: 'revenue', value: (r) => formatMoney(r.revenue), optional: true, onPhone: true },
        ],
      },
      {
        id: 'goal',
        label: 'Goals',
        dims: one('goal', 'Goal'),
        valueHeading: 'Goal',
        columns: [
          { label: 'Uniques', title: 'visitors who completed it', value: (r) => formatNumber(r.visitors) },
          eventCount('Total', 'times it was completed'),
          { label: 'CR', title: 'conversion rate: share of visitors who completed it', value: (r) => formatPercent(r.conversion_rate) },
          { label: 'Revenue', title: 'revenue', value: (r) => formatMoney(r.revenue), optional: true },
        ],
      },
      {
        id: 'property',
        label: 'Properties',
        dims: [],
        valueHeading: 'Value',
        property: true,
        columns: [visitors, eventCount('Events', 'events with this value')],
      },
    ],
  },
  {
    id: 'links',
    title: 'Links',
    tabs: [
      {
        id: 'link',
        label: 'Outbound & downloads',
        dims: one('link', 'Link'),
        valueHeading: 'Link',
        columns: [visitors, eventCount('Clicks', 'clicks')],
      },
      {
        id: 'element',
        label: 'Clicked',
        dims: one('element', 'Element'),
        valueHeading: 'What was clicked',
        columns: [visitors, eventCount('Clicks', 'clicks')],
      },
    ],
  },
];

/** The dimension a tab asks for: its chosen one among several, or a property's `prop:KEY`. */
export function tabDimension(tab: PanelTab, choice: string | null): string | null {
  if (tab.property) return choice ? `prop:${choice}` : null;
  return tab.dims.find((d) => d.dim === choice)?.dim ?? tab.dims[0]?.dim ?? null;
}
