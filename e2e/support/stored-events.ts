import Database from 'better-sqlite3';

/** The `props.n` ids of a site's stored events, read straight from the SQLite file. */
export function storedEventIds(databasePath: string, site: string): number[] {
  const db = new Database(databasePath, { readonly: true });
  try {
    const rows = db.prepare("SELECT json_extract(props, '$.n') AS n FROM events WHERE site_id = ? ORDER BY n").all(site) as { n: number }[];
    return rows.map((r) => r.n);
  } finally {
    db.close();
  }
}
