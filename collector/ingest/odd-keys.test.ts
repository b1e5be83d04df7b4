import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertLink } from '../links/repository.ts';
import { describeEachStore } from '../../testing/test-stores.ts';
import { BROWSER_UA, createTestCollector, type TestCollector } from '../../testing/test-collector.ts';

// Property names JavaScript treats specially, and characters a database cannot hold: stored as sent, or refused; never lost.

const NOW = Date.parse('2026-11-23T12:00:00Z');

// Written as JSON text: a JavaScript object literal would make `__proto__` a prototype, not a name.
const ODD_PROPS =
  '{"__proto__":"p","constructor":"c","toString":1,"hasOwnProperty":true,"valueOf":false,"__defineGetter__":"g","\\ud800lone":"a\\udc00","nul\\u0000key":"nul\\u0000value"}';
/** What is stored of ODD_PROPS: every name kept, a lone surrogate and NUL each read as U+FFFD. */
const STORED_PROPS: [string, unknown][] = [
  ['__proto__', 'p'],
  ['constructor', 'c'],
  ['toString', 1],
  ['hasOwnProperty', true],
  ['valueOf', false],
  ['__defineGetter__', 'g'],
  ['\ufffdlone', 'a\ufffd'],
  ['nul\ufffdkey', 'nul\ufffdvalue'],
];

