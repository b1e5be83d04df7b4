import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSites } from '../sites.ts';
import { describeEachStore, storePerTest } from '../../testing/test-stores.ts';
import { importPlausible } from './plausible.ts';
import { parseCsv } from './read-export.ts';

const site = parseSites('shop;tz=Europe/Berlin', 'UTC').get('shop')!;

// Files of Plausible's CSV export, with the columns its importer reads (lib/plausible/imported/csv_importer.ex).
const EXPORT: Record<string, string> = {
  'imported_visitors_20240101_20240102.csv':
    'date,visitors,pageviews,bounces,visits,visit_duration\n2024-01-01,10,30,4,12,600\n2024-01-02,5,8,2,6,120\n',
  'imported_pages_20240101_20240102.csv':
    'date,hostname,page,visits,visitors,pageviews,scroll_depth,pageleave_visitors\n2024-01-01,shop.example,/,8,7,20,,0\n2024-01-01,shop.example,/pricing,4,4,10,50,3\n',
  'imported_sources_20240101_20240102.csv':
    'date,source,referrer,utm_source,utm_medium,utm_campaign,utm_content,utm_term,pageviews,visitors,visits,visit_duration,bounces\n' +
    '2024-01-01,Google,google.com,,,,,,12,4,5,200,1\n2024-01-01,Newsletter,,news,email,"spring, sale",,,6,2,2,100,0\n2024-01-01,,,,,,,,12,4,5,300,3\n',
  'custom_events_20240101_20240102.csv':
    'date,name,link_url,path,visitors,events\n2024-01-02,Signup,,,3,4\n2024-01-02,Signup,,/pricing,1,1\n',
  'notes.txt': 'not part of the export',
};

/** A zip archive of `files`, deflated, as an export is downloaded. */
function zipOf(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text);
    const packed = deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, and CRLF lines', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\r\n1,\n')).toEqual([
      { a: 'x, y', b: 'say "hi"\nthere' },
      { a: '1', b: '' },
    ]);
  });
});

describeEachStore('importPlausible', (kind) => {
  const held = storePerTest(kind, { timeZoneOf: () => site.timeZone });
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'footfall-plausible-'));
    for (const [name, text] of Object.entries(EXPORT)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'export.zip'), zipOf(EXPORT));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const daily = async () =>
    (await held.store.db.selectFrom('imported_daily').selectAll().orderBy(['day', 'dimension', 'value']).execute()).map((r) => ({
      day: r.day,
      dimension: r.dimension,
      value: r.value,
      visitors: Number(r.visitors),
      visits: Number(r.visits),
      pageviews: Number(r.pageviews),
      bounces: Number(r.bounces),
      visit_duration: Number(r.visit_duration),
      events: Number(r.events),
    }));

  it("keeps each file's days as imported daily rows: totals, and a row a value of each dimension, summed", async () => {
    const folder = join(dir, 'folder');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(folder);
    for (const [name, text] of Object.entries(EXPORT)) writeFileSync(join(folder, name), text);
    const steps: string[] = [];
    const result = await importPlausible(held.store, folder, { site, progress: (s) => steps.push(s) });
    expect(result).toMatchObject({
      outcome: 'imported',
      firstDay: '2024-01-01',
      lastDay: '2024-01-02',
      files: expect.arrayContaining(['custom_events_20240101_20240102.csv']),
    });
    expect(steps).toContain('read imported_visitors_20240101_20240102.csv');
    const rows = await daily();
    const zero = { visitors: 0, visits: 0, pageviews: 0, bounces: 0, visit_duration: 0, events: 0 };
    expect(rows).toContainEqual({
      ...zero,
      day: '2024-01-01',
      dimension: '',
      value: '',
      visitors: 10,
      visits: 12,
      pageviews: 30,
      bounces: 4,
      visit_duration: 600,
    });
    expect(rows).toContainEqual({
      ...zero,
      day: '2024-01-01',
      dimension: 'page',
      value: '/pricing',
      visitors: 4,
      visits: 4,
      pageviews: 10,
    });
    expect(rows).toContainEqual({
      ...zero,
      day: '2024-01-01',
      dimension: 'source',
      value: '',
      visitors: 4,
      visits: 5,
      pageviews: 12,
      bounces: 3,
      visit_duration: 300,
    });
    expect(rows).toContainEqual({
      ...zero,
      day: '2024-01-01',
      dimension: 'utm_campaign',
      value: 'spring, sale',
      visitors: 2,
      visits: 2,
      pageviews: 6,
      visit_duration: 100,
    });
    expect(rows).toContainEqual({ ...zero, day: '2024-01-02', dimension: 'event', value: 'Signup', visitors: 4, events: 5 });
    expect(rows.filter((r) => r.dimension === 'utm_source').map((r) => r.value)).toEqual(['news']);
    expect(result.outcome === 'imported' && result.rows).toBe(rows.length);
  });

  it('reads the zip as it reads the folder, and imports an export once', async () => {
    const first = await importPlausible(held.store, join(dir, 'export.zip'), { site });
    const rows = await daily();
    expect(first.outcome).toBe('imported');
    expect(rows.length).toBeGreaterThan(10);
    expect(await importPlausible(held.store, join(dir, 'export.zip'), { site })).toMatchObject({
      outcome: 'already_imported',
      rows: rows.length,
    });
    // The same files unpacked are the same export.
    expect(await importPlausible(held.store, dir, { site })).toMatchObject({ outcome: 'already_imported' });
    expect(await daily()).toEqual(rows);
  });

  it("refuses days that hold the site's own events unless forced", async () => {
    await held.store.insertEvents([
      {
        site_id: 'shop',
        ts: Date.parse('2024-01-02T10:00:00Z'),
        type: 'pageview',
        name: 'pageview',
        visitor_id: 'own',
        previous_visitor_id: null,
        hostname: null,
        path: '/',
        title: null,
        referrer: null,
        source: null,
        utm_source: null,
        utm_medium: null,
        utm_campaign: null,
        utm_term: null,
        utm_content: null,
        browser: null,
        browser_version: null,
        os: null,
        device: null,
        country: null,
        region: null,
        city: null,
        link: null,
        element: null,
        props: null,
        revenue_amount: null,
        revenue_currency: null,
        engaged_ms: null,
        scroll_depth: null,
      },
    ]);
    expect(await importPlausible(held.store, dir, { site })).toEqual({ outcome: 'overlap', days: ['2024-01-02'] });
    expect(await daily()).toEqual([]);
    expect((await importPlausible(held.store, dir, { site, force: true })).outcome).toBe('imported');
  });

  it('says so when the path holds no export', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'footfall-empty-'));
    await expect(importPlausible(held.store, empty, { site })).rejects.toThrow(/holds no file of Plausible's CSV export/);
    rmSync(empty, { recursive: true });
  });
});
