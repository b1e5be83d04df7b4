import pg from 'pg';

/**
 * Umami's tables as its published PostgreSQL migrations leave them
 * (`prisma/migrations/01_init` to `10_add_distinct_id` of
 * umami-software/umami: `session`, `website_event`, `event_data`), the
 * columns the importer reads with their types, for tests to fill.
 */
export const UMAMI_SCHEMA = `
CREATE TABLE session (
  session_id UUID PRIMARY KEY, website_id UUID NOT NULL, browser VARCHAR(20), os VARCHAR(20), device VARCHAR(20),
  screen VARCHAR(11), language VARCHAR(35), country CHAR(2), region VARCHAR(20), city VARCHAR(50),
  distinct_id VARCHAR(50), created_at TIMESTAMPTZ(6) DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE website_event (
  event_id UUID PRIMARY KEY, website_id UUID NOT NULL, session_id UUID NOT NULL, visit_id UUID NOT NULL,
  created_at TIMESTAMPTZ(6) DEFAULT CURRENT_TIMESTAMP, url_path VARCHAR(500) NOT NULL, url_query VARCHAR(500),
  utm_source VARCHAR(255), utm_medium VARCHAR(255), utm_campaign VARCHAR(255), utm_content VARCHAR(255), utm_term VARCHAR(255),
  referrer_path VARCHAR(500), referrer_query VARCHAR(500), referrer_domain VARCHAR(500), page_title VARCHAR(500),
  gclid VARCHAR(255), fbclid VARCHAR(255), msclkid VARCHAR(255), ttclid VARCHAR(255), li_fat_id VARCHAR(255), twclid VARCHAR(255),
  event_type INTEGER NOT NULL DEFAULT 1, event_name VARCHAR(50), tag VARCHAR(50), hostname VARCHAR(100));
CREATE TABLE event_data (
  event_data_id UUID PRIMARY KEY, website_id UUID NOT NULL, website_event_id UUID NOT NULL, data_key VARCHAR(500) NOT NULL,
  string_value VARCHAR(500), number_value DECIMAL(19,4), date_value TIMESTAMPTZ(6), data_type INTEGER NOT NULL,
  created_at TIMESTAMPTZ(6) DEFAULT CURRENT_TIMESTAMP);
`;

/** A connected client on a schema holding Umami's tables. */
export async function openUmamiSource(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(UMAMI_SCHEMA);
  return client;
}
