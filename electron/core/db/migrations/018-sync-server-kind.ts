import type { Database } from 'better-sqlite3';

/**
 * A door records what kind of server it is paired with (`sync_server_kind`: the pairing answer says `central`
 * or `hub`): it proves a move to a hub only from a central pairing, or with the key it kept of one. A
 * pairing made before is recorded from what the door knew: a hub when it recorded the hub's id (it moved
 * there with a proof), otherwise the central server, as it was taken before (a door that paired with a hub
 * first cannot be told apart; its next pairing records the kind).
 */
export function up(db: Database): void {
  db.exec(`
    INSERT INTO meta (key, value)
    SELECT 'sync_server_kind', CASE WHEN coalesce(hub.value, '') = '' THEN 'central' ELSE 'hub' END
    FROM meta AS url
    LEFT JOIN meta AS hub ON hub.key = 'sync_server_hub'
    WHERE url.key = 'sync_url'
    ON CONFLICT (key) DO NOTHING;
  `);
}
