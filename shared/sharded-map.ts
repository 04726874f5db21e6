/**
 * A Map from strings split over SHARDS smaller Maps by a hash of the key, for the maps an import fills
 * on the door's thread (a row per guest: emails and codes seen, the roster's guests by id, terms).
 *
 * Why: a JS Map grows by rehashing every entry in one go when it doubles. Measured in Node 24, one `set`
 * took ~3 ms at 65,536 entries, 6–7 ms at 131,072 and 13–23 ms at 262,144: a scan arriving then waits for
 * it, and a 250,000-guest roster crosses all three while an import reads it. Split 64 ways, each shard
 * rehashes a 64th of that (well under a millisecond at 250,000). Lookups cost one hash of the key.
 * Iteration order is by shard, not by insertion: use it where order does not matter.
 */
const SHARDS = 64;

export class ShardedMap<V> {
  private readonly shards: Array<Map<string, V>> = Array.from({ length: SHARDS }, () => new Map());
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    return this.shardOf(key).get(key);
  }

  has(key: string): boolean {
    return this.shardOf(key).has(key);
  }

  set(key: string, value: V): this {
    const shard = this.shardOf(key);
    const before = shard.size;
    shard.set(key, value);
    this.count += shard.size - before;
    return this;
  }

  *keys(): IterableIterator<string> {
    for (const shard of this.shards) yield* shard.keys();
  }

  /** FNV-1a over the whole key: emails differ at their start, codes and ids at their end. */
  private shardOf(key: string): Map<string, V> {
    let hash = 0x811c9dc5;
    for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
    return this.shards[(hash >>> 0) % SHARDS]!;
  }
}
