/**
 * The route a request path stands for. A renamed batch endpoint
 * (`FOOTFALL_EVENTS_PATH`) is `/events`, which keeps answering too; and a
 * path that begins with several slashes is the same path with one: a tracker
 * given its collector's base URL with a trailing slash (`data-api="https://stats.example.com/"`)
 * sends to `//events`.
 */
export function routeOf(path: string, eventsPath: string): string {
  if (path.charCodeAt(1) === 47) path = path.replace(/^\/+/, '/');
  return path === eventsPath ? '/events' : path;
}