describeEachStore('odd property names and characters', (kind) => {
  let t: TestCollector;
  beforeEach(async () => {
    t = await createTestCollector({ now: () => NOW, kind });
  });
  afterEach(() => t.close());

  const stored = async () => {
    await t.flush();
    return t.store.db.selectFrom('events').selectAll().orderBy('id').execute();
  };
  /** A stored props text as its entries, in order; own names only, whatever they are. */
  const entriesOf = (props: string | null) => Object.entries(JSON.parse(props ?? 'null') ?? {});
  const single = (props: string, extra = '') =>
    `{"site_id":"s1","event_type":"Signup","path":"/a","timestamp":"2026-11-23T11:00:00Z","props":${props}${extra}}`;

  it('keeps every name of POST /event props as data', async () => {
    expect((await t.post('/event', single(ODD_PROPS))).status).toBe(202);
    const [row] = await stored();
    expect(entriesOf(row!.props)).toEqual(STORED_PROPS);
  });

  it("keeps every name of a batch's props, in the short form (p and t) and in the earlier form", async () => {
    const batch = `{"s":"s1","e":[{"n":"Signup","u":"https://s.test/a","p":${ODD_PROPS},"a":0},{"n":"Tagged","u":"https://s.test/a","t":{"footfallProp-__proto__":"x","footfallPropConstructor":"y"},"a":0}]}`;
    const legacy = `{"site_id":"s1","events":[{"event_type":"Signup","url":"https://s.test/a","props":${ODD_PROPS},"age":0}]}`;
    expect(await (await t.post('/events', batch)).json()).toMatchObject({ accepted: 2, rejected: [] });
    expect(await (await t.post('/events', legacy)).json()).toMatchObject({ accepted: 1, rejected: [] });
    const rows = await stored();
    expect(rows.map((r) => entriesOf(r.props))).toEqual([
      STORED_PROPS,
      [
        ['__proto__', 'x'],
        ['constructor', 'y'],
      ],
      STORED_PROPS,
    ]);
  });

  it('refuses a __proto__ whose value is not a property value, naming it, as any other name', async () => {
    for (const props of ['{"__proto__":{"a":1}}', '{"plan":{"a":1}}']) {
      const res = await t.post('/event', single(props));
      expect(res.status).toBe(400);
      const name = props.slice(2, props.indexOf('"', 2));
      expect(await res.json()).toMatchObject({
        errors: [{ field: `props.${name}`, reason: 'property values must be strings, finite numbers or booleans' }],
      });
    }
    const batch = await t.post('/events', '{"s":"s1","e":[{"n":"Signup","p":{"__proto__":{"a":1}},"a":0}]}');
    expect(await batch.json()).toMatchObject({ errors: [{ field: 'e[0].p.__proto__' }] });
    expect(await stored()).toEqual([]);
  });

  it('counts a __proto__ property as any other on the stats routes and in the export', async () => {
    expect((await t.post('/event', single('{"__proto__":"pro"}'))).status).toBe(202);
    await t.flush();
    const breakdown = await t.app.request('/stats/breakdown?site_id=s1&date=2026-11-23&by=prop:__proto__');
    expect(await breakdown.json()).toMatchObject({ results: [{ value: 'pro', visitors: 1, events: 1 }] });
    const keys = await t.app.request('/stats/properties?site_id=s1&date=2026-11-23');
    expect(await keys.json()).toMatchObject({ results: [{ key: '__proto__', events: 1 }] });
    const exported = (await (await t.app.request('/export?site_id=s1')).text()).trim();
    expect(exported).toContain('"props":{"__proto__":"pro"}');
  });

  it('reads NUL in names, paths and every text field as U+FFFD, as lone surrogates are, alike on every store', async () => {
    const body =
      '{"site_id":"s1","event_type":"Sign\\u0000up","path":"/a\\u0000b","url":"https://s.test/a?utm_source=x%00y","title":"T\\u0000","user_id":"u\\u0000","referrer":"https://r.test/\\u0000","element":"e\\u0000l","link":"https://l.test/\\u0000","timestamp":"2026-11-23T11:00:00Z"}';
    expect((await t.post('/event', body)).status).toBe(202);
    const batch =
      '{"s":"s1","e":[{"n":"Na\\u0000me","u":"https://s.test/b?utm_campaign=%00","k":"/b\\u0000\\ud800","x":"\\u0000label","a":0}]}';
    expect((await t.post('/events', batch)).status).toBe(202);
    const [one, two] = await stored();
    expect(one).toMatchObject({
      name: 'Sign\ufffdup',
      path: '/a\ufffdb',
      title: 'T\ufffd',
      visitor_id: 'u:u\ufffd',
      utm_source: 'x\ufffdy',
      element: 'e\ufffdl',
      link: 'https://l.test/\ufffd',
    });
    expect(two).toMatchObject({ name: 'Na\ufffdme', path: '/b\ufffd\ufffd', utm_campaign: '\ufffd', element: '\ufffdlabel' });
    const text = JSON.stringify([one, two]);
    expect(text).not.toMatch(/\\u0000|\\ud[89a-f]/i);
  });

  it('reads NUL and lone surrogates in filter values and property names on the stats routes as ingestion stores them', async () => {
    expect((await t.post('/event', single('{"k\\u0000":"v\\u0000"}', ',"path":"/a\\u0000"'))).status).toBe(202);
    await t.flush();
    const range = 'site_id=s1&date=2026-11-23';
    const read = async (query: string) => {
      const res = await t.app.request(`/stats/breakdown?${range}&${query}`);
      expect(res.status).toBe(200);
      return ((await res.json()) as { results: { value: string }[] }).results.map((r) => r.value);
    };
    expect(await read('by=prop:k%00')).toEqual(['v\ufffd']);
    // Bytes that are not UTF-8 (a surrogate's, here) cannot decode to a lone surrogate: no answer fails on them.
    expect(await read('by=prop:k%ED%A0%80')).toEqual([]);
    expect(await read('by=page&filters=page==/a%ED%A0%80')).toEqual([]);
    expect(await read(`by=page&filters=${encodeURIComponent('prop:k\0==v\0')}`)).toEqual(['/a\ufffd']);
    expect(await read(`by=page&filters=${encodeURIComponent('page~\0')}`)).toEqual(['/a\ufffd']);
    expect(await read(`by=page&filters=${encodeURIComponent('page==/a\ufffd')}`)).toEqual(['/a\ufffd']);
    expect(await read(`by=event&filters=${encodeURIComponent('page!=/a\0')}`)).toEqual([]);
  });

  describe('a tracked link', () => {
    it("stores its click's campaign tags with NUL read as U+FFFD", async () => {
      await insertLink(t.store.db, { site_id: 's1', target_url: 'https://s.test/', code: 'spring' }, NOW);
      const res = await t.app.request('/l/spring?utm_source=news%00letter&ref=%00', { headers: { 'user-agent': BROWSER_UA } });
      expect(res.status).toBe(302);
      const [row] = await stored();
      expect(row).toMatchObject({ type: 'click', utm_source: 'news\ufffdletter', props: '{"link_code":"spring"}' });
    });
  });
});
