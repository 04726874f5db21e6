// better-sqlite3-multiple-ciphers ships better-sqlite3's own typings, which its package.json "exports"
// hides from NodeNext resolution; its API is better-sqlite3's.
declare module 'better-sqlite3-multiple-ciphers' {
  import Database from 'better-sqlite3';
  export default Database;
}
